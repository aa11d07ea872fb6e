import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from '../../logger.js';
import { isPostgres, type Store } from '../database.js';
import { LEASE_PREFIX } from '../queue/queue.js';
import { notifyQueuedWork, wakeDrains } from '../queue/wakes.js';

/** The durable queues: tables whose rows a node leases (lease_owner) while it works on them. */
const QUEUE_TABLES = ['async_events', 'sns_deliveries', 'events_deliveries', 's3_notification_outbox', 'cw_alarm_actions', 'logs_subscription_deliveries', 'scheduler_deliveries'] as const;

export interface MemberLoad {
  /** Invocations running on the node now. */
  inFlight: number;
  /** Its environments per state (init, ready, busy …). */
  environments: Record<string, number>;
  /** Invocations running per function (`account/region/name`), for cluster-wide concurrency. */
  functions: Record<string, number>;
  /** Provisioned environments past Init per version (`account/region/name/version`). */
  provisioned?: Record<string, number>;
  /** Environments an invocation could take now per version (provisioned ones included): where a sync invoke is forwarded. */
  idle?: Record<string, number>;
  /** Invocations under way, provisioned ones included (`inFlight` counts on-demand ones only). */
  running?: number;
  /** How many invocations the node runs at once before it forwards new ones (LAMBKIN_NODE_CAPACITY); absent: no limit. */
  capacity?: number;
}

export interface Member {
  nodeId: string;
  url: string;
  startedAt: number;
  heartbeatAt: number;
  draining: boolean;
  load: MemberLoad;
}

export interface MembershipTiming {
  /** How often a node writes its heartbeat. */
  heartbeatMs: number;
  /** A member whose heartbeat is older than this is dead: its leases and singletons are taken back. */
  expiryMs: number;
}

/**
 * This node's row in `cluster_members`, kept alive by a heartbeat that also reports its load, and
 * the view of the other members as of the last heartbeat. Each heartbeat also looks for members
 * whose heartbeat expired: the node that removes such a row (one transaction, so only one does)
 * makes that member's durable-queue leases visible again and frees its singleton leases, so a
 * killed node's work moves after `expiryMs` instead of after each lease's own timeout (16 minutes
 * for an asynchronous invocation). Wall-clock time on purpose: members on different machines
 * compare heartbeats, which a test's fake clock must not move.
 */
export class ClusterMembership {
  /** Unique per server instance (a process may run several in tests). */
  readonly nodeId = `${LEASE_PREFIX}#${randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private live: Member[] = [];
  private draining = false;
  private beating: Promise<void> = Promise.resolve();
  private readonly changeListeners: Array<() => void> = [];
  private beatAt = 0;

  constructor(
    private readonly deps: { db: Store; logger: Logger; url: () => string; load: () => MemberLoad; timing: MembershipTiming },
  ) {}

  get timing(): MembershipTiming {
    return this.deps.timing;
  }

  /**
   * When this node's last heartbeat that reached the store was written (its `heartbeat_at`): the
   * others take it for dead `expiryMs` after it, and may then take over what it owned.
   */
  get heartbeatAt(): number {
    return this.beatAt;
  }

  /** Registers this node; before anything leases work, so no sweep takes this node for dead. */
  async join(): Promise<void> {
    const now = Date.now();
    await this.deps.db
      .insertInto('cluster_members')
      .values({ node_id: this.nodeId, lease_prefix: LEASE_PREFIX, url: this.deps.url(), started_at: now, heartbeat_at: now, draining: 0, load: JSON.stringify(this.deps.load()) })
      .onConflict((oc) => oc.column('node_id').doUpdateSet({ heartbeat_at: now }))
      .execute();
    this.beatAt = now;
    // Leases of owners that are no member at all (a process from before members were recorded).
    if (isPostgres(this.deps.db)) await this.releaseOrphanLeases(now);
    await this.refresh(now);
  }

  /** Starts the heartbeat (after the node listens: its URL is known). */
  start(): void {
    this.timer = setInterval(() => {
      this.beating = this.beating.then(() => this.beat()).catch((err: unknown) => this.deps.logger.warn({ err }, 'cluster heartbeat failed'));
    }, this.deps.timing.heartbeatMs);
    this.timer.unref();
  }

  /** Live members as of the last heartbeat, in node id order (this node included). */
  members(): Member[] {
    return this.live;
  }

  /** This node's place among the live members that take new work, and how many there are. */
  placeOf(): { index: number; count: number } {
    const working = this.live.filter((m) => !m.draining || m.nodeId === this.nodeId);
    const index = working.findIndex((m) => m.nodeId === this.nodeId);
    return index < 0 ? { index: 0, count: 1 } : { index, count: working.length };
  }

  /** Calls `listener` after each heartbeat whose view of the members changed. */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  /** Shutting down: other nodes see it in /_lambkin/cluster and stop counting it for new work. */
  async drain(): Promise<void> {
    this.draining = true;
    await this.deps.db.updateTable('cluster_members').set({ draining: 1 }).where('node_id', '=', this.nodeId).execute().catch(() => undefined);
  }

  /** Leaves the cluster: the row goes (whatever this node leased is acked or handed back by now). */
  async leave(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.beating;
    await this.deps.db.deleteFrom('cluster_members').where('node_id', '=', this.nodeId).execute();
    await this.deps.db.deleteFrom('cluster_leases').where('owner', '=', this.nodeId).execute();
    await this.deps.db.deleteFrom('concurrency_slots').where('owner', '=', this.nodeId).execute();
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    const updated = await this.deps.db
      .updateTable('cluster_members')
      .set({ heartbeat_at: now, url: this.deps.url(), draining: this.draining ? 1 : 0, load: JSON.stringify(this.deps.load()) })
      .where('node_id', '=', this.nodeId)
      .executeTakeFirst();
    // Taken for dead (paused longer than the expiry): join again; what it leased may run twice.
    if (Number(updated.numUpdatedRows) === 0) await this.join();
    else this.beatAt = now;
    await this.takeBackFromDead(now);
    await this.refresh(now);
  }

  private async refresh(now: number): Promise<void> {
    const rows = await this.deps.db.selectFrom('cluster_members').selectAll().where('heartbeat_at', '>=', now - this.deps.timing.expiryMs).orderBy('node_id').execute();
    const before = this.live.map((m) => `${m.nodeId}:${m.draining}`).join(',');
    this.live = rows.map((r) => ({
      nodeId: r.node_id,
      url: r.url,
      startedAt: Number(r.started_at),
      heartbeatAt: Number(r.heartbeat_at),
      draining: Number(r.draining) === 1,
      load: JSON.parse(r.load) as MemberLoad,
    }));
    if (this.live.map((m) => `${m.nodeId}:${m.draining}`).join(',') !== before) for (const listener of this.changeListeners) listener();
  }

  /** Ends the leases of members whose heartbeat expired; each dead member is taken back by one node. */
  private async takeBackFromDead(now: number): Promise<void> {
    const cutoff = now - this.deps.timing.expiryMs;
    const dead = await this.deps.db.selectFrom('cluster_members').select(['node_id', 'lease_prefix']).where('heartbeat_at', '<', cutoff).execute();
    for (const member of dead) {
      const released = await this.deps.db.transaction().execute(async (trx) => {
        const gone = await trx.deleteFrom('cluster_members').where('node_id', '=', member.node_id).where('heartbeat_at', '<', cutoff).executeTakeFirst();
        if (Number(gone.numDeletedRows) !== 1) return -1;
        await trx.deleteFrom('cluster_leases').where('owner', '=', member.node_id).execute();
        await trx.deleteFrom('concurrency_slots').where('owner', '=', member.node_id).execute();
        // Another live instance in the same process shares the prefix (tests): its leases stay.
        const sibling = await trx.selectFrom('cluster_members').select('node_id').where('lease_prefix', '=', member.lease_prefix).executeTakeFirst();
        if (sibling) return 0;
        let n = 0;
        const owned = `${member.lease_prefix}/`;
        for (const table of QUEUE_TABLES) {
          const result = await trx
            .updateTable(table)
            .set({ lease_owner: null, next_attempt_at: now })
            .where(sql<string>`substr(lease_owner, 1, ${owned.length})`, '=', owned)
            .executeTakeFirst();
          n += Number(result.numUpdatedRows);
          // Committed with the release: every node's drains of the table lease again.
          if (Number(result.numUpdatedRows) > 0) await notifyQueuedWork(trx, table);
        }
        return n;
      });
      if (released > 0) wakeDrains();
      if (released >= 0) this.deps.logger.warn({ node: member.node_id, released }, 'cluster member stopped heartbeating: its leases were handed back');
    }
  }

  /** Leases held by owners whose prefix no live member registered. */
  private async releaseOrphanLeases(now: number): Promise<void> {
    const cutoff = now - this.deps.timing.expiryMs;
    for (const table of QUEUE_TABLES) {
      await sql`update ${sql.table(table)} set lease_owner = null, next_attempt_at = ${now}
        where lease_owner is not null and not exists (
          select 1 from cluster_members m where m.heartbeat_at >= ${cutoff}
          and substr(${sql.ref(`${table}.lease_owner`)}, 1, length(m.lease_prefix) + 1) = m.lease_prefix || '/')`.execute(this.deps.db);
    }
  }
}
