/** Kinesis Data Streams limits and defaults (API model `kinesis/2013-12-02` and the quotas page). */
export const TARGET_PREFIX = 'Kinesis_20131202';
export const MIN_RETENTION_HOURS = 24;
export const MAX_RETENTION_HOURS = 8760;
export const DEFAULT_RETENTION_HOURS = 24;
/** Open shards per account and region (the us-east-1 default quota). */
export const ACCOUNT_SHARD_LIMIT = 500;
export const ON_DEMAND_STREAM_LIMIT = 50;
/** An on-demand stream starts with 4 shards (4 MiB/s of writes). */
export const ON_DEMAND_INITIAL_SHARDS = 4;
/** One record: data plus partition key, 1 MiB (the default MaxRecordSizeInKiB). */
export const MAX_RECORD_BYTES = 1024 * 1024;
export const MAX_PUT_RECORDS_ENTRIES = 500;
export const MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;
export const MAX_PARTITION_KEY_CHARS = 256;
export const MAX_GET_RECORDS_LIMIT = 10_000;
/** GetRecords answers at most 10 MiB. */
export const MAX_GET_RECORDS_BYTES = 10 * 1024 * 1024;
/** A shard iterator is valid for 5 minutes after it was issued. */
export const SHARD_ITERATOR_TTL_MS = 300_000;
/** A SubscribeToShard answer streams for 5 minutes, then ends (the client subscribes again). */
export const SUBSCRIPTION_DURATION_MS = 300_000;
/** A second SubscribeToShard for the same consumer and shard within this time is refused; later, it takes over. */
export const SUBSCRIPTION_TAKEOVER_MS = 5_000;
/** Without records, a subscription still sends an (empty) event this often. */
export const SUBSCRIPTION_HEARTBEAT_MS = 5_000;
export const MAX_SHARD_ITERATOR_CHARS = 512;
export const DEFAULT_DESCRIBE_STREAM_LIMIT = 100;
export const MAX_DESCRIBE_STREAM_LIMIT = 10_000;
export const DEFAULT_LIST_STREAMS_LIMIT = 100;
export const MAX_LIST_STREAMS_LIMIT = 10_000;
export const DEFAULT_LIST_SHARDS_LIMIT = 1000;
export const MAX_LIST_SHARDS_LIMIT = 10_000;
/** ListShards and ListStreamConsumers tokens expire after 300 seconds. */
export const NEXT_TOKEN_TTL_MS = 300_000;
export const DEFAULT_LIST_CONSUMERS_LIMIT = 100;
export const MAX_LIST_CONSUMERS_LIMIT = 10_000;
export const MAX_CONSUMERS_PER_STREAM = 20;
export const MAX_TAGS_PER_STREAM = 50;
export const MAX_TAGS_PER_CALL = 200;
export const MAX_TAG_KEYS_PER_CALL = 50;
export const MAX_TAG_KEY_CHARS = 128;
export const MAX_TAG_VALUE_CHARS = 256;
export const DEFAULT_LIST_TAGS_LIMIT = 50;
export const MAX_STREAM_NAME_CHARS = 128;
/** Per-shard throughput, enforced only when the setting turns it on. */
export const SHARD_WRITE_BYTES_PER_SECOND = 1024 * 1024;
export const SHARD_WRITE_RECORDS_PER_SECOND = 1000;
export const SHARD_READ_BYTES_PER_SECOND = 2 * 1024 * 1024;
export const SHARD_READ_CALLS_PER_SECOND = 5;
/** How often records past retention are deleted, and how many rows one delete statement takes. */
export const RETENTION_SWEEP_INTERVAL_MS = 60_000;
export const DELETE_BATCH_ROWS = 5_000;
/** The request bodies the edge reads (PutRecords: 5 MiB of data, base64 in JSON). */
export const KINESIS_MAX_REQUEST_BYTES = 16 * 1024 * 1024;
