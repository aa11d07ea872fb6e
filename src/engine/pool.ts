import { Environment, type EnvironmentSpec } from './environment.js';

interface VersionPool {
  /** The function's RevisionId the environments were started with. */
  revisionId: string;
  environments: Set<Environment>;
  /** Pre-initialized for provisioned concurrency: never reaped, handed out first. */
  provisioned: Set<Environment>;
  /** Initialized for one particular invocation; nobody else may take them meanwhile. */
  claimed: Set<Environment>;
}

export interface CreateOptions {
  provisioned?: boolean;
  claimed?: boolean;
  /** Called once the environment is gone, after the pool forgot it. */
  onDead?: (env: Environment) => void;
}

/**
 * Execution environments per function version: warm reuse (one invocation at a time each), new
 * ones on demand, idle ones reclaimed after the keep-alive, all retired when the code or
 * configuration (RevisionId) changes.
 */
export class EnvironmentPool {
  private readonly pools = new Map<string, VersionPool>();
  private readonly reaper: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly keepAliveMs: number) {
    this.reaper = setInterval(() => this.reapIdle(), Math.max(50, Math.min(keepAliveMs / 4, 30_000)));
    this.reaper.unref();
  }

  /**
   * An idle environment of this revision, provisioned ones first, or null; it is the caller's to
   * `run` right away. `provisioned` tells whether it came out of provisioned concurrency.
   */
  takeIdle(key: string, revisionId: string): { env: Environment; provisioned: boolean } | null {
    const pool = this.poolFor(key, revisionId);
    const now = Date.now();
    for (const env of pool.provisioned) if (env.state === 'ready' && !staleCredentials(env, now)) return { env, provisioned: true };
    for (const env of pool.environments) {
      if (env.state === 'ready' && !pool.claimed.has(env) && !pool.provisioned.has(env)) {
        if (!staleCredentials(env, now)) return { env, provisioned: false };
        env.kill();
      }
    }
    return null;
  }

  /** Whether `takeIdle` would find an environment now; takes none (a cluster's forwarding decision). */
  hasIdle(key: string, revisionId: string): boolean {
    const pool = this.pools.get(key);
    if (!pool || pool.revisionId !== revisionId) return false;
    const now = Date.now();
    for (const env of pool.environments) if (takeable(pool, env, now)) return true;
    return false;
  }

  /** Whether `env` is idle, of this revision's pool, and nobody else's to take: it may run another now. */
  isFree(key: string, revisionId: string, env: Environment): boolean {
    const pool = this.pools.get(key);
    return env.state === 'ready' && pool?.revisionId === revisionId && pool.environments.has(env) && !pool.claimed.has(env) && !staleCredentials(env, Date.now());
  }

  /** A new environment, registered before it starts so close() and retirement can reach it. */
  create(key: string, revisionId: string, spec: EnvironmentSpec, options: CreateOptions = {}): Environment {
    if (this.closed) throw new Error('engine is closed');
    const pool = this.poolFor(key, revisionId);
    const env = new Environment(spec, (dead) => {
      pool.environments.delete(dead);
      pool.provisioned.delete(dead);
      pool.claimed.delete(dead);
      options.onDead?.(dead);
    });
    pool.environments.add(env);
    if (options.provisioned) pool.provisioned.add(env);
    if (options.claimed) pool.claimed.add(env);
    return env;
  }

  /** Lets a claimed environment be shared once its invocation has it. */
  unclaim(key: string, env: Environment): void {
    this.pools.get(key)?.claimed.delete(env);
  }

  /** Live provisioned environments of a version (any revision). */
  provisionedOf(key: string): Environment[] {
    return [...(this.pools.get(key)?.provisioned ?? [])];
  }

  /** Keys of the versions with an environment that `matches`. */
  versionsWhere(matches: (env: Environment) => boolean): string[] {
    return [...this.pools].filter(([, pool]) => [...pool.environments].some(matches)).map(([key]) => key);
  }

  /** Retires every environment of the version `scope` names (or of every version, for a `…/` prefix). */
  retireAll(scope: string): void {
    for (const [key, pool] of this.pools) {
      if (!keyInScope(key, scope)) continue;
      for (const env of pool.environments) this.retire(env);
      this.pools.delete(key);
    }
  }

  /** Stops an environment now if idle, else as soon as its invocation finishes. */
  retire(env: Environment): void {
    // An environment in Init may already hold an invocation: like a busy one, it finishes first.
    if (env.state === 'ready') return env.kill();
    const timer = setInterval(() => {
      if (env.state === 'ready' || env.state === 'dead') {
        clearInterval(timer);
        env.kill();
      }
    }, 50);
    timer.unref();
  }

  private poolFor(key: string, revisionId: string): VersionPool {
    let pool = this.pools.get(key);
    if (pool && pool.revisionId !== revisionId) {
      // New code or configuration: idle environments go now, busy ones once they finish.
      for (const env of pool.environments) this.retire(env);
      pool = undefined;
    }
    if (!pool) {
      pool = { revisionId, environments: new Set(), provisioned: new Set(), claimed: new Set() };
      this.pools.set(key, pool);
    }
    return pool;
  }

  private reapIdle(): void {
    const cutoff = Date.now() - this.keepAliveMs;
    for (const [key, pool] of this.pools) {
      for (const env of pool.environments) {
        if (env.state === 'ready' && env.lastUsedAt <= cutoff && !pool.provisioned.has(env) && !pool.claimed.has(env)) env.kill();
        // Past half its credentials' life an idle environment goes, provisioned ones too (they are replaced).
        else if (env.state === 'ready' && staleCredentials(env, Date.now()) && !pool.claimed.has(env)) env.kill();
      }
      if (pool.environments.size === 0) this.pools.delete(key);
    }
  }

  /** Per version key, its environments an invocation could take now (provisioned ones included). */
  idleByVersion(): Record<string, number> {
    const out: Record<string, number> = {};
    const now = Date.now();
    for (const [key, pool] of this.pools) {
      let n = 0;
      for (const env of pool.environments) if (takeable(pool, env, now)) n++;
      if (n > 0) out[key] = n;
    }
    return out;
  }

  /** Per version key, its provisioned environments past Init (ready or busy). */
  provisionedReady(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, pool] of this.pools) {
      const n = [...pool.provisioned].filter((env) => env.state === 'ready' || env.state === 'busy').length;
      if (n > 0) out[key] = n;
    }
    return out;
  }

  /** How many environments are in each state (Prometheus' environments gauge). */
  countByState(): Record<string, number> {
    const out: Record<string, number> = { init: 0, ready: 0, busy: 0, dead: 0 };
    for (const pool of this.pools.values()) for (const env of pool.environments) out[env.state] = (out[env.state] ?? 0) + 1;
    return out;
  }

  get size(): number {
    let n = 0;
    for (const pool of this.pools.values()) n += pool.environments.size;
    return n;
  }

  /** Waits until every environment has written the END/REPORT of its last answered invocation. */
  async drain(): Promise<void> {
    const envs = [...this.pools.values()].flatMap((pool) => [...pool.environments]);
    await Promise.all(envs.map((env) => env.finishing));
  }

  close(): void {
    this.closed = true;
    clearInterval(this.reaper);
    for (const pool of this.pools.values()) for (const env of pool.environments) env.kill();
    this.pools.clear();
  }
}

/** `a/r/f/1` is in scope `a/r/f/1` and in `a/r/f/`, never in `a/r/f/10`'s. */
export function keyInScope(key: string, scope: string): boolean {
  return key === scope || (scope.endsWith('/') && key.startsWith(scope));
}

/** Whether an environment's credentials are past half their life: it then takes no more invocations. */
/** What `takeIdle` would hand out: ready, provisioned or unclaimed, with credentials still good. */
function takeable(pool: VersionPool, env: Environment, now: number): boolean {
  return env.state === 'ready' && (pool.provisioned.has(env) || !pool.claimed.has(env)) && !staleCredentials(env, now);
}

function staleCredentials(env: Environment, now: number): boolean {
  return env.credentialsStaleAt <= now;
}
