import { chunks, IDS_PER_STATEMENT, type QueueDb, type QueueRow, type QueueTable } from './queue.js';

/**
 * Removes the items `owner` is done with (delivered, or handed to failure handling). Owner-checked:
 * an item whose lease expired and was taken by another owner stays for that owner. Returns how
 * many were removed.
 */
export async function ack<Row extends QueueRow>(db: QueueDb, table: QueueTable<Row, unknown>, owner: string, ids: ReadonlyArray<Row['id']>): Promise<number> {
  let removed = 0;
  for (const chunk of chunks(ids, IDS_PER_STATEMENT)) {
    const result = await db.deleteFrom(table.name).where('id', 'in', chunk).where('lease_owner', '=', owner).executeTakeFirst();
    removed += Number(result.numDeletedRows);
  }
  return removed;
}
