import type { Item } from './attribute-value.js';
import { itemSize } from './attribute-values.js';
import { encodeKey, hashPointOf, type EncodedKey } from './item-keys.js';
import { keyNamesOf, type SecondaryIndex, type Table } from './table-model.js';

/** One secondary index entry of an item. */
export interface IndexEntry {
  index: string;
  key: EncodedKey;
  hashPoint: number;
  item: Item;
  size: number;
}

/** The attributes an index keeps of an item (its projection always includes both keys). */
export function projectForIndex(table: Table, index: SecondaryIndex, item: Item): Item {
  if (index.projection.ProjectionType === 'ALL') return item;
  const names = new Set([...keyNamesOf(table.keySchema), ...keyNamesOf(index.keySchema), ...(index.projection.NonKeyAttributes ?? [])]);
  const out: Item = {};
  for (const name of names) if (item[name]) out[name] = item[name]!;
  return out;
}

/** The item's entry in `index`, or none when it lacks an index key attribute (a sparse index). */
export function indexEntryOf(table: Table, index: SecondaryIndex, item: Item): IndexEntry | undefined {
  if (keyNamesOf(index.keySchema).some((name) => !item[name])) return undefined;
  const projected = projectForIndex(table, index, item);
  const key = encodeKey(index.keySchema, item);
  return { index: index.name, key, hashPoint: hashPointOf(key.hash), item: projected, size: itemSize(projected) };
}

export function indexEntriesOf(table: Table, item: Item | undefined): IndexEntry[] {
  if (!item) return [];
  return table.indexes.flatMap((index) => indexEntryOf(table, index, item) ?? []);
}
