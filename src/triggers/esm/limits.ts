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
