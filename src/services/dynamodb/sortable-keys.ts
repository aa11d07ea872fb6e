import type { AttributeValue } from './attribute-value.js';
import { MIN_NUMBER_EXPONENT } from './limits.js';
import { decompose } from './numbers.js';

/**
 * An order-preserving text encoding of a key value: for two values of the same key type,
 * `sortableKey(a) < sortableKey(b)` (JavaScript string order, SQLite's BINARY collation, any
 * bytewise comparison: the encoding is ASCII) exactly when DynamoDB sorts `a` before `b`.
 *
 * - S: the UTF-8 bytes in lowercase hex. DynamoDB orders strings by UTF-8 bytes; hex keeps that
 *   order and keeps prefixes as prefixes (for `begins_with`), with no NUL or surrogate surprises.
 * - B: the bytes in lowercase hex.
 * - N: a sign class ("0" negative, "1" zero, "2" positive), then for non-zero values the
 *   scientific exponent offset to 000..255, then the significant digits. Negatives invert the
 *   exponent and the digits (9 - d) and end with "~" (above every digit), so that a shorter
 *   mantissa, the larger negative number, sorts after its longer extensions.
 */
export function sortableKey(value: AttributeValue): string {
  if ('S' in value) return Buffer.from(value.S, 'utf8').toString('hex');
  if ('B' in value) return Buffer.from(value.B, 'base64').toString('hex');
  if ('N' in value) return sortableNumber(value.N);
  throw new TypeError(`a key value is S, N or B, not ${Object.keys(value)[0]}`);
}

const EXPONENT_SPAN = 255;

function sortableNumber(text: string): string {
  const parts = decompose(text);
  if (!parts) return '1';
  const exponent = parts.exponent - MIN_NUMBER_EXPONENT;
  if (!parts.negative) return `2${pad3(exponent)}${parts.digits}`;
  const inverted = [...parts.digits].map((d) => String(9 - Number(d))).join('');
  return `0${pad3(EXPONENT_SPAN - exponent)}${inverted}~`;
}

function pad3(n: number): string {
  return String(n).padStart(3, '0');
}

/**
 * The encoded keys that begin with `prefix` (S or B) are those with `from <= key < below`: hex
 * uses only 0-9a-f, so appending "g" bounds every extension of the prefix.
 */
export function sortablePrefixRange(prefix: AttributeValue): { from: string; below: string } {
  const from = sortableKey(prefix);
  return { from, below: `${from}g` };
}
