import { sql } from 'kysely';
import type { Logger } from '../../logger.js';
import type { Store } from '../database.js';
import type { ClusterMembership } from './membership.js';

/** Tries at one claim: two nodes picking the same free slot at once both retry with another. */
const ATTEMPTS = 3;
/**
 * A claim that finds every slot held looks once more after this long before it throttles: the
 * slot of an execution that just answered is deleted a moment after its answer, and the caller's
 * next request (on any node) must not be refused for that moment.
 */
const RECHECK_MS = 25;

/**
 * Concurrency limits held for the whole cluster: an execution claims a numbered slot below its
 * scope's limit in `concurrency_slots` (one INSERT; the primary key refuses a slot someone holds,
 * so however many nodes claim at once, no more than `limit` rows are live), and deletes it when
 * done. The node renews its rows with each heartbeat; a dead node's rows expire with its member
 * row. A claim that finds every slot held is a throttle, as on one node.
 */
export class ConcurrencySlots {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Store,
    private readonly membership: ClusterMembership,
    private readonly logger: Logger,
  ) {}

  /** Renews this node's slots every heartbeat (a long invocation outlives the expiry). */
  start(): void {
    this.timer = setInterval(() => {
      const now = Date.now();
      this.db
        .updateTable('concurrency_slots')
        .set({ expires_at: now + this.membership.timing.expiryMs })
        .where('owner', '=', this.membership.nodeId)
        .execute()
        .catch((err: unknown) => this.logger.warn({ err }, 'concurrency slots not renewed'));
    }, this.membership.timing.heartbeatMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** A slot of `scope` (its release), or null when `limit` executions across the cluster hold one. */
  async claim(scope: string, limit: number): Promise<(() => void) | null> {
    if (limit <= 0) return null;
    const owner = this.membership.nodeId;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const now = Date.now();
      const expires = now + this.membership.timing.expiryMs;
      // A random free slot, so that nodes claiming together rarely pick the same one.
      const { rows } = await sql<{ slot: number }>`
        insert into concurrency_slots (scope, slot, owner, expires_at)
        select ${scope}, s, ${owner}, ${expires} from generate_series(0, ${limit - 1}::int) s
        where not exists (select 1 from concurrency_slots c where c.scope = ${scope} and c.slot = s and c.expires_at > ${now})
        order by random() limit 1
        on conflict (scope, slot) do update set owner = excluded.owner, expires_at = excluded.expires_at
          where concurrency_slots.expires_at <= ${now}
        returning slot`.execute(this.db);
      const slot = rows[0]?.slot;
      if (slot !== undefined) return this.releaser(scope, Number(slot));
      // Every slot held (or a concurrent claim took the one this picked): look again shortly.
      if (attempt < ATTEMPTS - 1) await new Promise((resolve) => setTimeout(resolve, RECHECK_MS));
    }
    return null;
  }

  private releaser(scope: string, slot: number): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.delete(scope, slot);
    };
  }

  private delete(scope: string, slot: number): void {
    this.db
      .deleteFrom('concurrency_slots')
      .where('scope', '=', scope)
      .where('slot', '=', slot)
      .where('owner', '=', this.membership.nodeId)
      .execute()
      .catch((err: unknown) => this.logger.warn({ err, scope }, 'concurrency slot not released (it expires)'));
  }

  /** Frees every slot this node holds (shutting down: its executions are over). */
  async releaseAll(): Promise<void> {
    await this.db.deleteFrom('concurrency_slots').where('owner', '=', this.membership.nodeId).execute();
  }
}
