/** CloudWatch Logs' limits and defaults (API reference, "CloudWatch Logs quotas"). */

export const TARGET_PREFIX = 'Logs_20140328';

/** PutLogEvents: a batch's size is its messages' UTF-8 bytes plus 26 bytes per event. */
export const MAX_PUT_BATCH_BYTES = 1_048_576;
export const PUT_EVENT_OVERHEAD_BYTES = 26;
export const MAX_EVENT_BYTES = 262_144;
export const MAX_EVENTS_PER_PUT = 10_000;
/** The events of one PutLogEvents call may not span more than 24 hours. */
export const MAX_PUT_SPAN_MS = 24 * 3_600_000;
/** Events older than 14 days or more than 2 hours in the future are rejected (rejectedLogEventsInfo). */
export const MAX_EVENT_AGE_MS = 14 * 24 * 3_600_000;
export const MAX_EVENT_FUTURE_MS = 2 * 3_600_000;

/** A request body bigger than one full batch plus its JSON framing is refused before parsing. */
export const LOGS_MAX_REQUEST_BYTES = 2 * MAX_PUT_BATCH_BYTES;

export const MAX_NAME_CHARS = 512;
export const DEFAULT_DESCRIBE_LIMIT = 50;
/** GetLogEvents and FilterLogEvents answer at most this many events, or 1 MB. */
export const DEFAULT_EVENTS_LIMIT = 10_000;
export const MAX_EVENTS_RESPONSE_BYTES = 1_048_576;

export const MAX_TAGS_PER_GROUP = 50;
export const MAX_METRIC_FILTERS_PER_GROUP = 100;
export const MAX_SUBSCRIPTION_FILTERS_PER_GROUP = 2;
export const MAX_FILTER_PATTERN_CHARS = 1024;

/** The values RetentionInDays accepts. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
/** How often the retention sweep runs. */
export const RETENTION_SWEEP_INTERVAL_MS = 10 * 60_000;

/** Logs Insights: default and largest result count, and how long finished queries stay readable. */
export const DEFAULT_QUERY_LIMIT = 1_000;
export const MAX_QUERY_LIMIT = 10_000;
/** AWS keeps query results 7 days; Lambkin keeps them as long, and at most this many per account and region. */
export const QUERY_RESULTS_KEPT_MS = 7 * 24 * 3_600_000;
export const MAX_KEPT_QUERIES = 1_000;

/** Subscription deliveries to Lambda are async invokes (256 KB); events are chunked to stay under it once gzipped and base64-encoded. */
export const MAX_SUBSCRIPTION_CHUNK_BYTES = 150_000;

/**
 * A subscription delivery Lambda could not take (a store error) is tried again after 1 s, doubling
 * to at most a minute. A refusal (function gone, permission removed) is not retried: AWS drops it.
 */
export const SUBSCRIPTION_RETRY_FIRST_MS = 1_000;
export const SUBSCRIPTION_RETRY_MAX_MS = 60_000;
