import type { Transaction } from 'kysely';
import type { Logger } from '../../logger.js';
import type { ClusterMembership } from '../../store/cluster/membership.js';
import type { Store } from '../../store/database.js';
import type { Database } from '../../store/schema.js';
import type { QueueScope } from './model.js';
import { parseQueueArn } from './queue-arns.js';
import type { SqsQueues } from './queues.js';
import { scopeKey, scopeOfKey } from './scope-keys.js';
import type { WriteFence } from './write-log.js';

/** Where the calls on one account's queues in one region go. */
export type QueueRoute = { local: true } | { relayTo: string } | { unavailable: true };

const LEASE_PREFIX = 'sqs-queues:';

/**
 * On a shared store, each account's queues in one region are served by one node at a time, from
 * its memory as on a single node; the others relay those calls to it. Ownership is a row of
 * `cluster_leases` (`sqs-queues:<account>/<region>`) the owner renews with each heartbeat: the
 * unit is an account and region, not a queue, because dead-letter moves, redrive checks,
 * ListQueues and move tasks work across the queues of one account and region.
 *
 * A node takes a free scope when a call needs it (CreateQueue, or a call on queues whose owner is
 * gone) and, each heartbeat, free scopes up to its share of them (all scopes ÷ live members,
 * rounded up), so a dead owner's queues move to a survivor even when no call asks for them; it
 * takes the lease and reads the queues in one transaction. A node holding more than its share (a
 * node joined) hands the surplus over as a stopping node does: calls on them answer 503 for the
 * moment of the move, its last writes commit, the lease goes, and it leaves them to the others
 * for an expiry period instead of taking them back on the next call.
 *
 * A node serves its queues only while its lease and heartbeat are younger than the expiry (a node
 * paused past it answers 503 until a renewal says they are still its), and every write it makes
 * for them checks the lease row in its own transaction (WriteFence): a node that lost its queues
 * stores nothing the new owner does not see, answers 503 and drops them.
 */
export class SqsQueueOwnership implements WriteFence {
  private readonly served = new Set<string>();
  /** When each served scope's lease was last written (taken or renewed). */
  private readonly renewedAt = new Map<string, number>();
  private readonly claiming = new Map<string, Promise<boolean>>();
  /** Scopes being handed over now: their calls answer 503 until the lease is gone. */
  private readonly handingOver = new Set<string>();
  /** Scopes this node handed over, and until when it leaves them to the others. */
  private readonly handedOver = new Map<string, number>();
  private readonly ownerCache = new Map<string, { url: string; until: number }>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: { db: Store; membership: ClusterMembership; queues: SqsQueues; logger: Logger }) {
    deps.queues.fenceWrites(this);
  }

  private get ttlMs(): number {
    return this.deps.membership.timing.expiryMs;
  }

  /** Renews and takes leases with every heartbeat period. */
  start(): void {
    this.timer = setInterval(() => {
      this.ticking = this.ticking.then(() => this.tick()).catch((err: unknown) => this.deps.logger.warn({ err }, 'sqs queue ownership not renewed'));
    }, this.deps.membership.timing.heartbeatMs);
    this.timer.unref();
  }

  /** Shutting down: calls are refused (503, clients retry) until the rows go with the member row. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }

  /** Hands this node's queues to the others (after its last writes for them committed). */
  async release(): Promise<void> {
    const names = [...this.served].map((key) => LEASE_PREFIX + key);
    this.served.clear();
    this.renewedAt.clear();
    if (names.length > 0) await this.deleteLeases(names);
  }

  /** Whether this node serves the queue now (its event source mappings run here). */
  servesQueue(arn: string): boolean {
    const parsed = parseQueueArn(arn);
    return parsed !== null && this.served.has(scopeKey(parsed));
  }

  /**
   * Where calls on `scope`'s queues go now. A free scope is taken when `claimIfFree` (creating a
   * queue) or when it holds queues; otherwise there is nothing to serve and the call runs here.
   */
  async route(scope: QueueScope, claimIfFree: boolean): Promise<QueueRoute> {
    if (this.stopped) return { unavailable: true };
    const key = scopeKey(scope);
    if (this.served.has(key)) return this.leaseCurrent(key) ? { local: true } : { unavailable: true };
    if (this.handingOver.has(key)) return { unavailable: true };
    const pending = this.claiming.get(key);
    if (pending && (await pending)) return { local: true };
    const now = Date.now();
    const cached = this.ownerCache.get(key);
    if (cached && cached.until > now) return { relayTo: cached.url };
    const owner = await this.liveOwner(key, now);
    if (owner !== null && owner !== this.deps.membership.nodeId) {
      const members = this.deps.membership.members();
      const member = members.find((m) => m.nodeId === owner);
      // Its heartbeat is not seen yet (joining) or no longer (dying): the caller retries.
      if (!member || member.draining) return { unavailable: true };
      // A process before this one on the same address (killed, restarted): it cannot be alive.
      if (member.url === members.find((m) => m.nodeId === this.deps.membership.nodeId)?.url) {
        return (await this.claim(key, owner)) ? { local: true } : { unavailable: true };
      }
      this.ownerCache.set(key, { url: member.url, until: now + this.deps.membership.timing.heartbeatMs });
      return { relayTo: member.url };
    }
    if (owner === null && !claimIfFree && !(await this.holdsQueues(scope))) return { local: true };
    // Just handed over: the node taking them does so within a heartbeat; the caller retries.
    if (owner === null && (this.handedOver.get(key) ?? 0) > now) return { unavailable: true };
    if (await this.claim(key)) return { local: true };
    return { unavailable: true };
  }

  /** A relay to the cached owner failed: look it up again next time. */
  forgetOwner(scope: QueueScope): void {
    this.ownerCache.delete(scopeKey(scope));
  }

  /** WriteFence: the scopes among `keys` whose lease row names this node, read in the write's transaction. */
  async held(trx: Transaction<Database>, keys: string[]): Promise<Set<string>> {
    const rows = await trx
      .selectFrom('cluster_leases')
      .select('name')
      .where('name', 'in', keys.map((key) => LEASE_PREFIX + key))
      .where('owner', '=', this.deps.membership.nodeId)
      .execute();
    return new Set(rows.map((r) => r.name.slice(LEASE_PREFIX.length)));
  }

  /** WriteFence: writes for these scopes were refused, another node has them: stop serving them. */
  lost(keys: string[]): void {
    for (const key of keys) void this.drop(key, 'sqs queues taken over by another node: a write for them was refused');
  }

  /**
   * Whether the lease of a served scope still holds by this node's own clock: the others may take
   * it once this node's heartbeat or its renewal of the lease is `expiryMs` old (a paused
   * process, a store it could not reach). Until a renewal succeeds, its calls answer 503.
   */
  private leaseCurrent(key: string): boolean {
    const since = Math.min(this.renewedAt.get(key) ?? 0, this.deps.membership.heartbeatAt);
    return Date.now() < since + this.ttlMs;
  }

  /**
   * The members scopes are shared among: this node and those that are not draining and have
   * heartbeated since they joined (a node heartbeats once it listens; until then its row shows
   * the time it joined, and scopes handed to it would wait for it).
   */
  private sharers(): number {
    const self = this.deps.membership.nodeId;
    return Math.max(1, this.deps.membership.members().filter((m) => m.nodeId === self || (!m.draining && m.heartbeatAt > m.startedAt)).length);
  }

  private async liveOwner(key: string, now: number): Promise<string | null> {
    const row = await this.deps.db.selectFrom('cluster_leases').select(['owner', 'expires_at']).where('name', '=', LEASE_PREFIX + key).executeTakeFirst();
    return row && Number(row.expires_at) > now ? row.owner : null;
  }

  private async holdsQueues(scope: QueueScope): Promise<boolean> {
    const row = await this.deps.db.selectFrom('sqs_queues').select('arn').where('account_id', '=', scope.accountId).where('region', '=', scope.region).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Takes the scope if its row is free (or already this node's, or held by `replacing`, a dead
   * predecessor) and reads its queues in the same transaction (see WriteFence), then serves them;
   * one attempt at a time per scope.
   */
  private claim(key: string, replacing?: string): Promise<boolean> {
    // Already served: a call that found the scope free (or the lease row this node's) before the
    // heartbeat or another call took it must not read it again. A second read would put new
    // queue objects in place of those that calls under way still hold, and a send they store
    // after that read would be acknowledged yet sit in no served queue until the queues move.
    if (this.served.has(key)) return Promise.resolve(true);
    const pending = this.claiming.get(key);
    if (pending) return pending;
    const attempt = (async () => {
      const owner = this.deps.membership.nodeId;
      const scope = scopeOfKey(key);
      let now = 0;
      const stored = await this.deps.db.transaction().execute(async (trx) => {
        now = Date.now();
        const taken = await trx
          .insertInto('cluster_leases')
          .values({ name: LEASE_PREFIX + key, owner, expires_at: now + this.ttlMs })
          .onConflict((oc) => oc.column('name').doUpdateSet({ owner, expires_at: now + this.ttlMs }).where((eb) => eb.or([eb('cluster_leases.expires_at', '<=', now), eb('cluster_leases.owner', '=', owner), eb('cluster_leases.owner', '=', replacing ?? owner)])))
          .returning('name')
          .execute();
        return taken.length === 1 ? this.deps.queues.readScope(trx, scope) : undefined;
      });
      if (!stored) return false;
      if (this.stopped) {
        await this.deleteLeases([LEASE_PREFIX + key]);
        return false;
      }
      this.deps.queues.restoreScope(stored);
      this.served.add(key);
      this.renewedAt.set(key, now);
      this.handedOver.delete(key);
      this.ownerCache.delete(key);
      this.deps.logger.info({ scope: key }, 'serving sqs queues');
      return true;
    })().finally(() => this.claiming.delete(key));
    this.claiming.set(key, attempt);
    return attempt;
  }

  /** Stops serving a scope another node has taken (its writes were committed or refused). */
  private async drop(key: string, why: string): Promise<void> {
    if (!this.served.delete(key)) return;
    this.renewedAt.delete(key);
    await this.deps.queues.unloadScope(scopeOfKey(key));
    this.deps.logger.warn({ scope: key }, why);
  }

  /**
   * Gives a scope up for another node to take, as a stopping node gives all of them: calls on it
   * answer 503 meanwhile (SDKs retry), its mappings stop here, its last writes commit (later ones
   * are refused), then the lease goes.
   */
  private async handOver(key: string): Promise<void> {
    this.handingOver.add(key);
    this.served.delete(key);
    this.renewedAt.delete(key);
    try {
      await this.deps.queues.unloadScope(scopeOfKey(key));
      await this.deleteLeases([LEASE_PREFIX + key]);
      this.handedOver.set(key, Date.now() + this.ttlMs);
      this.deps.logger.info({ scope: key }, 'sqs queues handed over: this node held more than its share');
    } finally {
      this.handingOver.delete(key);
    }
  }

  /** In a transaction, so that it is ordered with this node's writes (WriteFence). */
  private async deleteLeases(names: string[]): Promise<void> {
    const owner = this.deps.membership.nodeId;
    await this.deps.db.transaction().execute((trx) => trx.deleteFrom('cluster_leases').where('name', 'in', names).where('owner', '=', owner).execute());
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const owner = this.deps.membership.nodeId;
    if (this.served.size > 0) {
      const now = Date.now();
      const names = [...this.served].map((key) => LEASE_PREFIX + key);
      const renewed = await this.deps.db.updateTable('cluster_leases').set({ expires_at: now + this.ttlMs }).where('name', 'in', names).where('owner', '=', owner).returning('name').execute();
      const kept = new Set(renewed.map((r) => r.name.slice(LEASE_PREFIX.length)));
      for (const key of [...this.served]) {
        // Another node took it (this one was taken for dead): it serves them from the store now.
        if (kept.has(key)) this.renewedAt.set(key, now);
        else await this.drop(key, 'sqs queues taken over by another node');
      }
    }
    const now = Date.now();
    const scopes = await this.deps.db.selectFrom('sqs_queues').select(['account_id', 'region']).distinct().execute();
    if (scopes.length === 0) return;
    const keys = scopes.map((s) => scopeKey({ accountId: s.account_id, region: s.region })).sort();
    // Scopes taken since the read (a queue created meanwhile) count too, or this node would hand one over at once.
    const share = Math.ceil(new Set([...keys, ...this.served]).size / this.sharers());
    // More than its share (a node joined): the surplus goes, last keys first so the choice is stable.
    for (const key of [...this.served].sort().slice(share)) {
      if (this.stopped) return;
      await this.handOver(key);
    }
    // Free scopes (a dead, departed or over-share owner's), up to this node's share of all of them.
    const rows = await this.deps.db.selectFrom('cluster_leases').select(['name', 'expires_at']).where('name', 'in', keys.map((k) => LEASE_PREFIX + k)).execute();
    const held = new Set(rows.filter((r) => Number(r.expires_at) > now).map((r) => r.name.slice(LEASE_PREFIX.length)));
    for (const key of keys) {
      if (this.served.size >= share || this.stopped) break;
      if (held.has(key) || this.served.has(key) || (this.handedOver.get(key) ?? 0) > now) continue;
      await this.claim(key);
    }
  }
}
