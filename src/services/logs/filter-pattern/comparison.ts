import { wildcardRegex } from './wildcard.js';

export type Operator = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** The right-hand side of a comparison: a quoted string, a number or a bare word. */
export interface Operand {
  text: string;
  /** Set when the operand reads as a number (then `<`, `>` … compare numerically). */
  number?: number;
  quoted: boolean;
}

/**
 * One comparison against a field's value (a JSON value or a space-delimited field's text):
 * numbers compare numerically, strings by equality with `*` wildcards.
 */
export function compare(actual: unknown, op: Operator, operand: Operand): boolean {
  if (actual === undefined || actual === null || typeof actual === 'object') return op === '!=' && actual !== undefined && actual !== null;
  if (operand.number !== undefined && !operand.quoted) {
    const n = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
    if (Number.isNaN(n)) return op === '!=';
    switch (op) {
      case '=':
        return n === operand.number;
      case '!=':
        return n !== operand.number;
      case '<':
        return n < operand.number;
      case '>':
        return n > operand.number;
      case '<=':
        return n <= operand.number;
      case '>=':
        return n >= operand.number;
    }
  }
  const text = String(actual);
  const equal = operand.text.includes('*') ? wildcardRegex(operand.text).test(text) : text === operand.text;
  if (op === '=') return equal;
  if (op === '!=') return !equal;
  return false;
}

export function operand(text: string, quoted: boolean): Operand {
  const n = quoted || text.trim() === '' ? NaN : Number(text);
  return Number.isNaN(n) ? { text, quoted } : { text, number: n, quoted };
}
