import type { Operand, Path, ResolvedPath, ResolvedUpdateAction, UpdateAction } from './ast.js';
import { pathText } from './ast.js';
import { ExpressionInvalid } from './errors.js';
import { ExpressionInputsInUse, literalType, pathsOf, referencesOf } from './inputs.js';
import { parseUpdate, SyntaxFailure, syntaxErrorText, type ParseNotes } from './parser.js';

const FUNCTIONS: Record<string, number> = { if_not_exists: 2, list_append: 2 };
/** How AWS names a type when it refuses it as an ADD or DELETE operand. */
const TYPE_WORDS: Record<string, string> = { S: 'STRING', N: 'NUMBER', B: 'BINARY', NULL: 'NULL', BOOL: 'BOOLEAN', L: 'LIST', M: 'MAP' };

/**
 * Parses and checks an UpdateExpression in AWS's order of checks: syntax, reserved words,
 * unknown functions, repeated clauses, undefined names, undefined values, overlapping and
 * conflicting paths, ADD/DELETE operand types, function operands.
 */
export function compileUpdate(source: string, inputs: ExpressionInputsInUse): ResolvedUpdateAction[] {
  const fail = (message: string): never => {
    throw new ExpressionInvalid(`Invalid UpdateExpression: ${message}`);
  };
  if (source === '') fail('The expression can not be empty;');
  const notes: ParseNotes = { redundantParentheses: false };
  let parsed: { clauses: string[]; actions: UpdateAction[] };
  try {
    parsed = parseUpdate(source, notes);
  } catch (error) {
    if (error instanceof SyntaxFailure) return fail(syntaxErrorText(source, error));
    throw error;
  }
  const { clauses, actions } = parsed;
  const operands = actions.flatMap((a) => (a.kind === 'REMOVE' ? [] : [a.value]));
  const calls = operands.flatMap(callsOf);
  const paths: Path[] = actions.map((a) => a.path);
  for (const operand of operands) pathsOf(operand, paths);
  const references: Array<{ kind: 'name' | 'value'; text: string }> = [];
  for (const action of actions) {
    referencesOf({ kind: 'path', path: action.path }, references);
    if (action.kind !== 'REMOVE') referencesOf(action.value, references);
  }

  const reserved = inputs.reservedWordIn(paths);
  if (reserved) fail(reserved);
  for (const call of calls) if (!(call.name in FUNCTIONS)) fail(`Invalid function name; function: ${call.name}`);
  const seen = new Set<string>();
  for (const clause of clauses) {
    if (seen.has(clause)) fail(`The "${clause}" section can only be used once in an update expression;`);
    seen.add(clause);
  }
  const undefinedName = inputs.undefinedReference(references.filter((r) => r.kind === 'name'));
  if (undefinedName) fail(undefinedName);
  const undefinedValue = inputs.undefinedReference(references.filter((r) => r.kind === 'value'));
  if (undefinedValue) fail(undefinedValue);

  const targets = actions.map((a) => inputs.resolvePath(a.path));
  const clash = firstPathClash(targets);
  if (clash) fail(clash);
  for (const action of actions) {
    if (action.kind !== 'ADD' && action.kind !== 'DELETE') continue;
    const type = literalType(action.value, inputs)!;
    const allowed = action.kind === 'ADD' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS'];
    if (!allowed.includes(type)) fail(`Incorrect operand type for operator or function; operator: ${action.kind}, operand type: ${TYPE_WORDS[type]}`);
  }
  for (const operand of operands) checkFunctionOperands(operand, inputs, fail);

  return actions.map((action, i): ResolvedUpdateAction => {
    const path = targets[i]!;
    if (action.kind === 'REMOVE') return { kind: 'REMOVE', path };
    if (action.kind === 'SET') return { kind: 'SET', path, value: inputs.resolveOperand(action.value) };
    return { kind: action.kind, path, value: inputs.value((action.value as { name: string }).name) };
  });
}

function callsOf(operand: Operand): Array<{ name: string; args: Operand[] }> {
  if (operand.kind === 'call') return [operand, ...operand.args.flatMap(callsOf)];
  if (operand.kind === 'arithmetic') return [...callsOf(operand.left), ...callsOf(operand.right)];
  return [];
}

/** Paths that overlap (one is, or contains, the other) come before paths that conflict (a map key against a list index). */
export function firstPathClash(paths: ResolvedPath[]): string | undefined {
  let conflict: string | undefined;
  for (let i = 0; i < paths.length; i++) {
    for (let j = 0; j < i; j++) {
      const [one, two] = [paths[j]!, paths[i]!];
      const both = `must remove or rewrite one of these paths; path one: ${pathText(one)}, path two: ${pathText(two)}`;
      let diverged = false;
      for (let k = 0; k < Math.min(one.length, two.length); k++) {
        const [a, b] = [one[k]!, two[k]!];
        if (a.kind !== b.kind) {
          conflict ??= `Two document paths conflict with each other; ${both}`;
          diverged = true;
          break;
        }
        if ((a.kind === 'index' ? a.index : a.name) !== (b.kind === 'index' ? b.index : b.name)) {
          diverged = true;
          break;
        }
      }
      if (!diverged) return `Two document paths overlap with each other; ${both}`;
    }
  }
  return conflict;
}

function checkFunctionOperands(operand: Operand, inputs: ExpressionInputsInUse, fail: (message: string) => never): void {
  if (operand.kind === 'arithmetic') {
    for (const side of [operand.left, operand.right]) {
      checkFunctionOperands(side, inputs, fail);
      const type = literalType(side, inputs);
      if (type && type !== 'N') fail(`Incorrect operand type for operator or function; operator or function: ${operand.op}, operand type: ${type}`);
    }
    return;
  }
  if (operand.kind !== 'call') return;
  for (const arg of operand.args) checkFunctionOperands(arg, inputs, fail);
  if (operand.args.length !== FUNCTIONS[operand.name]) {
    fail(`Incorrect number of operands for operator or function; operator or function: ${operand.name}, number of operands: ${operand.args.length}`);
  }
  if (operand.name === 'if_not_exists' && operand.args[0]!.kind !== 'path') fail('Operator or function requires a document path; operator or function: if_not_exists');
  if (operand.name === 'list_append') {
    for (const arg of operand.args) {
      const type = literalType(arg, inputs);
      if (type && type !== 'L') fail(`Incorrect operand type for operator or function; operator or function: list_append, operand type: ${type}`);
    }
  }
}
