import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import { ack } from './ack.js';
import { dead, deadLetters, type DeadLetter } from './dead.js';
import { depth } from './depth.js';
import { enqueue } from './enqueue.js';
import { lease, type LeaseRequest } from './lease.js';
import { nextVisibleAt } from './next-visible-at.js';
import { newLeaseOwner, type QueueDb, type QueueRow, type QueueTable, type RetryFields } from './queue.js';
import { releaseLeases } from './release-leases.js';
import { retryAt } from './retry-at.js';

/**
 * One consumer's handle on its queue table: the primitives bound to a store, a clock and a lease
 * owner of its own. This is the interface the conformance suite checks and the consumers drain.
 */
export class DurableQueue<Row extends QueueRow, Insert = Omit<Row, 'next_attempt_at' | 'lease_owner'>> {
  constructor(
    readonly db: Kysely<any>,
    readonly table: QueueTable<Row, Insert>,
    readonly clock: Clock,
    readonly owner: string = newLeaseOwner(),
  ) {}

  /** Writes items in `trx` (the caller's transaction), visible from `visibleAt` (default: now). */
  enqueue(trx: QueueDb, items: readonly Insert[], visibleAt = this.clock.now()): Promise<void> {
    return enqueue(trx, this.table, items, visibleAt);
  }

  lease(limit: number, leaseMs: number, skip?: LeaseRequest['skip']): Promise<Row[]> {
    return lease(this.db, this.table, { owner: this.owner, now: this.clock.now(), leaseMs, limit, skip });
  }

  /** Through `db` when given (the caller's transaction), so the acks commit with its other writes. */
  ack(ids: ReadonlyArray<Row['id']>, db: QueueDb = this.db): Promise<number> {
    return ack(db, this.table, this.owner, ids);
  }

  retryAt(id: Row['id'], at: number, fields?: RetryFields<Row>): Promise<boolean> {
    return retryAt(this.db, this.table, this.owner, id, at, fields);
  }

  dead(id: Row['id'], reason: string): Promise<boolean> {
    return dead(this.db, this.table, this.owner, id, reason, this.clock.now());
  }

  deadLetters(): Promise<Array<DeadLetter<Row>>> {
    return deadLetters(this.db, this.table);
  }

  /** Leases of other (earlier) owners end now; see release-leases.ts for when that is right. */
  releaseLeases(): Promise<number> {
    return releaseLeases(this.db, this.table, this.clock.now(), this.owner);
  }

  nextVisibleAt(): Promise<number | null> {
    return nextVisibleAt(this.db, this.table, this.clock.now());
  }

  depth(): Promise<number> {
    return depth(this.db, this.table);
  }
}
