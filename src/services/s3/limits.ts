/** S3's limits and defaults, with AWS's values. */
export const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;
export const MAX_PART_BYTES = 5 * 1024 ** 3;
export const MIN_PART_BYTES = 5 * 1024 ** 2;
export const MAX_PART_NUMBER = 10_000;
export const MAX_KEY_BYTES = 1024;
export const MAX_USER_METADATA_BYTES = 2 * 1024;
/** Browser POST uploads: the form fields before the file (S3's MaxPostPreDataLengthExceeded). */
export const MAX_POST_PRE_DATA_BYTES = 20 * 1024;
export const LIST_MAX_KEYS_DEFAULT = 1000;
export const LIST_PARTS_MAX_DEFAULT = 1000;
/**
 * How long a completed multipart upload is remembered so completing it again answers as the first
 * completion did. S3 documents the behaviour but not the period; this is Lambkin's choice.
 */
export const COMPLETED_UPLOAD_MEMORY_MS = 15 * 60_000;
export const DELETE_OBJECTS_MAX_KEYS = 1000;
/** XML request documents (DeleteObjects, CompleteMultipartUpload, configurations). */
export const MAX_XML_REQUEST_BYTES = 4 * 1024 ** 2;
export const OBJECT_TAGS_MAX = 10;
export const BUCKET_TAGS_MAX = 50;
export const TAG_KEY_MAX_CHARS = 128;
export const TAG_VALUE_MAX_CHARS = 256;
export const BUCKET_NAME_MIN_CHARS = 3;
export const BUCKET_NAME_MAX_CHARS = 63;
/** Notifications not yet delivered are retried with this backoff (doubling, capped). */
export const NOTIFICATION_RETRY_FIRST_MS = 1_000;
export const NOTIFICATION_RETRY_MAX_MS = 60_000;
