import type { Store } from '../database.js';
import type { ClusterMembership } from './membership.js';

/**
 * Work that must run on exactly one node at a time (a stream mapping's pollers), owned through
 * rows of `cluster_leases`: the owner renews its rows, any node takes a row whose time ran out,
 * and a node never takes more than its fair share (the names divided by the live members), giving
 * back its excess when a node joins. A dead owner's rows are freed when its heartbeat expires
 * (membership.ts), or at the latest when they run out. Between a lost renewal and the new
 * owner's start both may work briefly: consumers must be at-least-once (they are).
 */
export class SingletonLeases {
  private readonly renewedAt = new Map<string, number>();
  /** The kinds asked about: releaseAll hands back their rows only (other owners' kinds use the table too). */
  private readonly kinds = new Set<string>();

  constructor(
    private readonly db: Store,
    private readonly membership: ClusterMembership,
    /** How long a row stays owned without renewal. */
    private readonly ttlMs = membership.timing.expiryMs,
  ) {}

  /** Of `names` (every name of one kind, as every node sees them), those this node owns now. */
  async owned(kind: string, names: readonly string[]): Promise<Set<string>> {
    const owner = this.membership.nodeId;
    const now = Date.now();
    this.kinds.add(kind);
    const keys = names.map((n) => `${kind}:${n}`);
    const mine = new Set<string>();
    if (keys.length === 0) return mine;
    const rows = await this.db.selectFrom('cluster_leases').selectAll().where('name', 'in', keys).execute();
    const byName = new Map(rows.map((r) => [r.name, r]));
    const { index, count } = this.membership.placeOf();
    // The first `keys.length % count` members take one more, so the shares add up.
    const share = Math.floor(keys.length / count) + (index < keys.length % count ? 1 : 0);
    for (const key of keys) {
      const row = byName.get(key);
      if (row?.owner === owner && Number(row.expires_at) > now) mine.add(key);
    }
    // Give back the excess (a node joined), newest names last so the choice is stable.
    for (const key of [...mine].sort().slice(share)) {
      await this.db.deleteFrom('cluster_leases').where('name', '=', key).where('owner', '=', owner).execute();
      mine.delete(key);
      this.renewedAt.delete(key);
    }
    // Renew at a third of the time, not on every call.
    const stale = [...mine].filter((key) => now - (this.renewedAt.get(key) ?? 0) >= this.ttlMs / 3);
    if (stale.length > 0) {
      const renewed = await this.db.updateTable('cluster_leases').set({ expires_at: now + this.ttlMs }).where('name', 'in', stale).where('owner', '=', owner).returning('name').execute();
      const kept = new Set(renewed.map((r) => r.name));
      for (const key of stale) {
        if (kept.has(key)) this.renewedAt.set(key, now);
        else mine.delete(key);
      }
    }
    for (const key of keys) {
      if (mine.size >= share) break;
      const row = byName.get(key);
      if (mine.has(key) || (row && Number(row.expires_at) > now)) continue;
      const taken = await this.db
        .insertInto('cluster_leases')
        .values({ name: key, owner, expires_at: now + this.ttlMs })
        .onConflict((oc) => oc.column('name').doUpdateSet({ owner, expires_at: now + this.ttlMs }).where('cluster_leases.expires_at', '<=', now))
        .returning('name')
        .execute();
      if (taken.length === 1) {
        mine.add(key);
        this.renewedAt.set(key, now);
      }
    }
    // Rows of names that no longer exist are left to expire; nobody renews them.
    return new Set([...mine].map((key) => key.slice(kind.length + 1)));
  }

  /** Hands back every row of this node (shutting down), so the others take them at once. */
  async releaseAll(): Promise<void> {
    this.renewedAt.clear();
    for (const kind of this.kinds) {
      await this.db.deleteFrom('cluster_leases').where('owner', '=', this.membership.nodeId).where('name', 'like', `${kind}:%`).execute();
    }
  }
}
