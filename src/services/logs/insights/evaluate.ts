import type { Expr } from './query-syntax.js';
import { TimeValue, type FieldValue, type Row } from './record-fields.js';

/** The number a value stands for (times as milliseconds), or NaN. */
export function toNumber(v: FieldValue | undefined): number {
  if (v instanceof TimeValue) return v.ms;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return NaN;
}

export function truthy(v: FieldValue | undefined): boolean {
  return v !== undefined && v !== null && v !== false && v !== '' && !(typeof v === 'number' && Number.isNaN(v));
}

function text(v: FieldValue | undefined): string {
  return v === undefined || v === null ? '' : String(v);
}

function equal(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const na = toNumber(a);
  const nb = toNumber(b);
  if (!Number.isNaN(na) && !Number.isNaN(nb) && (typeof a !== 'string' || typeof b !== 'string')) return na === nb;
  return text(a) === text(b);
}

function order(a: FieldValue | undefined, b: FieldValue | undefined): number {
  const na = toNumber(a);
  const nb = toNumber(b);
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0;
}

/** Evaluates an expression against a row; undefined is "field absent". */
export function evaluate(expr: Expr, row: Row): FieldValue | undefined {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'regex':
      return expr.text;
    case 'duration':
      return expr.ms;
    case 'field': {
      const value = row.get(expr.name);
      return value !== undefined || expr.name === expr.text ? value : row.get(expr.text);
    }
    case 'unary':
      if (expr.op === 'not') return !truthy(evaluate(expr.arg, row));
      return -toNumber(evaluate(expr.arg, row));
    case 'in': {
      const v = evaluate(expr.arg, row);
      const found = expr.list.some((item) => equal(v, evaluate(item, row)));
      return expr.negated ? !found : found;
    }
    case 'call':
      return callFunction(expr, row);
    case 'binary':
      return binary(expr, row);
  }
}

function binary(expr: Extract<Expr, { kind: 'binary' }>, row: Row): FieldValue | undefined {
  if (expr.op === 'and') return truthy(evaluate(expr.left, row)) && truthy(evaluate(expr.right, row));
  if (expr.op === 'or') return truthy(evaluate(expr.left, row)) || truthy(evaluate(expr.right, row));
  const left = evaluate(expr.left, row);
  if (expr.op === 'like' || expr.op === '=~') {
    if (left === undefined || left === null) return false;
    if (expr.right.kind === 'regex') return expr.right.regex.test(text(left));
    // `like "text"` is a substring match.
    return text(left).includes(text(evaluate(expr.right, row)));
  }
  const right = evaluate(expr.right, row);
  switch (expr.op) {
    case '=':
      return equal(left, right);
    case '!=':
      return left !== undefined && !equal(left, right);
    case '<':
      return left !== undefined && order(left, right) < 0;
    case '<=':
      return left !== undefined && order(left, right) <= 0;
    case '>':
      return left !== undefined && order(left, right) > 0;
    case '>=':
      return left !== undefined && order(left, right) >= 0;
  }
  const a = toNumber(left);
  const b = toNumber(right);
  switch (expr.op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
  }
  return undefined;
}

function callFunction(expr: Extract<Expr, { kind: 'call' }>, row: Row): FieldValue | undefined {
  const arg = (i: number) => (expr.args[i] ? evaluate(expr.args[i]!, row) : undefined);
  const num = (i: number) => toNumber(arg(i));
  switch (expr.name) {
    case 'bin': {
      const ts = toNumber(row.get('@timestamp'));
      const size = num(0);
      return new TimeValue(Math.floor(ts / size) * size);
    }
    case 'datefloor':
      return new TimeValue(Math.floor(num(0) / num(1)) * num(1));
    case 'dateceil':
      return new TimeValue(Math.ceil(num(0) / num(1)) * num(1));
    case 'frommillis':
      return new TimeValue(num(0));
    case 'tomillis':
      return num(0);
    case 'ispresent':
      return arg(0) !== undefined && arg(0) !== null;
    case 'isempty':
      return arg(0) === undefined || arg(0) === null || text(arg(0)) === '';
    case 'isblank':
      return arg(0) === undefined || arg(0) === null || text(arg(0)).trim() === '';
    case 'strlen':
      return text(arg(0)).length;
    case 'toupper':
      return text(arg(0)).toUpperCase();
    case 'tolower':
      return text(arg(0)).toLowerCase();
    case 'trim':
      return text(arg(0)).trim();
    case 'ltrim':
      return text(arg(0)).trimStart();
    case 'rtrim':
      return text(arg(0)).trimEnd();
    case 'concat':
      return expr.args.map((_, i) => text(arg(i))).join('');
    case 'substr':
      return expr.args.length > 2 ? text(arg(0)).substr(num(1), num(2)) : text(arg(0)).slice(num(1));
    case 'replace':
      return text(arg(0)).split(text(arg(1))).join(text(arg(2)));
    case 'strcontains':
      return text(arg(0)).includes(text(arg(1))) ? 1 : 0;
    case 'coalesce':
      for (let i = 0; i < expr.args.length; i++) if (arg(i) !== undefined && arg(i) !== null) return arg(i);
      return undefined;
    case 'abs':
      return Math.abs(num(0));
    case 'ceil':
      return Math.ceil(num(0));
    case 'floor':
      return Math.floor(num(0));
    case 'sqrt':
      return Math.sqrt(num(0));
    case 'log':
      return Math.log(num(0));
    case 'greatest':
      return Math.max(...expr.args.map((_, i) => num(i)));
    case 'least':
      return Math.min(...expr.args.map((_, i) => num(i)));
    default:
      return undefined;
  }
}

export function compareValues(a: FieldValue | undefined, b: FieldValue | undefined): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : 1;
  if (b === undefined || b === null) return -1;
  return order(a, b);
}
