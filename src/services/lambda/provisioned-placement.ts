import type { InvokeTarget } from '../../engine/invoke.js';
import { concurrencyLockKey } from './concurrency-accounting.js';
import type { LambdaDeps, ProvisionedPlacing } from './deps.js';
import { versionForQualifier } from './function-resolution.js';
import { invokeTargetOf } from './invoke-target.js';
import type { Scope } from './model.js';
import { ProvisionedConcurrencyTable, type ProvisionedConcurrencyConfig } from './tables/provisioned-concurrency-table.js';

/** What the cluster tells Lambda about provisioned environments (server.ts wires it on a shared store). */
export interface ProvisionedClusterView {
  /** Of these slot names (every slot of every config), those this node holds now. */
  owned(names: readonly string[]): Promise<ReadonlySet<string>>;
  /** Provisioned environments past Init on every live node, by `<account>/<region>/<function>/<version>`. */
  readyByVersion(): Record<string, number>;
}

interface Placed {
  target: InvokeTarget;
  count: number;
}

/**
 * Provisioned concurrency for a cluster: each configured environment is a numbered slot
 * (`<account>/<region>/<function>/<qualifier>/<n>`) leased through the cluster's singleton
 * leases, so the nodes together keep exactly the configured number warm, shared out evenly, and
 * the slots of a node that dies (or leaves) are taken, and their environments started, by the
 * survivors on their next pass. Each node passes over the configs every heartbeat and at once
 * after a Put or Delete it served.
 */
export class ProvisionedPlacement implements ProvisionedPlacing {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  /** Version key → what this node has asked its engine to keep. */
  private readonly placed = new Map<string, Placed>();

  constructor(
    private readonly deps: LambdaDeps,
    private readonly view: ProvisionedClusterView,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Passes over the configs now (once more after the pass under way, if one is). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.place()
      .catch((err: unknown) => this.deps.logger.error({ err }, 'provisioned concurrency not placed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** A config's counts as the cluster stands: its environments past Init on every live node. */
  clusterView(version: string, scope: Scope, name: string, config: ProvisionedConcurrencyConfig): ProvisionedConcurrencyConfig {
    if (config.Status === 'FAILED') return config;
    const requested = config.RequestedProvisionedConcurrentExecutions;
    const ready = Math.min(requested, this.view.readyByVersion()[versionKey(scope, name, version)] ?? 0);
    const { StatusReason: _reason, ...rest } = config;
    return { ...rest, Status: ready >= requested ? 'READY' : 'IN_PROGRESS', AllocatedProvisionedConcurrentExecutions: ready, AvailableProvisionedConcurrentExecutions: ready };
  }

  private async place(): Promise<void> {
    const engine = this.deps.engine;
    if (!engine) return;
    const table = new ProvisionedConcurrencyTable(this.deps.db);
    const configs: Array<{ scope: Scope; name: string; qualifier: string; config: ProvisionedConcurrencyConfig; slots: string[] }> = [];
    for (const scope of await configScopes(this.deps)) {
      for (const pc of await table.list(scope)) {
        if (pc.config.Status === 'FAILED') continue;
        const prefix = `${scope.accountId}/${scope.region}/${pc.functionName}/${pc.qualifier}/`;
        const slots = Array.from({ length: pc.config.RequestedProvisionedConcurrentExecutions }, (_, n) => `${prefix}${n}`);
        configs.push({ scope, name: pc.functionName, qualifier: pc.qualifier, config: pc.config, slots });
      }
    }
    const owned = await this.view.owned(configs.flatMap((c) => c.slots));
    const wanted = new Map<string, Placed & { scope: Scope; name: string; qualifier: string; config: ProvisionedConcurrencyConfig }>();
    for (const c of configs) {
      const count = c.slots.filter((slot) => owned.has(slot)).length;
      if (count === 0) continue;
      const version = /^\d+$/.test(c.qualifier) ? c.qualifier : await versionForQualifier(this.deps, c.scope, c.name, c.qualifier);
      const row = version ? await this.deps.functions.getVersion(c.scope, c.name, version) : undefined;
      if (!version || !row?.codeHex) continue;
      const target = invokeTargetOf(c.scope, c.name, c.qualifier, version, row);
      wanted.set(versionKey(c.scope, c.name, version), { target, count, scope: c.scope, name: c.name, qualifier: c.qualifier, config: c.config });
    }
    for (const [key, placed] of this.placed) {
      if (wanted.has(key)) continue;
      this.placed.delete(key);
      engine.concurrencyChanged(placed.target.accountId, placed.target.region);
      await engine.provision(placed.target, 0);
    }
    for (const [key, want] of wanted) {
      const before = this.placed.get(key);
      if (before && before.count === want.count && before.target.revisionId === want.target.revisionId) continue;
      this.placed.set(key, { target: want.target, count: want.count });
      engine.concurrencyChanged(want.scope.accountId, want.scope.region);
      // Not awaited: an Init takes seconds, and the other configs must not wait for it.
      void engine.provision(want.target, want.count).then(async (ok) => {
        if (!ok) await this.markFailed(want.scope, want.name, want.qualifier, want.config);
      }).catch((err: unknown) => this.deps.logger.error({ err, function: want.name }, 'provisioned environments not started'));
    }
  }

  /** An Init that fails fails the config for the whole cluster, as AWS reports it; its slots go. */
  private async markFailed(scope: Scope, name: string, qualifier: string, config: ProvisionedConcurrencyConfig): Promise<void> {
    const table = new ProvisionedConcurrencyTable(this.deps.db);
    await this.deps.lock.run(concurrencyLockKey(scope), async () => {
      const now = await table.get(scope, name, qualifier);
      if (!now || now.LastModified !== config.LastModified || now.RequestedProvisionedConcurrentExecutions !== config.RequestedProvisionedConcurrentExecutions) return;
      await table.put(scope, name, qualifier, { ...now, Status: 'FAILED', StatusReason: 'FUNCTION_ERROR_INIT_FAILURE', AvailableProvisionedConcurrentExecutions: 0, AllocatedProvisionedConcurrentExecutions: 0 });
    });
    this.kick();
  }
}

function versionKey(scope: Scope, name: string, version: string): string {
  return `${scope.accountId}/${scope.region}/${name}/${version}`;
}

async function configScopes(deps: LambdaDeps): Promise<Scope[]> {
  const rows = await deps.db.selectFrom('lambda_qualified_configs').select(['account_id', 'region']).distinct().where('kind', '=', 'provisioned-concurrency').execute();
  return rows.map((r) => ({ accountId: r.account_id, region: r.region }));
}
