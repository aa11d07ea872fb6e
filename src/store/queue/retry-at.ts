import type { QueueDb, QueueRow, QueueTable, RetryFields } from './queue.js';

/**
 * Gives up `owner`'s lease and makes the item visible again at `at`, recording what the attempt
 * changed (`fields`: attempt counters, last error …). The consumer's retry schedule picks `at`.
 * Owner-checked: false when the lease was no longer `owner`'s (the item is left alone).
 */
export async function retryAt<Row extends QueueRow>(
  db: QueueDb,
  table: QueueTable<Row, unknown>,
  owner: string,
  id: Row['id'],
  at: number,
  fields: RetryFields<Row> = {},
): Promise<boolean> {
  const result = await db
    .updateTable(table.name)
    .set({ ...fields, next_attempt_at: at, lease_owner: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
