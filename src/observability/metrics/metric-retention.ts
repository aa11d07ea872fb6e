import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import { mergeAggregate, type MetricAggregate } from './metric-aggregate.js';
import { aggregateOfRow, keyOfRow, mergeIntoRow, type DatapointKey } from './metric-rows.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * CloudWatch's retention: points of a period under 60 s are kept 3 hours, then aggregated to
 * 1 minute; 1-minute points 15 days, then 5 minutes; 5-minute points 63 days, then 1 hour; hourly
 * points 455 days (15 months), then gone.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
export const RETENTION_STEPS: readonly { periodS: number; keepMs: number; rollUpToS: number | null }[] = [
  { periodS: 1, keepMs: 3 * HOUR_MS, rollUpToS: 60 },
  { periodS: 60, keepMs: 15 * DAY_MS, rollUpToS: 300 },
  { periodS: 300, keepMs: 63 * DAY_MS, rollUpToS: 3600 },
  { periodS: 3600, keepMs: 455 * DAY_MS, rollUpToS: null },
];

const ROWS_PER_BATCH = 2_000;
const SWEEP_INTERVAL_MS = 10 * 60_000;

/** Rolls up or deletes points past their period's retention; returns how many rows it moved. */
export async function sweepMetricRetention(db: Store, nowMs: number): Promise<number> {
  let moved = 0;
  for (const step of RETENTION_STEPS) {
    const cutoff = nowMs - step.keepMs;
    for (;;) {
      const rows = await db
        .selectFrom('cw_metric_datapoints')
        .selectAll()
        .where('period_s', '=', step.periodS)
        .where('timestamp', '<', cutoff)
        .limit(ROWS_PER_BATCH)
        .execute();
      if (rows.length === 0) break;
      await db.transaction().execute(async (trx) => {
        if (step.rollUpToS !== null) {
          const rolled = new Map<string, { key: DatapointKey; aggregate: MetricAggregate }>();
          const width = step.rollUpToS * 1000;
          for (const row of rows) {
            const key = { ...keyOfRow(row), periodS: step.rollUpToS, timestamp: row.timestamp - (row.timestamp % width) };
            const id = JSON.stringify(key);
            const existing = rolled.get(id);
            if (existing) mergeAggregate(existing.aggregate, aggregateOfRow(row));
            else rolled.set(id, { key, aggregate: aggregateOfRow(row) });
          }
          for (const { key, aggregate } of rolled.values()) await mergeIntoRow(trx, key, aggregate);
        }
        for (const row of rows) {
          await trx
            .deleteFrom('cw_metric_datapoints')
            .where('account_id', '=', row.account_id)
            .where('region', '=', row.region)
            .where('namespace', '=', row.namespace)
            .where('metric_name', '=', row.metric_name)
            .where('dimensions', '=', row.dimensions)
            .where('unit', '=', row.unit)
            .where('period_s', '=', row.period_s)
            .where('timestamp', '=', row.timestamp)
            .execute();
        }
      });
      moved += rows.length;
      if (rows.length < ROWS_PER_BATCH) break;
    }
  }
  return moved;
}

/** Runs the sweep now and every 10 minutes of the clock until stopped. */
export function startMetricRetention(db: Store, clock: Clock, logger: Logger): { stop(): void } {
  let timer: { cancel(): void } | undefined;
  let stopped = false;
  const run = async () => {
    try {
      await sweepMetricRetention(db, clock.now());
    } catch (err) {
      logger.error({ err }, 'metric retention sweep failed');
    }
    if (!stopped) timer = clock.setTimeout(() => void run(), SWEEP_INTERVAL_MS);
  };
  timer = clock.setTimeout(() => void run(), 0);
  return {
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}
