import type { Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { Item } from './attribute-value.js';
import { indexEntryOf } from './item-indexes.js';
import type { SecondaryIndex, Table } from './table-model.js';
import { itemsAfter, putIndexEntry } from './tables/items.js';

const BATCH = 500;

/** Writes the entries of a new global index for every existing item (UpdateTable's Create). */
export async function backfillIndex(tx: Transaction<Database>, table: Table, index: SecondaryIndex): Promise<void> {
  let after: { hash: string; range: string } | undefined;
  for (;;) {
    const rows = await itemsAfter(tx, table.id, after, BATCH);
    for (const row of rows) {
      const entry = indexEntryOf(table, index, JSON.parse(row.item) as Item);
      if (entry) await putIndexEntry(tx, table.id, { hash: row.hash_key, range: row.range_key }, entry);
    }
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1]!;
    after = { hash: last.hash_key, range: last.range_key };
  }
}
