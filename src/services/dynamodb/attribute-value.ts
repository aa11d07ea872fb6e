/**
 * DynamoDB's attribute values in their wire form (DynamoDB JSON), which is also how Lambkin stores
 * and compares them: numbers stay decimal strings (38 significant digits, never JavaScript floats),
 * binaries stay base64 strings.
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { NULL: true }
  | { BOOL: boolean };

/** The one-letter (or two-letter) type descriptors, as `attribute_type()` names them. */
export type AttributeType = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL';

export type Item = Record<string, AttributeValue>;

/** A table's or index's key: the partition (hash) attribute and the optional sort (range) one. */
export interface KeySchema {
  hash: { name: string; type: 'S' | 'N' | 'B' };
  range?: { name: string; type: 'S' | 'N' | 'B' };
}
