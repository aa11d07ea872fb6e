/** EventBridge limits and defaults (events API model and the EventBridge quotas page). */
export const MAX_TARGETS_PER_RULE = 5;
export const MAX_TARGETS_PER_CALL = 10;
export const MAX_PUT_EVENTS_ENTRIES = 10;
/** PutEvents: the whole request's entries, computed as AWS documents (256 KB). */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;
export const MAX_EVENT_PATTERN_CHARS = 4096;
export const MAX_SCHEDULE_EXPRESSION_CHARS = 256;
export const MAX_RULE_NAME_CHARS = 64;
export const MAX_BUS_NAME_CHARS = 256;
export const MAX_TARGET_ID_CHARS = 64;
export const MAX_INPUT_PATHS = 100;
export const MAX_LIST_LIMIT = 100;
/** Target RetryPolicy defaults: 185 attempts within 24 hours. */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 185;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86_400;
export const MIN_MAXIMUM_EVENT_AGE_SECONDS = 60;
/** Delivery backoff: exponential from 1 s, capped (EventBridge uses exponential back-off with jitter). */
export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 60_000;
/** Request bodies the edge reads for this service. */
export const EVENTS_MAX_REQUEST_BYTES = 1024 * 1024;
/** API destinations: requests time out after 5 s (AWS's documented client execution timeout). */
export const API_DESTINATION_TIMEOUT_MS = 5_000;
export const DEFAULT_INVOCATION_RATE_LIMIT_PER_SECOND = 300;
export const MAX_CONNECTION_NAME_CHARS = 64;
export const MAX_CONNECTION_DESCRIPTION_CHARS = 512;
export const MAX_HTTPS_ENDPOINT_CHARS = 2048;
/** OAuth tokens are refreshed when they expire within this (AWS: "if the token expires within 60 seconds"). */
export const OAUTH_REFRESH_BEFORE_EXPIRY_MS = 60_000;
/** Tokens whose endpoint gives no `expires_in` are kept this long. */
export const OAUTH_DEFAULT_TOKEN_LIFETIME_MS = 3_600_000;
