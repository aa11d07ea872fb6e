import type { Logger } from '../../logger.js';
import type { ClusterMembership } from '../../store/cluster/membership.js';
import type { Store } from '../../store/database.js';
import type { QueueScope } from './model.js';
import { parseQueueArn } from './queue-arns.js';
import type { SqsQueues } from './queues.js';

/** Where the calls on one account's queues in one region go. */
export type QueueRoute = { local: true } | { relayTo: string } | { unavailable: true };

const LEASE_PREFIX = 'sqs-queues:';
const keyOf = (scope: QueueScope): string => `${scope.accountId}/${scope.region}`;
const scopeOf = (key: string): QueueScope => {
  const at = key.indexOf('/');
  return { accountId: key.slice(0, at), region: key.slice(at + 1) };
};

/**
 * On a shared store, each account's queues in one region are served by one node at a time, from
 * its memory as on a single node; the others relay those calls to it. Ownership is a row of
 * `cluster_leases` (`sqs-queues:<account>/<region>`) the owner renews with each heartbeat: the
 * unit is an account and region, not a queue, because dead-letter moves, redrive checks,
 * ListQueues and move tasks work across the queues of one account and region. A node takes a
 * free scope when a call needs it (CreateQueue, or a call on queues whose owner is gone) and, each
 * heartbeat, free scopes up to its share of them, so a dead owner's queues move to a survivor
 * even when no call asks for them; it loads them from the store when it takes them. A node that
 * finds its row taken (it was taken for dead) drops those queues from memory at once.
 */
export class SqsQueueOwnership {
  private readonly served = new Set<string>();
  private readonly claiming = new Map<string, Promise<boolean>>();
  private readonly ownerCache = new Map<string, { url: string; until: number }>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: { db: Store; membership: ClusterMembership; queues: SqsQueues; logger: Logger }) {}

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
    if (names.length > 0) await this.deps.db.deleteFrom('cluster_leases').where('name', 'in', names).where('owner', '=', this.deps.membership.nodeId).execute();
  }

  /** Whether this node serves the queue now (its event source mappings run here). */
  servesQueue(arn: string): boolean {
    const parsed = parseQueueArn(arn);
    return parsed !== null && this.served.has(keyOf(parsed));
  }

  /**
   * Where calls on `scope`'s queues go now. A free scope is taken when `claimIfFree` (creating a
   * queue) or when it holds queues; otherwise there is nothing to serve and the call runs here.
   */
  async route(scope: QueueScope, claimIfFree: boolean): Promise<QueueRoute> {
    if (this.stopped) return { unavailable: true };
    const key = keyOf(scope);
    if (this.served.has(key)) return { local: true };
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
    if (await this.claim(key)) return { local: true };
    return { unavailable: true };
  }

  /** A relay to the cached owner failed: look it up again next time. */
  forgetOwner(scope: QueueScope): void {
    this.ownerCache.delete(keyOf(scope));
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
   * predecessor) and loads its queues; one attempt at a time per scope.
   */
  private claim(key: string, replacing?: string): Promise<boolean> {
    const pending = this.claiming.get(key);
    if (pending) return pending;
    const attempt = (async () => {
      const now = Date.now();
      const owner = this.deps.membership.nodeId;
      const taken = await this.deps.db
        .insertInto('cluster_leases')
        .values({ name: LEASE_PREFIX + key, owner, expires_at: now + this.ttlMs })
        .onConflict((oc) => oc.column('name').doUpdateSet({ owner, expires_at: now + this.ttlMs }).where((eb) => eb.or([eb('cluster_leases.expires_at', '<=', now), eb('cluster_leases.owner', '=', owner), eb('cluster_leases.owner', '=', replacing ?? owner)])))
        .returning('name')
        .execute();
      if (taken.length !== 1 || this.stopped) return false;
      try {
        await this.deps.queues.loadScope(scopeOf(key));
      } catch (err) {
        await this.deps.db.deleteFrom('cluster_leases').where('name', '=', LEASE_PREFIX + key).where('owner', '=', owner).execute();
        throw err;
      }
      this.served.add(key);
      this.ownerCache.delete(key);
      this.deps.logger.info({ scope: key }, 'serving sqs queues');
      return true;
    })().finally(() => this.claiming.delete(key));
    this.claiming.set(key, attempt);
    return attempt;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = Date.now();
    const owner = this.deps.membership.nodeId;
    if (this.served.size > 0) {
      const names = [...this.served].map((key) => LEASE_PREFIX + key);
      const renewed = await this.deps.db.updateTable('cluster_leases').set({ expires_at: now + this.ttlMs }).where('name', 'in', names).where('owner', '=', owner).returning('name').execute();
      const kept = new Set(renewed.map((r) => r.name.slice(LEASE_PREFIX.length)));
      for (const key of [...this.served]) {
        if (kept.has(key)) continue;
        // Another node took it (this one was taken for dead): it serves them from the store now.
        this.served.delete(key);
        await this.deps.queues.unloadScope(scopeOf(key));
        this.deps.logger.warn({ scope: key }, 'sqs queues taken over by another node');
      }
    }
    // Free scopes (a dead or departed owner's), up to this node's share of all of them.
    const scopes = await this.deps.db.selectFrom('sqs_queues').select(['account_id', 'region']).distinct().execute();
    if (scopes.length === 0) return;
    const keys = scopes.map((s) => keyOf({ accountId: s.account_id, region: s.region }));
    const rows = await this.deps.db.selectFrom('cluster_leases').select(['name', 'expires_at']).where('name', 'in', keys.map((k) => LEASE_PREFIX + k)).execute();
    const held = new Set(rows.filter((r) => Number(r.expires_at) > now).map((r) => r.name.slice(LEASE_PREFIX.length)));
    const share = Math.ceil(keys.length / this.deps.membership.placeOf().count);
    for (const key of keys) {
      if (this.served.size >= share || this.stopped) break;
      if (!held.has(key)) await this.claim(key);
    }
  }
}
