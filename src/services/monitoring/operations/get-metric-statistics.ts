import { dimensionsKey } from '../../../observability/metrics/metric-series.js';
import type { MonitoringDeps, MonitoringOperation } from '../deps.js';
import { errors } from '../errors.js';
import { optionalString, requiredDate, requiredNumber, strings } from '../input.js';
import { MAX_STATISTICS_DATAPOINTS, UNITS } from '../limits.js';
import { readMetric } from '../metric-input.js';
import { checkPeriod, periodServesStart } from '../period.js';
import { alignedStart, isPercentile, isStatistic, periodsOf, statisticOf } from '../statistics.js';
import { WireMap } from '../wire.js';

/** GetMetricStatistics: the requested statistics per period (and per unit, when no Unit is given). */
export function getMetricStatistics(deps: MonitoringDeps): MonitoringOperation {
  return async (input, ctx) => {
    const metric = readMetric(input);
    const start = requiredDate(input, 'StartTime').getTime();
    const end = requiredDate(input, 'EndTime').getTime();
    const periodS = requiredNumber(input, 'Period');
    checkPeriod(periodS, 'Period');
    const statistics = strings(input, 'Statistics');
    const extended = strings(input, 'ExtendedStatistics');
    if (statistics.length === 0 && extended.length === 0) throw errors.missing('Statistics');
    if (statistics.length > 0 && extended.length > 0) throw errors.combination('Must specify either Statistics or ExtendedStatistics, but not both.');
    for (const s of statistics) if (!isStatistic(s)) throw errors.invalidValue(s, 'Statistics');
    if (extended.length > 10) throw errors.invalidParameter('The collection ExtendedStatistics must not have a size greater than 10.');
    for (const s of extended) if (!isPercentile(s)) throw errors.invalidValue(s, 'ExtendedStatistics');
    const unit = optionalString(input, 'Unit');
    if (unit !== undefined && !UNITS.has(unit)) throw errors.invalidValue(unit, 'Unit');
    if (start >= end) throw errors.invalidParameter('The parameter StartTime must be less than the parameter EndTime.');
    const now = deps.clock.now();
    const from = alignedStart(start, periodS, now);
    const requested = Math.ceil((end - from) / (periodS * 1000));
    if (requested > MAX_STATISTICS_DATAPOINTS) {
      throw errors.combination(
        `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS.toLocaleString('en-US')}. ` +
          'You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
      );
    }
    const rows = periodServesStart(periodS, start, now)
      ? await deps.metrics.datapoints({ accountId: ctx.accountId, region: ctx.region, namespace: metric.namespace, metricName: metric.metricName, dimensions: dimensionsKey(metric.dimensions), unit, startMs: from, endMs: end })
      : [];
    const datapoints = [...periodsOf(rows, from, periodS).values()].map(({ timestamp, unit: pointUnit, aggregate }) => {
      const point: Record<string, unknown> = { Timestamp: new Date(timestamp) };
      for (const s of statistics) point[s] = statisticOf(aggregate, s);
      if (extended.length > 0) {
        const values: Record<string, number> = {};
        for (const s of extended) {
          const v = statisticOf(aggregate, s);
          if (v !== undefined) values[s] = v;
        }
        point.ExtendedStatistics = new WireMap(values);
      }
      point.Unit = pointUnit;
      return point;
    });
    return { Label: metric.metricName, Datapoints: datapoints };
  };
}
