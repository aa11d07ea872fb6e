import type { AttributeValue, Item } from '../attribute-value.js';

/**
 * An item's size as DynamoDB counts it (the stream record's SizeBytes is the sum over its Keys and
 * images): each attribute's UTF-8 name plus its value — strings and binaries by byte length,
 * numbers about one byte per two significant digits plus one, BOOL and NULL one byte, lists and
 * maps three bytes plus one per element, sets the sum of their members.
 */
export function itemSize(item: Item): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) total += Buffer.byteLength(name) + valueSize(value);
  return total;
}

function valueSize(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return base64Bytes(value.B);
  if ('SS' in value) return value.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if ('NS' in value) return value.NS.reduce((n, s) => n + numberSize(s), 0);
  if ('BS' in value) return value.BS.reduce((n, b) => n + base64Bytes(b), 0);
  if ('M' in value) return 3 + Object.entries(value.M).reduce((n, [k, v]) => n + Buffer.byteLength(k) + valueSize(v) + 1, 0);
  if ('L' in value) return 3 + value.L.reduce((n, v) => n + valueSize(v) + 1, 0);
  return 1;
}

function numberSize(n: string): number {
  const mantissa = n.replace(/^-/, '').toLowerCase().split('e')[0]!.replace('.', '');
  const significant = mantissa.replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(significant.length, 1) / 2) + 1 + (n.startsWith('-') ? 1 : 0);
}

function base64Bytes(b64: string): number {
  return Buffer.from(b64, 'base64').length;
}
