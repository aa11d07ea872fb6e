import type { AttributeType, AttributeValue } from './attribute-value.js';
import { compareNumbers } from './numbers.js';

/** The type descriptor of a value ("S", "NS", "M", …). */
export function typeOf(value: AttributeValue): AttributeType {
  return Object.keys(value)[0] as AttributeType;
}

/**
 * DynamoDB's equality: same type, numbers by value ("1.0" = "1"), sets regardless of order,
 * lists element by element, maps key by key.
 */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && compareNumbers(a.N, b.N) === 0;
  if ('B' in a) return 'B' in b && bytesOf(a.B).equals(bytesOf(b.B));
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('SS' in a) return 'SS' in b && sameSet(a.SS, b.SS, (x, y) => x === y);
  if ('NS' in a) return 'NS' in b && sameSet(a.NS, b.NS, (x, y) => compareNumbers(x, y) === 0);
  if ('BS' in a) return 'BS' in b && sameSet(a.BS, b.BS, (x, y) => bytesOf(x).equals(bytesOf(y)));
  if ('L' in a) return 'L' in b && a.L.length === b.L.length && a.L.every((x, i) => valuesEqual(x, b.L[i]!));
  if ('M' in b && 'M' in a) {
    const keys = Object.keys(a.M);
    return keys.length === Object.keys(b.M).length && keys.every((k) => k in b.M && valuesEqual(a.M[k]!, b.M[k]!));
  }
  return false;
}

function sameSet(a: string[], b: string[], same: (x: string, y: string) => boolean): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => same(x, y)));
}

/**
 * Orders two scalars as DynamoDB orders keys and `<`/`BETWEEN` operands: numbers numerically,
 * strings by their UTF-8 bytes (not JavaScript's UTF-16 order), binaries bytewise. `null` when the
 * two cannot be ordered (different types, or not S/N/B), which makes a comparison false.
 */
export function compareScalars(a: AttributeValue, b: AttributeValue): -1 | 0 | 1 | null {
  if ('N' in a) return 'N' in b ? compareNumbers(a.N, b.N) : null;
  if ('S' in a) return 'S' in b ? sign(Buffer.compare(Buffer.from(a.S, 'utf8'), Buffer.from(b.S, 'utf8'))) : null;
  if ('B' in a) return 'B' in b ? sign(Buffer.compare(bytesOf(a.B), bytesOf(b.B))) : null;
  return null;
}

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

export function bytesOf(base64: string): Buffer {
  return Buffer.from(base64, 'base64');
}
