import { PreparedByShape } from '../prepared-query.js';
import { chunks, IDS_PER_STATEMENT, type QueueDb, type QueueRow, type QueueTable } from './queue.js';

/** The DELETE of each table and id count, compiled once (acks run for every item a drain handles). */
const deletes = new PreparedByShape();

/**
 * Removes the items `owner` is done with (delivered, or handed to failure handling). Owner-checked:
 * an item whose lease expired and was taken by another owner stays for that owner. Returns how
 * many were removed.
 */
export async function ack<Row extends QueueRow>(db: QueueDb, table: QueueTable<Row, unknown>, owner: string, ids: ReadonlyArray<Row['id']>): Promise<number> {
  let removed = 0;
  for (const chunk of chunks(ids, IDS_PER_STATEMENT)) {
    const args: Record<string, unknown> = { owner };
    chunk.forEach((id, i) => (args[`id${i}`] = id));
    const result = await deletes.execute(db, `${table.name}:${chunk.length}`, (q, arg) =>
      q.deleteFrom(table.name).where('id', 'in', chunk.map((_, i) => arg(`id${i}`))).where('lease_owner', '=', arg('owner')),
    args);
    removed += Number(result.numAffectedRows ?? 0n);
  }
  return removed;
}
