import type { Transaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { CwMetricDatapointsTable } from '../../store/schema.js';
import { mergeAggregate, type MetricAggregate } from './metric-aggregate.js';
import { decodeDistribution, encodeDistribution } from './value-distribution.js';

/** One stored data point's key: series, unit, aggregation period and its start. */
export interface DatapointKey {
  accountId: string;
  region: string;
  namespace: string;
  metricName: string;
  /** `dimensionsKey(…)` */
  dimensions: string;
  unit: string;
  periodS: number;
  timestamp: number;
}

export function aggregateOfRow(row: CwMetricDatapointsTable): MetricAggregate {
  return {
    sampleCount: row.sample_count,
    sum: row.sum,
    minimum: row.minimum,
    maximum: row.maximum,
    distribution: row.distribution === null ? null : decodeDistribution(row.distribution),
  };
}

export function keyOfRow(row: CwMetricDatapointsTable): DatapointKey {
  return {
    accountId: row.account_id,
    region: row.region,
    namespace: row.namespace,
    metricName: row.metric_name,
    dimensions: row.dimensions,
    unit: row.unit,
    periodS: row.period_s,
    timestamp: row.timestamp,
  };
}

/**
 * Adds `aggregate` to the stored point at `key` (or stores it), inside the caller's transaction.
 * Merged in code rather than in SQL: the distribution is JSON, and MIN/MAX of two values are
 * spelled differently by SQLite and PostgreSQL.
 */
export async function mergeIntoRow(trx: Transaction<Database>, key: DatapointKey, aggregate: MetricAggregate): Promise<void> {
  const existing = await trx
    .selectFrom('cw_metric_datapoints')
    .selectAll()
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('namespace', '=', key.namespace)
    .where('metric_name', '=', key.metricName)
    .where('dimensions', '=', key.dimensions)
    .where('unit', '=', key.unit)
    .where('period_s', '=', key.periodS)
    .where('timestamp', '=', key.timestamp)
    .executeTakeFirst();
  const merged = existing ? aggregateOfRow(existing) : aggregate;
  if (existing) mergeAggregate(merged, aggregate);
  const values = {
    sample_count: merged.sampleCount,
    sum: merged.sum,
    minimum: merged.minimum,
    maximum: merged.maximum,
    distribution: merged.distribution ? encodeDistribution(merged.distribution) : null,
  };
  if (existing) {
    await trx
      .updateTable('cw_metric_datapoints')
      .set(values)
      .where('account_id', '=', key.accountId)
      .where('region', '=', key.region)
      .where('namespace', '=', key.namespace)
      .where('metric_name', '=', key.metricName)
      .where('dimensions', '=', key.dimensions)
      .where('unit', '=', key.unit)
      .where('period_s', '=', key.periodS)
      .where('timestamp', '=', key.timestamp)
      .execute();
    return;
  }
  await trx
    .insertInto('cw_metric_datapoints')
    .values({
      account_id: key.accountId,
      region: key.region,
      namespace: key.namespace,
      metric_name: key.metricName,
      dimensions: key.dimensions,
      unit: key.unit,
      period_s: key.periodS,
      timestamp: key.timestamp,
      ...values,
    })
    .execute();
}
