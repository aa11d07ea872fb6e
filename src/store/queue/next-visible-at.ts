import type { QueueDb, QueueRow, QueueTable } from './queue.js';
import { groupHead } from './lease.js';

/**
 * When the next item a lease could take becomes visible (null: none), for the drain's timer.
 * Live leases do not count (their owner acks or retries them); an expired one is visible now. A
 * group's later items do not count either: they wait for their head, whose time is the group's.
 */
export async function nextVisibleAt<Row extends QueueRow>(db: QueueDb, table: QueueTable<Row, unknown>, now: number): Promise<number | null> {
  let query = db
    .selectFrom(`${table.name} as q`)
    .select('q.next_attempt_at as at')
    .where((eb) => eb.or([eb('q.lease_owner', 'is', null), eb('q.next_attempt_at', '<=', now)]));
  if (table.group) query = query.where((eb) => groupHead(eb, table.name, table.group!));
  const row = (await query.orderBy('q.next_attempt_at').limit(1).executeTakeFirst()) as { at: number | string } | undefined;
  return row ? Number(row.at) : null;
}
