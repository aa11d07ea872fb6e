import type { Clock } from '../../clock.js';
import type { MetricDatum, MetricRecorder, MetricStatisticSet, MetricValueCounts } from '../../contracts/metric-recorder.js';
import type { Logger } from '../../logger.js';
import { isPostgres, type Store } from '../../store/database.js';
import type { CwMetricDatapointsTable } from '../../store/schema.js';
import { addToAggregate, aggregateOfValue, mergeAggregate, type MetricAggregate } from './metric-aggregate.js';
import { mergeIntoRow, type DatapointKey } from './metric-rows.js';
import { dimensionsKey } from './metric-series.js';

export interface MetricStoreOptions {
  /** How often aggregated points are written (ms). */
  flushIntervalMs?: number;
  /** Distinct points held in memory between writes; beyond this new ones are dropped with a warning. */
  maxPendingPoints?: number;
}

interface PendingPoint {
  key: DatapointKey;
  aggregate: MetricAggregate;
}

/** Which series and time range a read wants; `unit` narrows to one unit. */
export interface DatapointQuery {
  accountId: string;
  region: string;
  namespace: string;
  metricName: string;
  /** `dimensionsKey(…)` of the exact dimension set. */
  dimensions: string;
  unit?: string;
  startMs: number;
  endMs: number;
}

export interface ListedMetric {
  namespace: string;
  metricName: string;
  /** `dimensionsKey(…)` */
  dimensions: string;
}

/**
 * CloudWatch's metric data: the `MetricRecorder` everything records through, and the reads the
 * CloudWatch API and the alarm evaluator make. Points are summed in memory per series, unit and
 * period (a second for high-resolution data, a minute otherwise) and merged into the store every
 * `flushIntervalMs` (5 s), so recording costs a map update; every read writes what is pending first.
 */
export class MetricStore implements MetricRecorder {
  private pending = new Map<string, PendingPoint>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dropped = 0;
  private closed = false;
  private readonly flushIntervalMs: number;
  private readonly maxPendingPoints: number;

  constructor(
    private readonly db: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: MetricStoreOptions = {},
  ) {
    // Every merge re-reads and re-writes a point's value distribution: every 5 s keeps that off a
    // busy host's back, and reads write what is pending first, so nobody sees older data.
    this.flushIntervalMs = options.flushIntervalMs ?? 5_000;
    this.maxPendingPoints = options.maxPendingPoints ?? 100_000;
  }

  record(datum: MetricDatum): void {
    const count = datum.count ?? 1;
    const point = this.pointFor(datum);
    if (!point) return;
    if (point.aggregate.sampleCount === 0) point.aggregate = aggregateOfValue(datum.value, count);
    else addToAggregate(point.aggregate, datum.value, count);
  }

  /**
   * Every value of one series at once: the point is looked up (its key built) once rather than per
   * value — a busy function's minute holds thousands of distinct durations.
   */
  recordValues(series: Omit<MetricDatum, 'value' | 'count'>, counts: MetricValueCounts): void {
    if (counts.size === 0) return;
    const point = this.pointFor(series);
    if (!point) return;
    for (const [value, count] of counts) {
      if (point.aggregate.sampleCount === 0) point.aggregate = aggregateOfValue(value, count);
      else addToAggregate(point.aggregate, value, count);
    }
  }

  recordStatistics(set: MetricStatisticSet): void {
    const point = this.pointFor(set);
    if (!point) return;
    const aggregate: MetricAggregate = { sampleCount: set.sampleCount, sum: set.sum, minimum: set.minimum, maximum: set.maximum, distribution: null };
    if (point.aggregate.sampleCount === 0) point.aggregate = aggregate;
    else mergeAggregate(point.aggregate, aggregate);
  }

  /** The pending point a datum adds to (created empty), or undefined when memory is full. */
  private pointFor(datum: Omit<MetricDatum, 'value' | 'count'>): PendingPoint | undefined {
    if (this.closed) return undefined;
    const periodS = datum.storageResolution === 1 ? 1 : 60;
    const at = datum.timestampMs ?? this.clock.now();
    const timestamp = at - (at % (periodS * 1000));
    const dimensions = dimensionsKey(datum.dimensions);
    const unit = datum.unit ?? 'None';
    const id = `${datum.accountId}\u0001${datum.region}\u0001${datum.namespace}\u0001${datum.metricName}\u0001${dimensions}\u0001${unit}\u0001${periodS}\u0001${timestamp}`;
    let point = this.pending.get(id);
    if (!point) {
      if (this.pending.size >= this.maxPendingPoints) {
        this.dropped += 1;
        return undefined;
      }
      point = {
        key: { accountId: datum.accountId, region: datum.region, namespace: datum.namespace, metricName: datum.metricName, dimensions, unit, periodS, timestamp },
        aggregate: { sampleCount: 0, sum: 0, minimum: 0, maximum: 0, distribution: null },
      };
      this.pending.set(id, point);
      this.schedule();
    }
    return point;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushIntervalMs);
    this.timer.unref();
  }

  /** Writes everything recorded so far; resolves once it is in the store. */
  flush(): Promise<void> {
    const points = [...this.pending.values()].filter((p) => p.aggregate.sampleCount > 0);
    this.pending = new Map();
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dropped > 0) {
      this.logger.warn({ dropped: this.dropped }, 'metric data points dropped: too many distinct points waiting for the store');
      this.dropped = 0;
    }
    // One write at a time, in order, so two flushes never merge into the same row at once.
    this.writing = this.writing.then(() => (points.length === 0 ? undefined : this.write(points)));
    return this.writing;
  }

  private async write(points: PendingPoint[]): Promise<void> {
    // On PostgreSQL every node merges into the same rows (a function's minute) and a node runs its
    // transactions one at a time: one transaction for the whole batch held row locks the other
    // nodes' batches waited on, then lost to a serialization failure and ran again whole, while
    // every other write of the node (an Event invoke's 202, an SQS send) queued behind it for
    // seconds. A transaction per point holds one row for two statements.
    const batches = isPostgres(this.db) ? points.map((p) => [p]) : [points];
    let lost = 0;
    let error: unknown;
    for (const batch of batches) {
      try {
        await this.db.transaction().execute(async (trx) => {
          for (const point of batch) await mergeIntoRow(trx, point.key, point.aggregate);
        });
      } catch (err) {
        lost += batch.length;
        error = err;
      }
    }
    // Losing points beats failing the invocations or API calls that recorded them.
    if (lost > 0) this.logger.error({ err: error, count: lost }, 'could not store metric data points');
  }

  /** The stored points of one series in [startMs, endMs), oldest first (pending ones written first). */
  async datapoints(query: DatapointQuery): Promise<CwMetricDatapointsTable[]> {
    await this.flush();
    let q = this.db
      .selectFrom('cw_metric_datapoints')
      .selectAll()
      .where('account_id', '=', query.accountId)
      .where('region', '=', query.region)
      .where('namespace', '=', query.namespace)
      .where('metric_name', '=', query.metricName)
      .where('dimensions', '=', query.dimensions)
      .where('timestamp', '>=', query.startMs)
      .where('timestamp', '<', query.endMs);
    if (query.unit !== undefined) q = q.where('unit', '=', query.unit);
    return q.orderBy('timestamp').execute();
  }

  /** Every series with a point since `sinceMs`, narrowed by namespace and name when given. */
  async metrics(filter: { accountId: string; region: string; namespace?: string; metricName?: string; sinceMs: number }): Promise<ListedMetric[]> {
    await this.flush();
    let q = this.db
      .selectFrom('cw_metric_datapoints')
      .select(['namespace', 'metric_name', 'dimensions'])
      .distinct()
      .where('account_id', '=', filter.accountId)
      .where('region', '=', filter.region)
      .where('timestamp', '>=', filter.sinceMs);
    if (filter.namespace !== undefined) q = q.where('namespace', '=', filter.namespace);
    if (filter.metricName !== undefined) q = q.where('metric_name', '=', filter.metricName);
    const rows = await q.orderBy('namespace').orderBy('metric_name').orderBy('dimensions').execute();
    return rows.map((r) => ({ namespace: r.namespace, metricName: r.metric_name, dimensions: r.dimensions }));
  }

  /** Writes what is pending and records nothing more. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
