import { Environment, type EnvironmentSpec } from './environment.js';

interface VersionPool {
  /** The function's RevisionId the environments were started with. */
  revisionId: string;
  environments: Set<Environment>;
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

  /** An idle environment of this revision, or null; it is the caller's to `run` right away. */
  takeIdle(key: string, revisionId: string): Environment | null {
    const pool = this.poolFor(key, revisionId);
    for (const env of pool.environments) if (env.state === 'ready') return env;
    return null;
  }

  /** A new environment, registered before it starts so close() and retirement can reach it. */
  create(key: string, revisionId: string, spec: EnvironmentSpec): Environment {
    if (this.closed) throw new Error('engine is closed');
    const pool = this.poolFor(key, revisionId);
    const env = new Environment(spec, (dead) => pool.environments.delete(dead));
    pool.environments.add(env);
    return env;
  }

  private poolFor(key: string, revisionId: string): VersionPool {
    let pool = this.pools.get(key);
    if (pool && pool.revisionId !== revisionId) {
      // New code or configuration: idle environments go now, busy ones once they finish.
      for (const env of pool.environments) this.retire(env);
      pool = undefined;
    }
    if (!pool) {
      pool = { revisionId, environments: new Set() };
      this.pools.set(key, pool);
    }
    return pool;
  }

  private retire(env: Environment): void {
    if (env.state === 'ready') return env.kill();
    const timer = setInterval(() => {
      if (env.state === 'ready' || env.state === 'dead') {
        clearInterval(timer);
        env.kill();
      }
    }, 50);
    timer.unref();
  }

  private reapIdle(): void {
    const cutoff = Date.now() - this.keepAliveMs;
    for (const [key, pool] of this.pools) {
      for (const env of pool.environments) if (env.state === 'ready' && env.lastUsedAt <= cutoff) env.kill();
      if (pool.environments.size === 0) this.pools.delete(key);
    }
  }

  get size(): number {
    let n = 0;
    for (const pool of this.pools.values()) n += pool.environments.size;
    return n;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.reaper);
    for (const pool of this.pools.values()) for (const env of pool.environments) env.kill();
    this.pools.clear();
  }
}
