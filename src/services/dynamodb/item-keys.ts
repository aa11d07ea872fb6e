import { hash } from 'node:crypto';
import type { AttributeValue, Item, KeySchema } from './attribute-value.js';
import { sortableKey, typeOf, valueSize } from './attribute-values.js';
import { errors } from './errors.js';
import { MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES } from './limits.js';
import { keyNamesOf, type Table } from './table-model.js';

/** A primary key as the store keeps it: order-preserving encodings, '' for a missing sort key. */
export interface EncodedKey {
  hash: string;
  range: string;
}

export function encodeKey(schema: KeySchema, item: Item): EncodedKey {
  return { hash: sortableKey(item[schema.hash.name]!), range: schema.range ? sortableKey(item[schema.range.name]!) : '' };
}

/**
 * 32 bits of the MD5 of the encoded partition key: Scan walks items in this order (as DynamoDB
 * walks partitions by their hash) and a parallel scan's segment is a slice of its range.
 */
export function hashPointOf(encodedHash: string): number {
  // The one-shot hash: a Hash object per write was a measurable share of PutItem.
  return hash('md5', encodedHash, 'buffer').readUInt32BE(0);
}

/** Only the key attributes of `item`. */
export function keyAttributes(schema: KeySchema, item: Item): Item {
  const out: Item = {};
  for (const name of keyNamesOf(schema)) if (item[name]) out[name] = item[name]!;
  return out;
}

const emptyKind = (value: AttributeValue): 'string' | 'binary' | undefined =>
  'S' in value && value.S === '' ? 'string' : 'B' in value && value.B === '' ? 'binary' : undefined;

function checkKeySize(value: AttributeValue, isHash: boolean): void {
  const size = valueSize(value);
  if (isHash && size > MAX_PARTITION_KEY_BYTES) throw errors.hashKeyTooLarge();
  if (!isHash && size > MAX_SORT_KEY_BYTES) throw errors.rangeKeyTooLarge();
}

/** A whole item (PutItem, a Put of a batch or transaction): its table key and its index keys. */
export function checkItemKeys(table: Table, item: Item): void {
  for (const [i, name] of keyNamesOf(table.keySchema).entries()) {
    const expected = i === 0 ? table.keySchema.hash.type : table.keySchema.range!.type;
    const value = item[name];
    if (!value) throw errors.missingKey(name);
    if (typeOf(value) !== expected) throw errors.keyTypeMismatch(name, expected, typeOf(value));
    const empty = emptyKind(value);
    if (empty) throw errors.emptyKey(name, empty);
    checkKeySize(value, i === 0);
  }
  checkIndexKeys(table, item);
}

/** Index key attributes an item carries must have the index's type and not be empty. */
export function checkIndexKeys(table: Table, item: Item): void {
  for (const index of table.indexes) {
    for (const part of [index.keySchema.hash, index.keySchema.range]) {
      if (!part) continue;
      const value = item[part.name];
      if (!value) continue;
      if (typeOf(value) !== part.type) throw errors.indexKeyTypeMismatch(part.name, part.type, typeOf(value), index.name);
      const empty = emptyKind(value);
      if (empty) throw errors.emptyIndexKey(index.name, part.name, empty);
    }
  }
}

/** A `Key` member (GetItem, UpdateItem, DeleteItem …): exactly the schema's attributes, typed. */
export function checkKey(schema: KeySchema, key: Item): void {
  const names = keyNamesOf(schema);
  if (Object.keys(key).length !== names.length) throw errors.keySchemaMismatch();
  for (const [i, name] of names.entries()) {
    const expected = i === 0 ? schema.hash.type : schema.range!.type;
    const value = key[name];
    if (!value || typeOf(value) !== expected) throw errors.keySchemaMismatch();
    const empty = emptyKind(value);
    if (empty) throw errors.emptyKey(name, empty);
    checkKeySize(value, i === 0);
  }
}
