import type { AttributeValue, Item } from './attribute-value.js';
import { decompose } from './numbers.js';

/**
 * An item's size as DynamoDB counts it against the 400 KB limit (and for capacity units):
 * attribute names and strings by their UTF-8 bytes, binaries by their decoded bytes, numbers by
 * their packed digits, 1 byte for BOOL and NULL, and 3 bytes plus 1 per element for lists and maps.
 * AWS documents the number size only as "approximately 1 byte per two significant digits, plus
 * 1"; the exact rule below (base-100 digit pairs aligned on the exponent, a byte for the sign)
 * matches sizes measured against DynamoDB.
 */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  return size;
}

export function valueSize(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8');
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  if ('SS' in value) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
  if ('NS' in value) return value.NS.reduce((sum, n) => sum + numberSize(n), 0);
  if ('BS' in value) return value.BS.reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0);
  if ('L' in value) return 3 + value.L.reduce((sum, member) => sum + 1 + valueSize(member), 0);
  if ('M' in value) return 3 + Object.keys(value.M).length + itemSize(value.M);
  return 1; // BOOL, NULL
}

export function numberSize(text: string): number {
  const parts = decompose(text);
  if (!parts) return 1;
  const { digits, exponent, negative } = parts;
  // With an even digit count and an even exponent the digits straddle one more base-100 pair.
  const straddles = digits.length % 2 === 0 && exponent % 2 === 0 ? 1 : 0;
  return 1 + Math.ceil(digits.length / 2) + straddles + (negative ? 1 : 0);
}
