import { mergeAggregate, type MetricAggregate } from '../../observability/metrics/metric-aggregate.js';
import { aggregateOfRow } from '../../observability/metrics/metric-rows.js';
import { percentile } from '../../observability/metrics/value-distribution.js';
import type { CwMetricDatapointsTable } from '../../store/schema.js';
import { STATISTICS, type Statistic } from './limits.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** `p99`, `p99.9`: a percentile CloudWatch computes from the values (0 to 100). */
const PERCENTILE = /^p(\d{1,2}(\.\d{1,10})?|100(\.0{1,10})?)$/;

export function isStatistic(name: string): name is Statistic {
  return (STATISTICS as readonly string[]).includes(name);
}

export function isPercentile(name: string): boolean {
  return PERCENTILE.test(name);
}

/**
 * Where the first period starts: CloudWatch rounds StartTime down to the minute when it is under
 * 15 days old, to 5 minutes up to 63 days, to the hour beyond, and periods under a minute to their
 * own length. (GetMetricStatistics, "StartTime".)
 */
export function alignedStart(startMs: number, periodS: number, nowMs: number): number {
  const age = nowMs - startMs;
  const unit = periodS < 60 ? periodS * 1000 : age < 15 * DAY_MS ? MINUTE_MS : age < 63 * DAY_MS ? 5 * MINUTE_MS : 60 * MINUTE_MS;
  return startMs - (((startMs % unit) + unit) % unit);
}

/** Stored points summed into periods of `periodS` from `startMs`, one per period and unit. */
export function periodsOf(rows: CwMetricDatapointsTable[], startMs: number, periodS: number): Map<string, { timestamp: number; unit: string; aggregate: MetricAggregate }> {
  const width = periodS * 1000;
  const out = new Map<string, { timestamp: number; unit: string; aggregate: MetricAggregate }>();
  for (const row of rows) {
    const timestamp = startMs + Math.floor((row.timestamp - startMs) / width) * width;
    const id = `${timestamp}\u0001${row.unit}`;
    const existing = out.get(id);
    if (existing) mergeAggregate(existing.aggregate, aggregateOfRow(row));
    else out.set(id, { timestamp, unit: row.unit, aggregate: aggregateOfRow(row) });
  }
  return out;
}

/** One statistic of a period, or undefined when it cannot be computed (a percentile of statistic sets). */
export function statisticOf(aggregate: MetricAggregate, stat: string): number | undefined {
  switch (stat) {
    case 'SampleCount':
      return aggregate.sampleCount;
    case 'Sum':
      return aggregate.sum;
    case 'Average':
      return aggregate.sampleCount === 0 ? undefined : aggregate.sum / aggregate.sampleCount;
    case 'Minimum':
      return aggregate.minimum;
    case 'Maximum':
      return aggregate.maximum;
  }
  if (!isPercentile(stat)) return undefined;
  // Statistic sets whose values are all one number still have a distribution (CloudWatch's own rule).
  if (aggregate.distribution) return percentile(aggregate.distribution, Number(stat.slice(1)));
  if (aggregate.minimum === aggregate.maximum) return aggregate.minimum;
  return undefined;
}
