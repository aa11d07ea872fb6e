import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import type { InvocationUsage, TelemetryTarget } from '../../engine/telemetry-sink.js';

const MINUTE_MS = 60_000;

export interface FunctionCountsObserver {
  functionInvocations(functionName: string, counts: { invocations: number; errors: number; throttles: number; durationsMs: number[] }): void;
}

/** One function version's invocations in one minute, as plain counters and arrays. */
interface MinuteCounters {
  target: TelemetryTarget;
  minute: number;
  invocations: number;
  errors: number;
  throttles: number;
  durations: number[];
  /** [start, end] of each invocation, for the most that ran at once. */
  spans: number[];
  /** The same, of invocations a provisioned-concurrency environment ran. */
  provisionedSpans: number[];
  /** The others: only these draw on the account's unreserved concurrency. */
  onDemandSpans: number[];
  /** Milliseconds extensions kept working after the runtime's response, per invocation. */
  postRuntime: number[];
}

/** The functions of one account and region that have reserved concurrency; undefined when not known. */
export type ReservedFunctions = (accountId: string, region: string) => ReadonlyMap<string, number> | undefined;

/**
 * The `AWS/Lambda` namespace, recorded for every invocation as AWS does: Invocations, Errors,
 * Throttles, Duration, PostRuntimeExtensionsDuration and ConcurrentExecutions, per function
 * (`FunctionName`), per version or qualified name (`Resource`, `ExecutedVersion`) and for the whole
 * account (no dimensions); UnreservedConcurrentExecutions for the account, and
 * ProvisionedConcurrentExecutions and ProvisionedConcurrencyUtilization where provisioned
 * environments ran.
 * An invocation only bumps counters of its version's current minute; every `flushIntervalMs` the
 * counters become metric data points (one per metric and dimension set), off the invoke path.
 */
export class LambdaMetrics {
  /** By function version: environments of one version share counters (ConcurrentExecutions spans them). */
  private readonly current = new Map<string, MinuteCounters>();
  private readonly keys = new WeakMap<TelemetryTarget, string>();
  private done: MinuteCounters[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Provisioned concurrency allocated per version key, for the utilization. */
  private readonly allocated = new Map<string, number>();

  constructor(
    private readonly recorder: MetricRecorder,
    /** Also told each function's counts at every flush (the Prometheus counters). */
    private readonly observer?: FunctionCountsObserver,
    private readonly flushIntervalMs = 1_000,
    /** Read at flush: a reserved function's executions are not unreserved ones. */
    private readonly reservedFunctions?: ReservedFunctions,
  ) {}

  invocation(target: TelemetryTarget, usage: InvocationUsage, endMs: number): void {
    const c = this.countersFor(target, endMs);
    if (usage.outcome === 'throttle') {
      c.throttles += 1;
      return;
    }
    c.invocations += 1;
    if (usage.outcome !== 'success') c.errors += 1;
    c.durations.push(usage.durationMs);
    c.spans.push(endMs - usage.durationMs, endMs);
    if (usage.provisioned) c.provisionedSpans.push(endMs - usage.durationMs, endMs);
    else c.onDemandSpans.push(endMs - usage.durationMs, endMs);
  }

  /** Extensions were done `durationMs` after the runtime had responded. */
  postRuntimeExtensions(target: TelemetryTarget, durationMs: number, endMs: number): void {
    this.countersFor(target, endMs).postRuntime.push(durationMs);
  }

  /** The version's provisioned concurrency is now `count` environments (0: none). */
  provisionedConcurrency(target: TelemetryTarget, count: number): void {
    if (count > 0) this.allocated.set(this.keyOf(target), count);
    else this.allocated.delete(this.keyOf(target));
  }

  private keyOf(target: TelemetryTarget): string {
    let key = this.keys.get(target);
    if (key === undefined) {
      key = `${target.accountId}\u0001${target.region}\u0001${target.functionName}\u0001${target.version}`;
      this.keys.set(target, key);
    }
    return key;
  }

  private countersFor(target: TelemetryTarget, at: number): MinuteCounters {
    const minute = at - (at % MINUTE_MS);
    const key = this.keyOf(target);
    let c = this.current.get(key);
    if (c && c.minute !== minute) {
      this.done.push(c);
      c = undefined;
    }
    if (!c) {
      c = { target, minute, invocations: 0, errors: 0, throttles: 0, durations: [], spans: [], provisionedSpans: [], onDemandSpans: [], postRuntime: [] };
      this.current.set(key, c);
      this.timer ??= setTimeout(() => this.flush(), this.flushIntervalMs).unref();
    }
    return c;
  }

  /** Hands every counted minute to the recorder (the current minutes too: the store merges them). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const all = [...this.done, ...this.current.values()];
    this.done = [];
    this.current.clear();
    const accounts = new Map<string, { accountId: string; region: string; minute: number; spans: number[]; unreservedSpans: number[] }>();
    for (const c of all) {
      this.recordMinute(c);
      this.observer?.functionInvocations(c.target.functionName, { invocations: c.invocations, errors: c.errors, throttles: c.throttles, durationsMs: c.durations });
      const key = `${c.target.accountId}\u0001${c.target.region}\u0001${c.minute}`;
      const account = accounts.get(key) ?? { accountId: c.target.accountId, region: c.target.region, minute: c.minute, spans: [], unreservedSpans: [] };
      for (const s of c.spans) account.spans.push(s);
      if (!this.reservedFunctions?.(c.target.accountId, c.target.region)?.has(c.target.functionName)) {
        for (const s of c.onDemandSpans) account.unreservedSpans.push(s);
      }
      accounts.set(key, account);
    }
    for (const a of accounts.values()) {
      if (a.spans.length === 0) continue;
      this.recorder.record({
        accountId: a.accountId, region: a.region, namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions',
        value: mostAtOnce(a.spans), unit: 'Count', timestampMs: a.minute,
      });
      this.recorder.record({
        accountId: a.accountId, region: a.region, namespace: 'AWS/Lambda', metricName: 'UnreservedConcurrentExecutions',
        value: mostAtOnce(a.unreservedSpans), unit: 'Count', timestampMs: a.minute,
      });
    }
  }

  private recordMinute(c: MinuteCounters): void {
    const t = c.target;
    const name = t.functionName;
    const dimensionSets: Record<string, string>[] = [{}, { FunctionName: name }, { FunctionName: name, Resource: t.version === '$LATEST' ? name : `${name}:${t.version}` }];
    if (t.version !== '$LATEST') dimensionSets.push({ FunctionName: name, ExecutedVersion: t.version });
    const base = { accountId: t.accountId, region: t.region, namespace: 'AWS/Lambda', timestampMs: c.minute };
    // Equal durations (to the hundredth of a millisecond, as REPORT prints them) are recorded once with their count.
    const durations = countsByHundredth(c.durations);
    const postRuntime = countsByHundredth(c.postRuntime);
    for (const dimensions of dimensionSets) {
      this.recorder.recordValues({ ...base, dimensions, metricName: 'PostRuntimeExtensionsDuration', unit: 'Milliseconds' }, postRuntime);
      const account = Object.keys(dimensions).length === 0;
      if (c.invocations > 0) {
        this.recorder.recordStatistics({ ...base, dimensions, metricName: 'Invocations', unit: 'Count', sampleCount: c.invocations, sum: c.invocations, minimum: 1, maximum: 1 });
        // Errors is recorded with every invocation (0 or 1), so its Average is the error rate.
        this.recorder.record({ ...base, dimensions, metricName: 'Errors', unit: 'Count', value: 1, count: c.errors });
        this.recorder.record({ ...base, dimensions, metricName: 'Errors', unit: 'Count', value: 0, count: c.invocations - c.errors });
        this.recorder.recordValues({ ...base, dimensions, metricName: 'Duration', unit: 'Milliseconds' }, durations);
        if (!account && Object.keys(dimensions).length === 1) {
          this.recorder.record({ ...base, dimensions, metricName: 'ConcurrentExecutions', unit: 'Count', value: mostAtOnce(c.spans) });
        }
      }
      if (c.provisionedSpans.length > 0 && !account && !dimensions.ExecutedVersion) {
        const busy = mostAtOnce(c.provisionedSpans);
        this.recorder.record({ ...base, dimensions, metricName: 'ProvisionedConcurrentExecutions', unit: 'Count', value: busy });
        const allocated = this.allocated.get(this.keyOf(t));
        if (allocated && dimensions.Resource) {
          this.recorder.record({ ...base, dimensions, metricName: 'ProvisionedConcurrencyUtilization', unit: 'None', value: Math.min(1, busy / allocated) });
        }
      }
      if (c.throttles > 0) this.recorder.recordStatistics({ ...base, dimensions, metricName: 'Throttles', unit: 'Count', sampleCount: c.throttles, sum: c.throttles, minimum: 1, maximum: 1 });
    }
  }
}

/** Milliseconds rounded to the hundredth (as REPORT prints them) → how often each occurred. */
function countsByHundredth(values: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const v of values) {
    const ms = Math.round(v * 100) / 100;
    counts.set(ms, (counts.get(ms) ?? 0) + 1);
  }
  return counts;
}

/** The most [start, end] spans (flattened pairs) that overlap at any instant. */
function mostAtOnce(spans: number[]): number {
  const edges: [number, number][] = [];
  for (let i = 0; i < spans.length; i += 2) edges.push([spans[i]!, 1], [spans[i + 1]!, -1]);
  // An end before a start at the same instant: back-to-back invocations are not concurrent.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, delta] of edges) {
    now += delta;
    if (now > most) most = now;
  }
  return most;
}
