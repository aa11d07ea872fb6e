import { mergeAggregate, type MetricAggregate } from '../../observability/metrics/metric-aggregate.js';
import type { MetricStore } from '../../observability/metrics/metric-store.js';
import { dimensionsKey } from '../../observability/metrics/metric-series.js';
import { errors } from './errors.js';
import { optionalString, requiredNumber, requiredString, type Input } from './input.js';
import { UNITS } from './limits.js';
import { readMetric, type MetricName } from './metric-input.js';
import { checkPeriod, periodServesStart } from './period.js';
import { isPercentile, isStatistic, periodsOf, statisticOf } from './statistics.js';

/** A `MetricStat`: one statistic of one metric per period (GetMetricData, math alarms). */
export interface MetricStat {
  metric: MetricName;
  periodS: number;
  stat: string;
  unit?: string;
}

export function readMetricStat(input: Input, path: string): MetricStat {
  const metricInput = input.Metric;
  if (metricInput === undefined || metricInput === null || typeof metricInput !== 'object') throw errors.missing(`${path}Metric`);
  const metric = readMetric(metricInput as Input, `${path}Metric.`);
  const periodS = requiredNumber(input, 'Period');
  checkPeriod(periodS, `${path}Period`);
  const stat = requiredString(input, 'Stat');
  if (!isStatistic(stat) && !isPercentile(stat)) throw errors.invalidValue(stat, `${path}Stat`);
  const unit = optionalString(input, 'Unit');
  if (unit !== undefined && !UNITS.has(unit)) throw errors.invalidValue(unit, `${path}Unit`);
  return { metric, periodS, stat, unit };
}

/** The statistic per period from `fromMs` (already aligned) to `endMs`; periods without data have no point. */
export async function metricStatPoints(
  metrics: MetricStore,
  scope: { accountId: string; region: string },
  q: MetricStat,
  fromMs: number,
  endMs: number,
  nowMs: number,
): Promise<Map<number, number>> {
  const points = new Map<number, number>();
  if (!periodServesStart(q.periodS, fromMs, nowMs)) return points;
  const rows = await metrics.datapoints({
    ...scope, namespace: q.metric.namespace, metricName: q.metric.metricName, dimensions: dimensionsKey(q.metric.dimensions), unit: q.unit, startMs: fromMs, endMs,
  });
  // Units are summed together here: a MetricStat without Unit reads every unit as one.
  const byTime = new Map<number, MetricAggregate>();
  for (const { timestamp, aggregate } of periodsOf(rows, fromMs, q.periodS).values()) {
    const existing = byTime.get(timestamp);
    if (existing) mergeAggregate(existing, aggregate);
    else byTime.set(timestamp, aggregate);
  }
  for (const [t, aggregate] of [...byTime].sort((a, b) => a[0] - b[0])) {
    const v = statisticOf(aggregate, q.stat);
    if (v !== undefined) points.set(t, v);
  }
  return points;
}
