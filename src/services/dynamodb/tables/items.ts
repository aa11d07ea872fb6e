import { sql, type Kysely } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { Database } from '../../../store/schema.js';
import type { Item } from '../attribute-value.js';
import type { IndexEntry } from '../item-indexes.js';
import type { EncodedKey } from '../item-keys.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

export interface ItemRow {
  hash_key: string;
  range_key: string;
  hash_point: number;
  item: string;
  size: number;
}

export async function readItem(db: Db, tableId: number, key: EncodedKey): Promise<{ item: Item; size: number } | undefined> {
  const row = await db
    .selectFrom('dynamodb_items')
    .select(['item', 'size'])
    .where('table_id', '=', tableId)
    .where('hash_key', '=', key.hash)
    .where('range_key', '=', key.range)
    .executeTakeFirst();
  return row ? { item: JSON.parse(row.item) as Item, size: row.size } : undefined;
}

export async function upsertItem(db: Db, tableId: number, key: EncodedKey, hashPoint: number, item: Item, size: number, ttlAt: number | null): Promise<void> {
  const text = JSON.stringify(item);
  await db
    .insertInto('dynamodb_items')
    .values({ table_id: tableId, hash_key: key.hash, range_key: key.range, hash_point: hashPoint, item: text, size, ttl_at: ttlAt })
    .onConflict((oc) => oc.columns(['table_id', 'hash_key', 'range_key']).doUpdateSet({ item: text, size, ttl_at: ttlAt }))
    .execute();
}

export async function deleteItemRow(db: Db, tableId: number, key: EncodedKey): Promise<void> {
  await db.deleteFrom('dynamodb_items').where('table_id', '=', tableId).where('hash_key', '=', key.hash).where('range_key', '=', key.range).execute();
}

export async function putIndexEntry(db: Db, tableId: number, base: EncodedKey, entry: IndexEntry): Promise<void> {
  const text = JSON.stringify(entry.item);
  await db
    .insertInto('dynamodb_index_items')
    .values({
      table_id: tableId,
      index_name: entry.index,
      hash_key: entry.key.hash,
      range_key: entry.key.range,
      base_hash_key: base.hash,
      base_range_key: base.range,
      hash_point: entry.hashPoint,
      item: text,
      size: entry.size,
    })
    .onConflict((oc) => oc.columns(['table_id', 'index_name', 'hash_key', 'range_key', 'base_hash_key', 'base_range_key']).doUpdateSet({ item: text, size: entry.size }))
    .execute();
}

export async function deleteIndexEntry(db: Db, tableId: number, base: EncodedKey, entry: Pick<IndexEntry, 'index' | 'key'>): Promise<void> {
  await db
    .deleteFrom('dynamodb_index_items')
    .where('table_id', '=', tableId)
    .where('index_name', '=', entry.index)
    .where('hash_key', '=', entry.key.hash)
    .where('range_key', '=', entry.key.range)
    .where('base_hash_key', '=', base.hash)
    .where('base_range_key', '=', base.range)
    .execute();
}

/** A batch of a table's items in primary key order, after `after` (for backfills and TTL). */
export async function itemsAfter(db: Db, tableId: number, after: EncodedKey | undefined, limit: number): Promise<ItemRow[]> {
  let query = db.selectFrom('dynamodb_items').select(['hash_key', 'range_key', 'hash_point', 'item', 'size']).where('table_id', '=', tableId);
  if (after) query = query.where((eb) => eb(eb.refTuple('hash_key', 'range_key'), '>', eb.tuple(after.hash, after.range)));
  return query.orderBy('hash_key').orderBy('range_key').limit(limit).execute();
}

export async function setTtlAt(db: Db, tableId: number, key: EncodedKey, ttlAt: number | null): Promise<void> {
  await db.updateTable('dynamodb_items').set({ ttl_at: ttlAt }).where('table_id', '=', tableId).where('hash_key', '=', key.hash).where('range_key', '=', key.range).execute();
}

/** Deletes up to `limit` items (or entries of one index, or of all) of a table; how many went. */
export async function purgeBatch(db: Kysely<Database>, from: 'dynamodb_items' | 'dynamodb_index_items', tableId: number, limit: number, indexName?: string): Promise<number> {
  const onlyIndex = indexName === undefined ? sql`` : sql`AND index_name = ${indexName}`;
  const result = await sql`DELETE FROM ${sql.table(from)} WHERE rowid IN (SELECT rowid FROM ${sql.table(from)} WHERE table_id = ${tableId} ${onlyIndex} LIMIT ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
