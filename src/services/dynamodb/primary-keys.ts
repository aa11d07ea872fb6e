import type { AttributeValue, Item, KeySchema } from './attribute-value.js';
import { sortableKey } from './sortable-keys.js';

/**
 * The primary key of `item` under `keySchema`, or undefined when an attribute of the key is
 * missing. Types are not checked here: the operations answer a mismatch with their own texts.
 */
export function keyOf(item: Item, keySchema: KeySchema): Item | undefined {
  const hash = item[keySchema.hash.name];
  if (!hash) return undefined;
  if (!keySchema.range) return { [keySchema.hash.name]: hash };
  const range = item[keySchema.range.name];
  if (!range) return undefined;
  return { [keySchema.hash.name]: hash, [keySchema.range.name]: range };
}

/**
 * A canonical identity of a primary key: equal for keys DynamoDB considers the same item
 * ("1.0" and "1" alike), whatever order the attributes came in.
 */
export function keyString(key: Item): string {
  const parts = Object.keys(key)
    .sort()
    .map((name) => {
      const value: AttributeValue = key[name]!;
      return [name, Object.keys(value)[0], sortableKey(value)];
    });
  return JSON.stringify(parts);
}
