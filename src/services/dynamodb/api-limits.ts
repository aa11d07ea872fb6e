/**
 * The API's limits and defaults (tables, pages, batches, transactions), as AWS documents them
 * ("Service, account, and table quotas"); the item and value limits are in limits.ts.
 */

export const TARGET_PREFIX = 'DynamoDB_20120810';
/** AWS's request size limit for DynamoDB's API is 16 MB (BatchWriteItem's own cap). */
export const DYNAMODB_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

export const MAX_TABLE_NAME_CHARS = 255;
export const MIN_TABLE_NAME_CHARS = 3;
export const MAX_GSIS_PER_TABLE = 20;
export const MAX_LSIS_PER_TABLE = 5;
export const MAX_PROJECTED_NON_KEY_ATTRIBUTES = 100;
export const MAX_TAGS_PER_RESOURCE = 50;

export const DEFAULT_LIST_TABLES_LIMIT = 100;
export const MAX_LIST_TABLES_LIMIT = 100;

/** A Query or Scan page stops at 1 MB of items read (before the filter). */
export const MAX_PAGE_BYTES = 1024 * 1024;
export const MAX_BATCH_GET_KEYS = 100;
/** BatchGetItem answers at most 16 MB; the rest comes back as UnprocessedKeys. */
export const MAX_BATCH_GET_BYTES = 16 * 1024 * 1024;
export const MAX_BATCH_WRITE_REQUESTS = 25;
export const MAX_TRANSACT_ITEMS = 100;
/** A ClientRequestToken is remembered this long (AWS: 10 minutes). */
export const TRANSACT_TOKEN_TTL_MS = 10 * 60 * 1000;

/** Capacity units: one write unit per started 1 KB, one strongly consistent read unit per started 4 KB. */
export const WRITE_UNIT_BYTES = 1024;
export const READ_UNIT_BYTES = 4096;

/** A disabled stream (or one of a deleted table) stays readable this long. */
export const STREAM_RETENTION_MS = 24 * 60 * 60 * 1000;

/** DescribeLimits: AWS's default account and table quotas. */
export const ACCOUNT_MAX_READ_CAPACITY_UNITS = 80_000;
export const ACCOUNT_MAX_WRITE_CAPACITY_UNITS = 80_000;
export const TABLE_MAX_READ_CAPACITY_UNITS = 40_000;
export const TABLE_MAX_WRITE_CAPACITY_UNITS = 40_000;
/** ProvisionedThroughput members above this are "out of bounds". */
export const MAX_PROVISIONED_UNITS = 1_000_000_000_000;
