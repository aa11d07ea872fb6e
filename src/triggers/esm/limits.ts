/** Limits and defaults of Lambda's SQS pollers (Lambda developer guide: with-sqs, services-sqs-scaling). */
export const SQS_INITIAL_CONCURRENT_BATCHES = 5;
/** Lambda adds up to 300 concurrent invocations a minute while messages remain: 5 a second. */
export const SQS_SCALE_UP_PER_SECOND = 5;
export const SQS_MAX_CONCURRENT_BATCHES = 1000;
export const SQS_LONG_POLL_SECONDS = 20;
/** Synchronous invoke payload cap; batches are cut to fit. */
export const INVOKE_PAYLOAD_MAX_BYTES = 6_291_456;
/** Added to window + function timeout when those exceed the queue's visibility timeout. */
export const SQS_VISIBILITY_MARGIN_SECONDS = 30;
export const SCALE_TICK_MS = 1000;
/** Batches at least this long scale as AWS does, without the pay-off check (their gain shows late). */
export const SQS_SLOW_BATCH_MS = 1000;
export const RECONCILE_INTERVAL_MS = 250;
export const ERROR_BACKOFF_MS = 1000;
/** Tag on a mapping that makes it poll a remote SQS endpoint instead of the embedded queues. */
export const REMOTE_ENDPOINT_TAG = 'lambkin:sqs-endpoint';
/** A scaling step must bring at least this share of its proportional gain in messages a second. */
export const SQS_SCALE_MIN_GAIN = 0.5;
/** Ticks without growth after a step that did not pay off, before probing again. */
export const SQS_SCALE_HOLD_TICKS = 10;

/** Limits and defaults of Lambda's stream pollers (Kinesis, DynamoDB Streams; developer guide with-kinesis). */
/** A remote shard is polled once a second (a standard iterator's rate); embedded shards wake on writes. */
export const REMOTE_STREAM_POLL_INTERVAL_MS = 1000;
/** An idle embedded shard re-reads this seldom even without a signal (retention, a lost wake-up). */
export const STREAM_IDLE_RECHECK_MS = 60_000;
/** Records read ahead of the checkpoint per shard, at most (a multiple of BatchSize × lanes, capped). */
export const STREAM_READ_AHEAD_MAX_RECORDS = 20_000;
/** Tumbling-window state the function returns, at most; larger ends the window early. */
export const TUMBLING_WINDOW_STATE_MAX_BYTES = 1024 * 1024;
/** Backoff for throttles and unavailable functions (not counted as retries): doubles up to the cap. */
export const STREAM_THROTTLE_BACKOFF_INITIAL_MS = 100;
export const STREAM_THROTTLE_BACKOFF_MAX_MS = 5000;
/** Wait before retrying a batch the function failed: doubles per retry up to the cap. */
export const STREAM_RETRY_DELAY_INITIAL_MS = 100;
export const STREAM_RETRY_DELAY_MAX_MS = 5000;
/** Wait before trying again to list shards or deliver an OnFailure record that failed. */
export const STREAM_SOURCE_ERROR_BACKOFF_MS = 1000;
/** Reserved concurrency is read again at most this often when a batch asks for a slot. */
export const RESERVED_CONCURRENCY_REUSE_MS = 1000;
