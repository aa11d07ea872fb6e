import type { Comparator, ConditionNode, Operand, Path, UpdateAction } from './ast.js';
import { tokenize, type Token } from './tokens.js';

/**
 * A recursive-descent parser for DynamoDB's condition, update and projection grammars. It only
 * checks syntax; names, values, functions and types are checked on the tree afterwards (the
 * order AWS reports problems in is not the order they appear in the text).
 */

/** Where parsing stopped: the index of the offending token in the full token list. */
export class SyntaxFailure {
  constructor(readonly tokenIndex: number) {}
}

/** What the parser noticed besides the tree: AWS refuses doubled parentheses such as `((a = b))`. */
export interface ParseNotes {
  redundantParentheses: boolean;
}

const COMPARATORS: readonly string[] = ['=', '<>', '<', '<=', '>', '>='];
const CONDITION_KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const UPDATE_CLAUSES = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);

class Cursor {
  readonly tokens: Token[];
  index = 0;
  constructor(source: string) {
    this.tokens = tokenize(source);
    this.skipSpace();
  }
  private skipSpace(): void {
    while (this.tokens[this.index]!.kind === 'space') this.index++;
  }
  peek(): Token {
    return this.tokens[this.index]!;
  }
  next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'eof') {
      this.index++;
      this.skipSpace();
    }
    return token;
  }
  atSymbol(symbol: string): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.text === symbol;
  }
  atKeyword(word: string): boolean {
    const token = this.peek();
    return token.kind === 'identifier' && token.text.toUpperCase() === word;
  }
  expectSymbol(symbol: string): void {
    if (!this.atSymbol(symbol)) this.fail();
    this.next();
  }
  fail(): never {
    throw new SyntaxFailure(this.index);
  }
  expectEnd(): void {
    if (this.peek().kind !== 'eof') this.fail();
  }
}

/**
 * AWS's "near" text: the tokens before the offending one (two if the last is whitespace), the
 * offending one, and the ones after it (two if the next is whitespace).
 */
export function syntaxErrorText(source: string, failure: SyntaxFailure): string {
  const tokens = tokenize(source);
  const at = failure.tokenIndex;
  const offending = tokens[at]!;
  const text = (i: number) => (i >= 0 && i < tokens.length ? tokens[i]!.text : '');
  const kind = (i: number) => (i >= 0 && i < tokens.length ? tokens[i]!.kind : 'eof');
  const before = (kind(at - 1) === 'space' ? text(at - 2) : '') + text(at - 1);
  const after = text(at + 1) + (kind(at + 1) === 'space' ? text(at + 2) : '');
  const token = offending.kind === 'eof' ? '<EOF>' : offending.text;
  return `Syntax error; token: "${token}", near: "${before}${offending.text}${after}"`;
}

function parsePath(cursor: Cursor, keywords: Set<string>): Path {
  const path: Path = [parsePathName(cursor, keywords)];
  for (;;) {
    if (cursor.atSymbol('.')) {
      cursor.next();
      path.push(parsePathName(cursor, keywords));
    } else if (cursor.atSymbol('[')) {
      cursor.next();
      const token = cursor.peek();
      if (token.kind !== 'integer') cursor.fail();
      cursor.next();
      cursor.expectSymbol(']');
      path.push({ kind: 'index', index: Number(token.text) });
    } else {
      return path;
    }
  }
}

function parsePathName(cursor: Cursor, keywords: Set<string>): Path[number] {
  const token = cursor.peek();
  if (token.kind === 'name' || (token.kind === 'identifier' && !keywords.has(token.text.toUpperCase()))) {
    cursor.next();
    return { kind: 'attribute', name: token.text, written: token.text };
  }
  return cursor.fail();
}

/** An operand: a path, a `:value`, a function call, arithmetic (updates only), or one in parentheses. */
function parseOperand(cursor: Cursor, keywords: Set<string>, notes: ParseNotes, parenthesized: WeakSet<object>): Operand {
  if (cursor.atSymbol('(')) {
    cursor.next();
    const inner = parseOperand(cursor, keywords, notes, parenthesized);
    cursor.expectSymbol(')');
    if (parenthesized.has(inner)) notes.redundantParentheses = true;
    parenthesized.add(inner);
    return inner;
  }
  const token = cursor.peek();
  if (token.kind === 'value') {
    cursor.next();
    return { kind: 'value', name: token.text };
  }
  if (token.kind === 'identifier' && !keywords.has(token.text.toUpperCase())) {
    const after = cursor.tokens.slice(cursor.index + 1).find((t) => t.kind !== 'space');
    if (after?.kind === 'symbol' && after.text === '(') {
      cursor.next();
      cursor.next();
      const args = [parseOperand(cursor, keywords, notes, parenthesized)];
      while (cursor.atSymbol(',')) {
        cursor.next();
        args.push(parseOperand(cursor, keywords, notes, parenthesized));
      }
      cursor.expectSymbol(')');
      return { kind: 'call', name: token.text, args };
    }
  }
  return { kind: 'path', path: parsePath(cursor, keywords) };
}

export function parseCondition(source: string, notes: ParseNotes): ConditionNode {
  const cursor = new Cursor(source);
  const parenthesized = new WeakSet<object>();
  const node = parseOr(cursor, notes, parenthesized);
  cursor.expectEnd();
  return node;
}

function parseOr(cursor: Cursor, notes: ParseNotes, parenthesized: WeakSet<object>): ConditionNode {
  let left = parseAnd(cursor, notes, parenthesized);
  while (cursor.atKeyword('OR')) {
    cursor.next();
    left = { kind: 'or', left, right: parseAnd(cursor, notes, parenthesized) };
  }
  return left;
}

function parseAnd(cursor: Cursor, notes: ParseNotes, parenthesized: WeakSet<object>): ConditionNode {
  let left = parseNot(cursor, notes, parenthesized);
  while (cursor.atKeyword('AND')) {
    cursor.next();
    left = { kind: 'and', left, right: parseNot(cursor, notes, parenthesized) };
  }
  return left;
}

function parseNot(cursor: Cursor, notes: ParseNotes, parenthesized: WeakSet<object>): ConditionNode {
  if (cursor.atKeyword('NOT')) {
    cursor.next();
    return { kind: 'not', operand: parseNot(cursor, notes, parenthesized) };
  }
  return parsePrimary(cursor, notes, parenthesized);
}

/**
 * `(` opens either a parenthesized condition or a parenthesized operand (`(a) = :v`): try the
 * condition first and fall back; if both fail, report the failure that got further.
 */
function parsePrimary(cursor: Cursor, notes: ParseNotes, parenthesized: WeakSet<object>): ConditionNode {
  if (cursor.atSymbol('(')) {
    const start = cursor.index;
    const noted = notes.redundantParentheses;
    let asCondition: SyntaxFailure;
    try {
      cursor.next();
      const inner = parseOr(cursor, notes, parenthesized);
      cursor.expectSymbol(')');
      if (!isComparisonContinuation(cursor)) {
        if (parenthesized.has(inner)) notes.redundantParentheses = true;
        parenthesized.add(inner);
        return inner;
      }
      asCondition = new SyntaxFailure(cursor.index);
    } catch (error) {
      if (!(error instanceof SyntaxFailure)) throw error;
      asCondition = error;
    }
    cursor.index = start;
    notes.redundantParentheses = noted;
    try {
      return parseComparison(cursor, notes, parenthesized);
    } catch (error) {
      if (!(error instanceof SyntaxFailure)) throw error;
      throw error.tokenIndex >= asCondition.tokenIndex ? error : asCondition;
    }
  }
  return parseComparison(cursor, notes, parenthesized);
}

function isComparisonContinuation(cursor: Cursor): boolean {
  const token = cursor.peek();
  return (token.kind === 'symbol' && COMPARATORS.includes(token.text)) || cursor.atKeyword('BETWEEN') || cursor.atKeyword('IN');
}

function parseComparison(cursor: Cursor, notes: ParseNotes, parenthesized: WeakSet<object>): ConditionNode {
  const operand = parseOperand(cursor, CONDITION_KEYWORDS, notes, parenthesized);
  const token = cursor.peek();
  if (token.kind === 'symbol' && COMPARATORS.includes(token.text)) {
    cursor.next();
    return { kind: 'compare', op: token.text as Comparator, left: operand, right: parseOperand(cursor, CONDITION_KEYWORDS, notes, parenthesized) };
  }
  if (cursor.atKeyword('BETWEEN')) {
    cursor.next();
    const low = parseOperand(cursor, CONDITION_KEYWORDS, notes, parenthesized);
    if (!cursor.atKeyword('AND')) cursor.fail();
    cursor.next();
    return { kind: 'between', operand, low, high: parseOperand(cursor, CONDITION_KEYWORDS, notes, parenthesized) };
  }
  if (cursor.atKeyword('IN')) {
    cursor.next();
    cursor.expectSymbol('(');
    const list = [parseOperand(cursor, CONDITION_KEYWORDS, notes, parenthesized)];
    while (cursor.atSymbol(',')) {
      cursor.next();
      list.push(parseOperand(cursor, CONDITION_KEYWORDS, notes, parenthesized));
    }
    cursor.expectSymbol(')');
    return { kind: 'in', operand, list };
  }
  if (operand.kind === 'call') return { kind: 'call', name: operand.name, args: operand.args };
  return cursor.fail();
}

export function parseProjection(source: string): Path[] {
  const cursor = new Cursor(source);
  const paths = [parsePath(cursor, new Set())];
  while (cursor.atSymbol(',')) {
    cursor.next();
    paths.push(parsePath(cursor, new Set()));
  }
  cursor.expectEnd();
  return paths;
}

/** The clauses of an update in the order written, with the clause keywords as AWS prints them. */
export function parseUpdate(source: string, notes: ParseNotes): { clauses: string[]; actions: UpdateAction[] } {
  const cursor = new Cursor(source);
  const parenthesized = new WeakSet<object>();
  const clauses: string[] = [];
  const actions: UpdateAction[] = [];
  do {
    const keyword = cursor.peek();
    const clause = keyword.text.toUpperCase();
    if (keyword.kind !== 'identifier' || !UPDATE_CLAUSES.has(clause)) cursor.fail();
    cursor.next();
    clauses.push(clause);
    for (;;) {
      const path = parsePath(cursor, UPDATE_CLAUSES);
      if (clause === 'SET') {
        cursor.expectSymbol('=');
        actions.push({ kind: 'SET', path, value: parseSetValue(cursor, notes, parenthesized) });
      } else if (clause === 'REMOVE') {
        actions.push({ kind: 'REMOVE', path });
      } else {
        const token = cursor.peek();
        if (token.kind !== 'value') cursor.fail();
        cursor.next();
        actions.push({ kind: clause as 'ADD' | 'DELETE', path, value: { kind: 'value', name: token.text } });
      }
      if (!cursor.atSymbol(',')) break;
      cursor.next();
    }
  } while (cursor.peek().kind !== 'eof');
  return { clauses, actions };
}

function parseSetValue(cursor: Cursor, notes: ParseNotes, parenthesized: WeakSet<object>): Operand {
  const left = parseOperand(cursor, UPDATE_CLAUSES, notes, parenthesized);
  if (cursor.atSymbol('+') || cursor.atSymbol('-')) {
    const op = cursor.next().text as '+' | '-';
    return { kind: 'arithmetic', op, left, right: parseOperand(cursor, UPDATE_CLAUSES, notes, parenthesized) };
  }
  return left;
}
