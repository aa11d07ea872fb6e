import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely, Transaction } from 'kysely';

/*
 * The durable queue: one set of primitives (enqueue, lease, ack, retry-at, dead, release-leases,
 * next-visible-at), one file each, and one drain loop (drain.ts) that wakes on enqueue and on a
 * clock timer for the next visible item. Asynchronous invocation, SNS deliveries, EventBridge
 * deliveries and S3 notifications consume it; each keeps its own payload columns, retry schedule
 * and delivery, and decides nothing about leasing, acking or waking.
 *
 * Storage: the primitives are parameterised over each consumer's existing table rather than one
 * generic table. Every queue table has `id` (increasing in enqueue order where ordering is
 * promised), `next_attempt_at` (the visible time) and `lease_owner` (migration 0011). Why:
 * - nothing moves on upgrade: rows queued before it stay where they are and keep their ids, the
 *   async events leased by the process that ran before the upgrade keep their lease (recovered at
 *   start), and there is no copy step that could lose or duplicate a message;
 * - each consumer keeps its typed columns and indexes (async events filter by function, SNS
 *   deliveries by FIFO group), which a generic table would fold into an untyped payload;
 * - the tests and tools that read those tables (depth, attempts, last_error) keep working.
 * The cost is that the table name and a few column names are parameters, not literals; the
 * conformance suite (test/durable-queue.test.ts) runs the primitives against a table of its own.
 *
 * Semantics, the same for every consumer (and for a later PostgreSQL store):
 * - at least once: a message leaves its table only through an ack (or dead) by its lease owner;
 * - a lease makes an item invisible until `now + leaseMs` and names its owner; an expired lease
 *   is visible again and can be leased by anyone (a crash between lease and ack redelivers; on
 *   the embedded store a restart releases earlier owners' leases at once). The drain never runs
 *   an item twice at once: an item of its own still under way whose lease ran out is renewed;
 * - ack, retry-at and dead are owner-checked: an owner whose lease was taken over changes nothing;
 * - ordering: due items in the table's `order`; with a `group` column, only the oldest item of a
 *   group can be leased, whether it is due or waiting for its retry (FIFO per group);
 * - time comes from the caller (a Clock), and the retry schedule from the consumer.
 */

/** Columns every queue table has. */
export interface QueueRow {
  id: number | string;
  /** When the item is next visible: its due time, or the end of its lease. */
  next_attempt_at: number;
  /** Who holds the lease; null when none does. */
  lease_owner: string | null;
}

/** A consumer's table as the primitives see it. `Row` is its selected row, `Insert` what a consumer writes. */
export interface QueueTable<Row extends QueueRow, Insert = Omit<Row, 'next_attempt_at' | 'lease_owner'>> {
  readonly name: string;
  /** Order in which due items are leased (ties broken however the database likes). */
  readonly order: ReadonlyArray<keyof Row & string>;
  /** FIFO per group: only the oldest (lowest id) item of a group is ever leased. */
  readonly group?: keyof Row & string;
  /** Type carriers only; never set. */
  readonly row?: Row;
  readonly insert?: Insert;
}

/** Columns retry-at may change besides the visible time (attempt counters, last error, …). */
export type RetryFields<Row extends QueueRow> = Partial<Omit<Row, 'id' | 'next_attempt_at' | 'lease_owner'>>;

/**
 * Any Kysely instance or transaction over a database that holds the table. The primitives build
 * their queries from the table's name, so they are typed by `QueueTable`, not by the schema.
 */
export type QueueDb = Kysely<any> | Transaction<any>;

/**
 * What every lease owner id of this process starts with (then '/'): host, pid and a random tag, so
 * that a restarted process (the same pid after a reboot) is not taken for its predecessor. A
 * cluster member records it, and the survivors of a dead member end its leases at once.
 */
export const LEASE_PREFIX = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;

/** A lease owner id: which host and process holds a lease, unique per queue instance. */
export function newLeaseOwner(): string {
  return `${LEASE_PREFIX}/${randomBytes(4).toString('hex')}`;
}

/** SQLite binds at most 32,766 parameters per statement; PostgreSQL 65,535. */
export const MAX_BOUND_PARAMETERS = 32_000;
/** Ids per `IN (…)` list. */
export const IDS_PER_STATEMENT = 500;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
