import { isPostgres } from '../database.js';
import type { QueueDb, QueueRow, QueueTable } from './queue.js';

/**
 * After a restart: every item leased by an owner other than `keep` is visible at `now`, instead
 * of when its lease would have run out. Only right while one process uses the store (the embedded
 * SQLite store): in a cluster the other owners may be alive, and their leases expire by themselves.
 */
export async function releaseLeases<Row extends QueueRow>(db: QueueDb, table: QueueTable<Row, unknown>, now: number, keep?: string): Promise<number> {
  // PostgreSQL may be shared by live nodes: a dead member's leases are ended by the survivors
  // instead (store/cluster/membership.ts), by the lease prefix it registered.
  if (isPostgres(db)) return 0;
  let query = db.updateTable(table.name).set({ lease_owner: null, next_attempt_at: now }).where('lease_owner', 'is not', null);
  if (keep !== undefined) query = query.where('lease_owner', '!=', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
