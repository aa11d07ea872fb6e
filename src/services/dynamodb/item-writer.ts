import type { Transaction } from 'kysely';
import type { Store } from '../../store/database.js';
import type { Database } from '../../store/schema.js';
import type { Item } from './attribute-value.js';
import { itemSize, valuesEqual } from './attribute-values.js';
import { indexEntriesOf } from './item-indexes.js';
import { encodeKey, hashPointOf, keyAttributes } from './item-keys.js';
import type { ItemChange, StreamChangeWriter } from './stream-contract.js';
import type { Table } from './table-model.js';
import { deleteIndexEntry, deleteItemRow, putIndexEntry, upsertItem } from './tables/items.js';
import { findEnabledStream } from './tables/streams.js';

/** The index entries a write touched, for ReturnConsumedCapacity INDEXES. */
export interface IndexWrites {
  [index: string]: number;
}

/** The epoch second an item expires at, when the table's TTL is on and the item carries a number there. */
export function ttlAtOf(table: Table, item: Item): number | null {
  if (!table.ttlEnabled || !table.ttlAttribute) return null;
  const value = item[table.ttlAttribute];
  if (!value || !('N' in value)) return null;
  const seconds = Math.floor(Number(value.N));
  return Number.isFinite(seconds) ? seconds : null;
}

/**
 * Writes one item (`after` undefined: deletes it) with its secondary index entries, inside the
 * caller's transaction, and returns the stream change (none when nothing existed to delete, or
 * when a put or update left the item as it was: AWS writes no stream record for those).
 */
export async function writeItem(tx: Transaction<Database>, table: Table, before: Item | undefined, after: Item | undefined, indexWrites?: IndexWrites): Promise<ItemChange | undefined> {
  const source = (after ?? before)!;
  const key = encodeKey(table.keySchema, source);
  const keys = keyAttributes(table.keySchema, source);
  if (after) {
    const ttlAt = ttlAtOf(table, after);
    await upsertItem(tx, table.id, key, hashPointOf(key.hash), after, itemSize(after), ttlAt, before !== undefined && ttlAtOf(table, before) === ttlAt);
  }
  else if (before) await deleteItemRow(tx, table.id, key);
  else return undefined;

  const oldEntries = indexEntriesOf(table, before);
  const newEntries = indexEntriesOf(table, after);
  for (const old of oldEntries) {
    const replaced = newEntries.find((e) => e.index === old.index && e.key.hash === old.key.hash && e.key.range === old.key.range);
    if (replaced) continue;
    // An entry whose index key changed is a delete and a put: two index writes, as AWS counts.
    await deleteIndexEntry(tx, table.id, key, old);
    if (indexWrites) indexWrites[old.index] = (indexWrites[old.index] ?? 0) + 1;
  }
  for (const entry of newEntries) {
    await putIndexEntry(tx, table.id, key, entry);
    if (indexWrites) indexWrites[entry.index] = (indexWrites[entry.index] ?? 0) + 1;
  }
  if (before && after && valuesEqual({ M: before }, { M: after })) return undefined;
  const eventName = !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY';
  return { eventName, keys, ...(before ? { oldImage: before } : {}), ...(after ? { newImage: after } : {}) };
}

/**
 * The changes of one request, appended to each table's enabled stream before the transaction
 * commits; `committed` wakes the stream's readers once it has.
 */
export class StreamChanges {
  private readonly byTable = new Map<number, { table: Table; changes: ItemChange[] }>();
  private readonly appended: string[] = [];

  constructor(private readonly writer: StreamChangeWriter) {}

  add(table: Table, change: ItemChange | undefined): void {
    if (!change || !table.streamViewType) return;
    const entry = this.byTable.get(table.id) ?? { table, changes: [] };
    entry.changes.push(change);
    this.byTable.set(table.id, entry);
  }

  /** Inside the transaction, after the last write. */
  async append(tx: Transaction<Database>): Promise<void> {
    for (const { table, changes } of this.byTable.values()) {
      const stream = await findEnabledStream(tx, table.id);
      if (!stream) continue;
      await this.writer.append(tx, stream, changes);
      this.appended.push(stream.streamArn);
    }
    this.byTable.clear();
  }

  /** After the commit. */
  committed(): void {
    for (const arn of this.appended.splice(0)) this.writer.committed(arn);
  }
}

/** Runs `write` in one transaction whose item changes reach the tables' streams atomically with it. */
export async function inItemTransaction<T>(db: Store, writer: StreamChangeWriter, write: (tx: Transaction<Database>, changes: StreamChanges) => Promise<T>): Promise<T> {
  const changes = new StreamChanges(writer);
  const result = await db.transaction().execute(async (tx) => {
    const out = await write(tx, changes);
    await changes.append(tx);
    return out;
  });
  changes.committed();
  return result;
}
