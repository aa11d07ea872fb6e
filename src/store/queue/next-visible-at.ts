import type { QueueDb, QueueRow, QueueTable } from './queue.js';
import { PreparedByShape } from '../prepared-query.js';
import { groupHead, tableShape } from './lease.js';

/**
 * When the next item a lease could take becomes visible (null: none), for the drain's timer.
 * Live leases do not count (their owner acks or retries them); an expired one is visible now. A
 * group's later items do not count either: they wait for their head, whose time is the group's.
 */
export async function nextVisibleAt<Row extends QueueRow>(db: QueueDb, table: QueueTable<Row, unknown>, now: number): Promise<number | null> {
  const result = await statements.execute<{ at: number | string }>(db, tableShape(table), (q, arg) => {
    let query = q
      .selectFrom(`${table.name} as q`)
      .select('q.next_attempt_at as at')
      .where((eb) => eb.or([eb('q.lease_owner', 'is', null), eb('q.next_attempt_at', '<=', arg('now'))]));
    if (table.group) query = query.where((eb) => groupHead(eb, table.name, table.group!));
    return query.orderBy('q.next_attempt_at').limit(1);
  }, { now });
  const row = result.rows[0];
  return row ? Number(row.at) : null;
}

/** One SELECT per table, compiled once: a drain asks after every pass. */
const statements = new PreparedByShape();
