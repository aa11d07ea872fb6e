/** CloudWatch's limits and defaults, as https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html states them. */

/** The wire names: `X-Amz-Target` prefix (awsJson 1.0) and the Smithy RPC v2 service name. */
export const SERVICE_TARGET = 'GraniteServiceVersion20100801';
export const XML_NAMESPACE = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
export const API_VERSION = '2010-08-01';

export const MAX_REQUEST_BYTES = 1_048_576;
/** PutMetricData: metrics per request, dimensions per metric, values per metric. */
export const MAX_METRIC_DATA_PER_PUT = 1_000;
export const MAX_DIMENSIONS = 30;
export const MAX_VALUES_PER_DATUM = 150;
/** PutMetricData accepts points up to two weeks old and two hours ahead. */
export const MAX_DATAPOINT_AGE_MS = 14 * 24 * 3_600_000;
export const MAX_DATAPOINT_FUTURE_MS = 2 * 3_600_000;
/** GetMetricStatistics: at most 1,440 points per call. */
export const MAX_STATISTICS_DATAPOINTS = 1_440;
/** GetMetricData: queries per call, and points per call (100,800). */
export const MAX_METRIC_DATA_QUERIES = 500;
export const MAX_METRIC_DATA_POINTS = 100_800;
/** ListMetrics answers 500 per page, and lists metrics with data in the last two weeks. */
export const LIST_METRICS_PAGE = 500;
export const LIST_METRICS_WINDOW_MS = 14 * 24 * 3_600_000;
export const RECENTLY_ACTIVE_MS = 3 * 3_600_000;
/** DescribeAlarms pages of up to 100; DescribeAlarmHistory of up to 100. */
export const DESCRIBE_ALARMS_MAX_RECORDS = 100;
export const ALARM_HISTORY_MAX_RECORDS = 100;
/** Alarm history is kept two weeks. */
export const ALARM_HISTORY_RETENTION_MS = 14 * 24 * 3_600_000;
/** Actions per alarm state list. */
export const MAX_ALARM_ACTIONS = 5;
/** The alarm evaluator runs once a minute, as CloudWatch evaluates standard alarms. */
export const ALARM_EVALUATION_INTERVAL_MS = 60_000;

export const UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits',
  'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second',
  'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second',
  'Terabits/Second', 'Count/Second', 'None',
]);

export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type Statistic = (typeof STATISTICS)[number];

/**
 * Alarm actions whose target could not take them (SNS not started, a store error) are tried again
 * after 1 s, doubling to at most a minute, up to this many attempts before the history records
 * the action as failed; a target that does not exist fails at once.
 */
export const ALARM_ACTION_RETRY_FIRST_MS = 1_000;
export const ALARM_ACTION_RETRY_MAX_MS = 60_000;
export const ALARM_ACTION_MAX_ATTEMPTS = 8;
