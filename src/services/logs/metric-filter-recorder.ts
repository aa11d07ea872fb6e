import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import type { WrittenLogEvents } from '../../observability/function-logs.js';
import type { LogFilterSets, MetricTransformationInput } from './filter-sets.js';
import type { PatternMatch } from './filter-pattern/index.js';

const MINUTE_MS = 60_000;

/**
 * Metric filters at work: every stored batch (function output and PutLogEvents alike) is run
 * through its group's metric filters, and each matching event records its transformation's value
 * (a number, or `$.field` / `$field` read from the event) at the event's time, with dimensions
 * read the same way. A filter with a `defaultValue` records it once for a minute in which logs
 * arrived and it matched none of them, as AWS reports it for such periods.
 */
export class MetricFilterRecorder {
  /** Per filter, the last minute (epoch minutes) something was recorded for it. */
  private readonly lastMinute = new Map<string, number>();

  constructor(private readonly deps: { filters: LogFilterSets; metrics: MetricRecorder }) {}

  written(batches: WrittenLogEvents[]): void {
    for (const batch of batches) {
      const filters = this.deps.filters.of({ accountId: batch.accountId, region: batch.region, name: batch.group });
      if (!filters || filters.metrics.length === 0) continue;
      for (const filter of filters.metrics) {
        const key = `${batch.accountId}\u0000${batch.region}\u0000${batch.group}\u0000${filter.name}`;
        let matched = false;
        for (const [timestamp, message] of batch.events) {
          const m = filter.match(message);
          if (!m) continue;
          matched = true;
          this.lastMinute.set(key, Math.floor(timestamp / MINUTE_MS));
          for (const t of filter.transformations) this.recordMatch(batch, t, m, timestamp);
        }
        const at = batch.events[0]?.[0];
        if (matched || at === undefined || !filter.transformations.some((t) => t.defaultValue !== undefined)) continue;
        const minute = Math.floor(at / MINUTE_MS);
        if (this.lastMinute.get(key) === minute) continue;
        this.lastMinute.set(key, minute);
        for (const t of filter.transformations) if (t.defaultValue !== undefined) this.record(batch, t, t.defaultValue, undefined, at);
      }
    }
  }

  private recordMatch(batch: WrittenLogEvents, t: MetricTransformationInput, m: PatternMatch, timestamp: number): void {
    const value = t.metricValue.startsWith('$') ? Number(m.value(t.metricValue)) : Number(t.metricValue);
    if (!Number.isFinite(value)) return;
    let dimensions: Record<string, string> | undefined;
    if (t.dimensions) {
      dimensions = {};
      for (const [name, selector] of Object.entries(t.dimensions)) {
        const v = selector.startsWith('$') ? m.value(selector) : selector;
        // An event without the dimension's field publishes nothing for it.
        if (v === undefined || v === null || typeof v === 'object') return;
        dimensions[name] = String(v);
      }
    }
    this.record(batch, t, value, dimensions, timestamp);
  }

  private record(batch: WrittenLogEvents, t: MetricTransformationInput, value: number, dimensions: Record<string, string> | undefined, timestampMs: number | undefined): void {
    this.deps.metrics.record({
      accountId: batch.accountId,
      region: batch.region,
      namespace: t.metricNamespace,
      metricName: t.metricName,
      value,
      ...(dimensions ? { dimensions } : {}),
      ...(t.unit ? { unit: t.unit } : {}),
      ...(timestampMs !== undefined ? { timestampMs } : {}),
    });
  }
}
