import { sql, type Kysely } from 'kysely';
import type { Store } from '../../../store/database.js';
import { PreparedQuery } from '../../../store/prepared-query.js';
import type { Database } from '../../../store/schema.js';
import type { Item } from '../attribute-value.js';
import type { IndexEntry } from '../item-indexes.js';
import type { EncodedKey } from '../item-keys.js';
import { physicalRowId } from '../../../store/dialect-sql.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

export interface ItemRow {
  hash_key: string;
  range_key: string;
  hash_point: number;
  item: string;
  size: number;
}

const selectItem = new PreparedQuery<{ tableId: number; hash: string; range: string }, { item: string; size: number }>((db, arg) =>
  db
    .selectFrom('dynamodb_items')
    .select(['item', 'size'])
    .where('table_id', '=', arg('tableId'))
    .where('hash_key', '=', arg('hash'))
    .where('range_key', '=', arg('range')),
);

export async function readItem(db: Kysely<Database>, tableId: number, key: EncodedKey): Promise<{ item: Item; size: number } | undefined> {
  const row = (await selectItem.execute(db, { tableId, hash: key.hash, range: key.range })).rows[0];
  return row ? { item: JSON.parse(row.item) as Item, size: row.size } : undefined;
}

type ItemRowArgs = { tableId: number; hash: string; range: string; hashPoint: number; item: string; size: number; ttlAt: number | null };

const insertItemRow = (db: Kysely<Database>, arg: <K extends keyof ItemRowArgs & string>(name: K) => ItemRowArgs[K]) =>
  db
    .insertInto('dynamodb_items')
    .values({ table_id: arg('tableId'), hash_key: arg('hash'), range_key: arg('range'), hash_point: arg('hashPoint'), item: arg('item'), size: arg('size'), ttl_at: arg('ttlAt') });

const upsertItemRow = new PreparedQuery<ItemRowArgs, never>((db, arg) =>
  insertItemRow(db, arg).onConflict((oc) =>
    oc.columns(['table_id', 'hash_key', 'range_key']).doUpdateSet((eb) => ({ item: eb.ref('excluded.item'), size: eb.ref('excluded.size'), ttl_at: eb.ref('excluded.ttl_at') })),
  ),
);

/** An overwrite leaving `ttl_at` out of the SET list, so SQLite leaves the TTL index alone. */
const upsertItemRowKeepingTtl = new PreparedQuery<ItemRowArgs, never>((db, arg) =>
  insertItemRow(db, arg).onConflict((oc) => oc.columns(['table_id', 'hash_key', 'range_key']).doUpdateSet((eb) => ({ item: eb.ref('excluded.item'), size: eb.ref('excluded.size') }))),
);

/**
 * Writes an item's row. `ttlUnchanged`: the stored row, if any, already has this `ttlAt`; an
 * overwrite then rewrites no TTL index entry (a page less for each commit to write, about a
 * quarter of an overwriting PutItem's time).
 */
export async function upsertItem(
  db: Kysely<Database>,
  tableId: number,
  key: EncodedKey,
  hashPoint: number,
  item: Item,
  size: number,
  ttlAt: number | null,
  ttlUnchanged = false,
): Promise<void> {
  const args = { tableId, hash: key.hash, range: key.range, hashPoint, item: JSON.stringify(item), size, ttlAt };
  await (ttlUnchanged ? upsertItemRowKeepingTtl : upsertItemRow).execute(db, args);
}

const deleteItem = new PreparedQuery<{ tableId: number; hash: string; range: string }, never>((db, arg) =>
  db.deleteFrom('dynamodb_items').where('table_id', '=', arg('tableId')).where('hash_key', '=', arg('hash')).where('range_key', '=', arg('range')),
);

export async function deleteItemRow(db: Kysely<Database>, tableId: number, key: EncodedKey): Promise<void> {
  await deleteItem.execute(db, { tableId, hash: key.hash, range: key.range });
}

const upsertIndexEntry = new PreparedQuery<
  { tableId: number; index: string; hash: string; range: string; baseHash: string; baseRange: string; hashPoint: number; item: string; size: number },
  never
>((db, arg) =>
  db
    .insertInto('dynamodb_index_items')
    .values({
      table_id: arg('tableId'),
      index_name: arg('index'),
      hash_key: arg('hash'),
      range_key: arg('range'),
      base_hash_key: arg('baseHash'),
      base_range_key: arg('baseRange'),
      hash_point: arg('hashPoint'),
      item: arg('item'),
      size: arg('size'),
    })
    .onConflict((oc) =>
      oc.columns(['table_id', 'index_name', 'hash_key', 'range_key', 'base_hash_key', 'base_range_key']).doUpdateSet((eb) => ({ item: eb.ref('excluded.item'), size: eb.ref('excluded.size') })),
    ),
);

export async function putIndexEntry(db: Kysely<Database>, tableId: number, base: EncodedKey, entry: IndexEntry): Promise<void> {
  await upsertIndexEntry.execute(db, {
    tableId,
    index: entry.index,
    hash: entry.key.hash,
    range: entry.key.range,
    baseHash: base.hash,
    baseRange: base.range,
    hashPoint: entry.hashPoint,
    item: JSON.stringify(entry.item),
    size: entry.size,
  });
}

const deleteIndexEntryRow = new PreparedQuery<{ tableId: number; index: string; hash: string; range: string; baseHash: string; baseRange: string }, never>((db, arg) =>
  db
    .deleteFrom('dynamodb_index_items')
    .where('table_id', '=', arg('tableId'))
    .where('index_name', '=', arg('index'))
    .where('hash_key', '=', arg('hash'))
    .where('range_key', '=', arg('range'))
    .where('base_hash_key', '=', arg('baseHash'))
    .where('base_range_key', '=', arg('baseRange')),
);

export async function deleteIndexEntry(db: Kysely<Database>, tableId: number, base: EncodedKey, entry: Pick<IndexEntry, 'index' | 'key'>): Promise<void> {
  await deleteIndexEntryRow.execute(db, { tableId, index: entry.index, hash: entry.key.hash, range: entry.key.range, baseHash: base.hash, baseRange: base.range });
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
  const result = await sql`DELETE FROM ${sql.table(from)} WHERE ${physicalRowId(db)} IN (SELECT ${physicalRowId(db)} FROM ${sql.table(from)} WHERE table_id = ${tableId} ${onlyIndex} LIMIT ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
