import type { ExpressionBuilder } from 'kysely';
import type { QueueDb, QueueRow, QueueTable } from './queue.js';

export interface LeaseRequest {
  owner: string;
  now: number;
  /** How long the items stay invisible unless acked, retried or dead first. */
  leaseMs: number;
  limit: number;
  /** Items whose `column` holds one of `values` are left for later (a consumer's paused keys). */
  skip?: { column: string; values: ReadonlyArray<string | number> };
}

/**
 * Leases up to `limit` visible items (due, or whose lease ran out) in the table's order: each
 * becomes invisible until `now + leaseMs` and is owned by `owner`. With a group column only the
 * oldest item of each group is offered. Returns the rows as leased.
 *
 * No transaction: the UPDATE takes only rows still visible, so an item another owner leased
 * between the two statements is left to it; and an idle look (the common case) is one SELECT.
 */
export async function lease<Row extends QueueRow>(db: QueueDb, table: QueueTable<Row, unknown>, request: LeaseRequest): Promise<Row[]> {
  const { owner, now, leaseMs, limit, skip } = request;
  if (limit <= 0) return [];
  let query = db.selectFrom(`${table.name} as q`).selectAll('q').where('q.next_attempt_at', '<=', now);
  if (table.group) query = query.where((eb) => groupHead(eb, table.name, table.group!));
  if (skip && skip.values.length > 0) query = query.where(`q.${skip.column}`, 'not in', skip.values);
  for (const column of table.order) query = query.orderBy(`q.${column}`);
  const rows = (await query.limit(limit).execute()) as Row[];
  if (rows.length === 0) return [];
  const until = now + leaseMs;
  const taken = await db
    .updateTable(table.name)
    .set({ lease_owner: owner, next_attempt_at: until })
    .where('id', 'in', rows.map((r) => r.id))
    .where('next_attempt_at', '<=', now)
    .returning('id')
    .execute();
  const ids = new Set(taken.map((r) => r.id as Row['id']));
  const leased: Row[] = [];
  for (const row of rows) if (ids.has(row.id)) leased.push({ ...row, lease_owner: owner, next_attempt_at: until });
  return leased;
}

/** `q` is ungrouped or the oldest item of its group (which waits, leased or not, for its head). */
export function groupHead(eb: ExpressionBuilder<any, any>, tableName: string, group: string) {
  return eb.or([
    eb(`q.${group}`, 'is', null),
    eb.not(eb.exists(eb.selectFrom(`${tableName} as p`).select('p.id').whereRef(`p.${group}`, '=', `q.${group}`).whereRef('p.id', '<', 'q.id'))),
  ]);
}
