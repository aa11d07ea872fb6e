/**
 * The seam through which anything in Lambkin records CloudWatch metric data (the platform's
 * `AWS/Lambda`, `AWS/SQS` and `AWS/Events` metrics, CloudWatch Logs metric filters): the same store
 * PutMetricData writes and GetMetricStatistics, GetMetricData, ListMetrics and alarms read.
 * `record` returns at once: data points are aggregated in memory per period and written in batches.
 */
export interface MetricDatum {
  accountId: string;
  region: string;
  namespace: string;
  metricName: string;
  /** Name → value; at most 30, as PutMetricData allows. */
  dimensions?: Readonly<Record<string, string>>;
  /** One observed value (repeated `count` times, default 1). */
  value: number;
  count?: number;
  /** A CloudWatch unit (`Count`, `Milliseconds` …); `None` when absent. */
  unit?: string;
  /** When it was observed (epoch ms); now when absent. */
  timestampMs?: number;
  /** 1 keeps per-second points (high resolution); 60, the default, per-minute. */
  storageResolution?: 1 | 60;
}

/** A pre-aggregated statistic set (PutMetricData's `StatisticValues`): no percentiles from it. */
export interface MetricStatisticSet extends Omit<MetricDatum, 'value' | 'count'> {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

/** One series' observed values, each with how often it occurred: `record` for each, in one call. */
export type MetricValueCounts = ReadonlyMap<number, number>;

export interface MetricRecorder {
  record(datum: MetricDatum): void;
  recordStatistics(set: MetricStatisticSet): void;
  recordValues(series: Omit<MetricDatum, 'value' | 'count'>, counts: MetricValueCounts): void;
}
