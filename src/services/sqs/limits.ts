/** Every SQS limit and default Lambkin enforces, with AWS's values (SQS developer guide, quotas). */
export const MESSAGE_BYTES_MAX = 1_048_576; // 1 MiB since Aug 2025
export const MESSAGE_BYTES_MIN_SETTING = 1_024;
export const BATCH_REQUEST_BYTES_MAX = 1_048_576;
export const BATCH_ENTRIES_MAX = 10;
export const RECEIVE_MESSAGES_MAX = 10;
export const RECEIVE_WAIT_SECONDS_MAX = 20;
export const VISIBILITY_TIMEOUT_SECONDS_MAX = 43_200;
export const VISIBILITY_TIMEOUT_SECONDS_DEFAULT = 30;
export const DELAY_SECONDS_MAX = 900;
export const RETENTION_SECONDS_MIN = 60;
export const RETENTION_SECONDS_MAX = 1_209_600;
export const RETENTION_SECONDS_DEFAULT = 345_600;
export const KMS_REUSE_SECONDS_MIN = 60;
export const KMS_REUSE_SECONDS_MAX = 86_400;
export const KMS_REUSE_SECONDS_DEFAULT = 300;
export const QUEUE_NAME_CHARS_MAX = 80;
export const FIFO_DEDUP_WINDOW_MS = 5 * 60_000;
/** A FIFO queue's in-memory deduplication ids are first swept of expired ones above this many. */
export const FIFO_DEDUP_SWEEP_MIN_ENTRIES = 10_000;
export const FIFO_ID_CHARS_MAX = 128;
export const MAX_RECEIVE_COUNT_MAX = 1000;
export const LIST_QUEUES_RESULTS_MAX = 1000;
export const PURGE_INTERVAL_MS = 60_000;
export const MESSAGE_ATTRIBUTES_MAX = 10;
export const TAGS_PER_QUEUE_MAX = 50;
export const BATCH_ENTRY_ID_CHARS_MAX = 80;
/** Request bodies above this are refused before parsing (a full batch plus encoding overhead). */
export const REQUEST_BYTES_MAX = 4 * 1_048_576;
/** AddPermission takes at most this many actions (AWS: "maximum allowed is 7"). */
export const ADD_PERMISSION_ACTIONS_MAX = 7;
