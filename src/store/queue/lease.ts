import { sql, type ExpressionBuilder } from 'kysely';
import { isPostgres } from '../database.js';
import { PreparedByShape } from '../prepared-query.js';
import type { QueueDb, QueueRow, QueueTable } from './queue.js';

export interface LeaseRequest {
  owner: string;
  now: number;
  /** How long the items stay invisible unless acked, retried or dead first. */
  leaseMs: number;
  limit: number;
  /**
   * Items whose `column` holds one of `values` are left for later (a consumer's paused keys). The
   * table should have an index on (`column`, then its order): see `dueOfKeysNotSkipped`.
   */
  skip?: { column: string; values: ReadonlyArray<string | number> };
}

/**
 * The SELECT and UPDATE of an embedded-store lease, compiled once per table and shape: the drains
 * lease on every wake under load, and Kysely's builders and compiler cost more than SQLite's run.
 */
const statements = new PreparedByShape();

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
  if (isPostgres(db)) return leaseLocking(db, table, request);
  let rows: Row[];
  if (skip && skip.values.length > 0 && !table.group) {
    rows = await dueOfKeysNotSkipped(db, table, now, limit, skip);
  } else {
    const skipped = skip?.values ?? [];
    const args: Record<string, unknown> = { now, limit };
    skipped.forEach((value, i) => (args[`skip${i}`] = value));
    const selected = await statements.execute<Row>(db, `due:${tableShape(table)}:${skip?.column ?? ''}:${skipped.length}`, (q, arg) => {
      let query = q.selectFrom(`${table.name} as q`).selectAll('q').where('q.next_attempt_at', '<=', arg('now'));
      if (table.group) query = query.where((eb) => groupHead(eb, table.name, table.group!));
      if (skip && skipped.length > 0) query = query.where(`q.${skip.column}`, 'not in', skipped.map((_, i) => arg(`skip${i}`)));
      for (const column of table.order) query = query.orderBy(`q.${column}`);
      return query.limit(arg('limit'));
    }, args);
    rows = selected.rows;
  }
  if (rows.length === 0) return [];
  const until = now + leaseMs;
  const args: Record<string, unknown> = { owner, until, now };
  rows.forEach((row, i) => (args[`id${i}`] = row.id));
  const taken = await statements.execute<{ id: Row['id'] }>(db, `take:${table.name}:${rows.length}`, (q, arg) =>
    q.updateTable(table.name)
      .set({ lease_owner: arg('owner'), next_attempt_at: arg('until') })
      .where('id', 'in', rows.map((_, i) => arg(`id${i}`)))
      .where('next_attempt_at', '<=', arg('now'))
      .returning('id'),
  args);
  const ids = new Set(taken.rows.map((r) => r.id));
  const leased: Row[] = [];
  for (const row of rows) if (ids.has(row.id)) leased.push({ ...row, lease_owner: owner, next_attempt_at: until });
  return leased;
}

/**
 * PostgreSQL: several processes lease from one table at once. The candidates are locked with
 * `FOR UPDATE SKIP LOCKED`, so a leaser passes over rows another is taking instead of waiting for
 * it (and then finding them gone), and the UPDATE in the same statement makes them its own. The
 * skip path picks candidates as on SQLite, then locks and takes those still free.
 */
async function leaseLocking<Row extends QueueRow>(db: QueueDb, table: QueueTable<Row, unknown>, request: LeaseRequest): Promise<Row[]> {
  const { owner, now, leaseMs, limit, skip } = request;
  const t = sql.table(table.name);
  const until = now + leaseMs;
  let candidates;
  if (skip && skip.values.length > 0 && !table.group) {
    const ids = (await dueOfKeysNotSkipped(db, table, now, limit, skip)).map((r) => r.id);
    if (ids.length === 0) return [];
    candidates = db
      .selectFrom(`${table.name} as q`)
      .selectAll('q')
      .where('q.id', 'in', ids)
      .where('q.next_attempt_at', '<=', now);
  } else {
    candidates = db.selectFrom(`${table.name} as q`).selectAll('q').where('q.next_attempt_at', '<=', now);
    if (table.group) candidates = candidates.where((eb) => groupHead(eb, table.name, table.group!));
    if (skip && skip.values.length > 0) candidates = candidates.where(`q.${skip.column}`, 'not in', skip.values);
  }
  for (const column of table.order) candidates = candidates.orderBy(`q.${column}`);
  const picked = candidates.limit(limit).forUpdate().skipLocked();
  const order = sql.join(table.order.map((column) => sql.ref(`picked.${column}`)));
  const result = await sql<Row>`
    with picked as (${picked}),
    taken as (update ${t} set lease_owner = ${owner}, next_attempt_at = ${until} from picked where ${sql.ref(`${table.name}.id`)} = picked.id returning ${sql.ref(`${table.name}.id`)})
    select picked.* from picked join taken on taken.id = picked.id order by ${order}`.execute(db);
  return result.rows.map((row) => ({ ...row, lease_owner: owner, next_attempt_at: until }));
}

/**
 * The oldest `limit` due items whose `skip.column` is not skipped, without reading the skipped
 * keys' items: walking the table's order and filtering would read every due item of a skipped
 * key (a throttled function's whole backlog) on each lease. Instead each distinct key is visited
 * once through the (`column`, order) index — the next key is the smallest one above the last —
 * and only its `limit` oldest due items are read; the union is ordered and cut to `limit`. The
 * cost grows with the number of keys queued, not with the items queued under them.
 */
async function dueOfKeysNotSkipped<Row extends QueueRow>(
  db: QueueDb,
  table: QueueTable<Row, unknown>,
  now: number,
  limit: number,
  skip: { column: string; values: ReadonlyArray<string | number> },
): Promise<Row[]> {
  const t = sql.table(table.name);
  const key = sql.ref(skip.column);
  const order = sql.join(table.order.map((column) => sql.ref(`q.${column}`)));
  const innerOrder = sql.join(table.order.map((column) => sql.ref(`p.${column}`)));
  const result = await sql<Row>`
    with recursive keys(k) as (
      select min(${key}) from ${t}
      union all
      select (select min(${key}) from ${t} where ${key} > keys.k) from keys where keys.k is not null
    )
    select q.* from keys join ${t} as q on q.id in (
      select p.id from ${t} as p
      where ${sql.ref(`p.${skip.column}`)} = keys.k and p.next_attempt_at <= ${now}
      order by ${innerOrder} limit ${limit}
    )
    where keys.k is not null and keys.k not in (${sql.join(skip.values.map((v) => sql`${v}`))})
    order by ${order} limit ${limit}`.execute(db);
  return result.rows;
}

/** What of a queue table its statements' text depends on: its name, order and group column. */
export function tableShape(table: { name: string; order: ReadonlyArray<string>; group?: string }): string {
  return `${table.name}:${table.order.join(',')}:${table.group ?? ''}`;
}

/** `q` is ungrouped or the oldest item of its group (which waits, leased or not, for its head). */
export function groupHead(eb: ExpressionBuilder<any, any>, tableName: string, group: string) {
  return eb.or([
    eb(`q.${group}`, 'is', null),
    eb.not(eb.exists(eb.selectFrom(`${tableName} as p`).select('p.id').whereRef(`p.${group}`, '=', `q.${group}`).whereRef('p.id', '<', 'q.id'))),
  ]);
}
