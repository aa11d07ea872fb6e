import type { AccountLimits } from './limits-cache.js';
import type { ThrottleReason } from './throttle.js';

/** One admitted on-demand execution; `release` gives its slot back and is safe to call again. */
export interface Lease {
  release(): void;
}

const NO_LEASE: Lease = { release: () => undefined };

/**
 * In-flight on-demand executions per account+region and per function. A reserved function may run
 * its reservation minus its provisioned concurrency (those environments hold their share whether
 * busy or not); everyone else shares the account's unreserved pool. Invocations served by an idle
 * provisioned environment take no lease at all.
 */
export class ConcurrencyGovernor {
  private readonly unreservedInFlight = new Map<string, number>();
  private readonly functionInFlight = new Map<string, number>();

  /** A lease, or why there is none. Synchronous: check and count happen in one step. */
  acquire(accountId: string, region: string, functionName: string, limits: AccountLimits): Lease | ThrottleReason {
    const accountKey = `${accountId}/${region}`;
    const functionKey = `${accountKey}/${functionName}`;
    const running = this.functionInFlight.get(functionKey) ?? 0;
    const reserved = limits.usage.reserved.get(functionName);
    if (reserved !== undefined) {
      const onDemand = reserved - (limits.usage.provisioned.get(functionName) ?? 0);
      if (running >= onDemand) return 'ReservedFunctionConcurrentInvocationLimitExceeded';
      return this.count(functionKey, undefined);
    }
    const pooled = this.unreservedInFlight.get(accountKey) ?? 0;
    if (pooled >= limits.unreservedPool) return 'ConcurrentInvocationLimitExceeded';
    return this.count(functionKey, accountKey);
  }

  /**
   * The limit an on-demand execution of `functionName` draws on, named for the cluster's slots:
   * the function's reservation (minus its provisioned concurrency) or the account's unreserved pool.
   */
  static scopeOf(accountId: string, region: string, functionName: string, limits: AccountLimits): { scope: string; limit: number; reason: ThrottleReason } {
    const reserved = limits.usage.reserved.get(functionName);
    if (reserved !== undefined) {
      return { scope: `r:${accountId}/${region}/${functionName}`, limit: reserved - (limits.usage.provisioned.get(functionName) ?? 0), reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
    }
    return { scope: `a:${accountId}/${region}`, limit: limits.unreservedPool, reason: 'ConcurrentInvocationLimitExceeded' };
  }

  /** For an invocation that needs no slot (served by provisioned concurrency). */
  static none(): Lease {
    return NO_LEASE;
  }

  /** Executions in flight (for tests and metrics). */
  inFlight(accountId: string, region: string, functionName?: string): number {
    const accountKey = `${accountId}/${region}`;
    if (functionName !== undefined) return this.functionInFlight.get(`${accountKey}/${functionName}`) ?? 0;
    let n = 0;
    for (const [key, count] of this.functionInFlight) if (key.startsWith(`${accountKey}/`)) n += count;
    return n;
  }

  /** Executions in flight per `account/region/function` (a cluster member's reported load). */
  inFlightByFunction(): Record<string, number> {
    return Object.fromEntries(this.functionInFlight);
  }

  private count(functionKey: string, accountKey: string | undefined): Lease {
    bump(this.functionInFlight, functionKey, 1);
    if (accountKey) bump(this.unreservedInFlight, accountKey, 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        bump(this.functionInFlight, functionKey, -1);
        if (accountKey) bump(this.unreservedInFlight, accountKey, -1);
      },
    };
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
