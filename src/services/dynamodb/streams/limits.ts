/** DynamoDB Streams limits and defaults (API model `streams.dynamodb/2012-08-10` and the developer guide). */
export const TARGET_PREFIX = 'DynamoDBStreams_20120810';
/** Stream records are kept for 24 hours. */
export const RECORD_RETENTION_MS = 24 * 60 * 60 * 1000;
/**
 * AWS closes a shard and opens a child roughly every four hours; we roll the open shard after this
 * long once it holds a record (an idle stream keeps its one shard).
 */
export const SHARD_ROLL_MS = 4 * 60 * 60 * 1000;
/** A shard iterator is valid for 15 minutes after it was issued. */
export const SHARD_ITERATOR_TTL_MS = 15 * 60 * 1000;
export const MAX_GET_RECORDS_LIMIT = 1000;
/** GetRecords answers at most 1 MB. */
export const MAX_GET_RECORDS_BYTES = 1024 * 1024;
export const DEFAULT_LIST_STREAMS_LIMIT = 100;
export const MAX_LIST_STREAMS_LIMIT = 100;
export const DEFAULT_DESCRIBE_STREAM_LIMIT = 100;
export const MAX_DESCRIBE_STREAM_LIMIT = 100;
/** Rows deleted per statement by the trim, so it never holds the store for long. */
export const DELETE_BATCH_ROWS = 500;
/** How often the trim runs. */
export const TRIM_INTERVAL_MS = 60_000;
