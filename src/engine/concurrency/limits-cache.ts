import { CONCURRENCY_LIMITS_TTL_MS } from '../limits.js';

/** Reserved and provisioned concurrency per function of one account and region, as the control plane stores them. */
export interface ConcurrencyUsage {
  reserved: ReadonlyMap<string, number>;
  provisioned: ReadonlyMap<string, number>;
}

/** Where the engine learns the configured limits; the store stays on the control-plane side. */
export interface ConcurrencySource {
  /** Concurrent executions allowed per account and region. */
  accountLimit: number;
  load(accountId: string, region: string): Promise<ConcurrencyUsage>;
}

/** What an invocation may draw on, computed once per load. */
export interface AccountLimits {
  usage: ConcurrencyUsage;
  /**
   * On-demand executions open to functions without a reservation: the account limit minus every
   * reservation and minus the provisioned concurrency of unreserved functions (AWS holds those
   * environments whether they are busy or not).
   */
  unreservedPool: number;
}

interface Entry {
  limits: AccountLimits | undefined;
  loadedAt: number;
  loading: Promise<AccountLimits> | undefined;
}

/**
 * Limits per account and region, kept in memory so the invoke path does no store I/O: the first
 * invoke of an account loads them, Put/DeleteFunctionConcurrency and provisioned-concurrency changes
 * invalidate them, and a short TTL catches changes nobody announced (e.g. DeleteFunction), refreshing
 * in the background while the previous figures keep serving.
 */
export class LimitsCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly source: ConcurrencySource,
    private readonly ttlMs = CONCURRENCY_LIMITS_TTL_MS,
  ) {}

  get accountLimit(): number {
    return this.source.accountLimit;
  }

  /** The limits, synchronously when cached (the common case). */
  get(accountId: string, region: string): AccountLimits | Promise<AccountLimits> {
    const key = `${accountId}/${region}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { limits: undefined, loadedAt: 0, loading: undefined };
      this.entries.set(key, entry);
    }
    if (entry.limits && performance.now() - entry.loadedAt < this.ttlMs) return entry.limits;
    const loading = entry.loading ?? this.load(entry, accountId, region);
    return entry.limits ?? loading;
  }

  /** The limits if loaded, never loading them (metrics read this off the invoke path). */
  peek(accountId: string, region: string): AccountLimits | undefined {
    return this.entries.get(`${accountId}/${region}`)?.limits;
  }

  invalidate(accountId: string, region: string): void {
    const entry = this.entries.get(`${accountId}/${region}`);
    if (!entry) return;
    // Figures loaded before the change must not land after it.
    entry.limits = undefined;
    entry.loading = undefined;
  }

  private load(entry: Entry, accountId: string, region: string): Promise<AccountLimits> {
    const loading = this.source.load(accountId, region).then(
      (usage) => {
        const limits = { usage, unreservedPool: unreservedPool(this.source.accountLimit, usage) };
        if (entry.loading === loading) {
          entry.limits = limits;
          entry.loadedAt = performance.now();
          entry.loading = undefined;
        }
        return limits;
      },
      (err: unknown) => {
        if (entry.loading === loading) entry.loading = undefined;
        throw err;
      },
    );
    entry.loading = loading;
    return loading;
  }
}

function unreservedPool(accountLimit: number, usage: ConcurrencyUsage): number {
  let committed = 0;
  for (const n of usage.reserved.values()) committed += n;
  for (const [name, n] of usage.provisioned) if (!usage.reserved.has(name)) committed += n;
  return Math.max(0, accountLimit - committed);
}
