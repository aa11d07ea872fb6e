/** Every Lambda limit and default, with AWS's values (spec §2.2, §2.7). */
export const MEMORY_MB_MIN = 128;
export const MEMORY_MB_MAX = 10_240;
export const MEMORY_MB_DEFAULT = 128;
export const TIMEOUT_SECONDS_MIN = 1;
export const TIMEOUT_SECONDS_MAX = 900;
export const TIMEOUT_SECONDS_DEFAULT = 3;
export const EPHEMERAL_STORAGE_MB_MIN = 512;
export const EPHEMERAL_STORAGE_MB_MAX = 10_240;
export const EPHEMERAL_STORAGE_MB_DEFAULT = 512;
export const ENV_VARS_MAX_BYTES = 4096;
export const LAYERS_MAX = 5;
export const DESCRIPTION_MAX_CHARS = 256;
export const HANDLER_MAX_CHARS = 128;
export const FUNCTION_NAME_MAX_CHARS = 64;
export const FUNCTION_NAME_INPUT_MAX_CHARS = 140;
export const NAMESPACED_FUNCTION_NAME_MAX_CHARS = 256;
export const ALIAS_NAME_MAX_CHARS = 128;
export const STATEMENT_ID_MAX_CHARS = 100;
export const POLICY_MAX_BYTES = 20_480;
export const TAGS_MAX = 50;

export const ZIP_MAX_BYTES_DIRECT = 52_428_800;
export const UNZIPPED_MAX_BYTES = 262_144_000;
export const CREATE_FUNCTION_REQUEST_MAX_BYTES = 70_167_211;
export const TOTAL_CODE_SIZE_BYTES = 80_530_636_800;

export const ACCOUNT_CONCURRENCY_LIMIT = 1000;
export const UNRESERVED_CONCURRENCY_MIN = 100;

/** Payload limits: `Invoke` with `Event` (1 MB since Oct 2025) and the deprecated `InvokeAsync`. */
export const INVOKE_ASYNC_MAX_PAYLOAD_BYTES = 1_048_576;
export const INVOKE_ASYNC_LEGACY_MAX_PAYLOAD_BYTES = 262_144;

// Asynchronous invocation (spec §5): `MaximumRetryAttempts` 0–2, default 2; `MaximumEventAgeInSeconds` 60 s–6 h, default 6 h.
export const EVENT_INVOKE_RETRY_ATTEMPTS_MAX = 2;
export const EVENT_INVOKE_RETRY_ATTEMPTS_DEFAULT = 2;
export const EVENT_INVOKE_MAX_AGE_SECONDS_MIN = 60;
export const EVENT_INVOKE_MAX_AGE_SECONDS_MAX = 21_600;
export const EVENT_INVOKE_MAX_AGE_SECONDS_DEFAULT = 21_600;

export const LIST_FUNCTIONS_PAGE_MAX = 50;
export const LIST_MAX_ITEMS_DEFAULT = 50;

/** Largest body the edge reads for Lambda (CreateFunction's cap); per-operation caps apply after. */
export const LAMBDA_MAX_REQUEST_BYTES = CREATE_FUNCTION_REQUEST_MAX_BYTES;

/** How long a create/update stays Pending/InProgress before it turns Active/Successful. */
export const PROVISIONING_DELAY_MS_DEFAULT = 50;

/** ListVersionsByFunction returns at most this many versions per page, whatever MaxItems says. */
export const LIST_VERSIONS_PAGE_MAX = 50;
export const ALIAS_ROUTING_EXTRA_VERSIONS_MAX = 1;

/** How long a provisioned-concurrency config stays IN_PROGRESS before it reports READY. */
export const PROVISIONED_CONCURRENCY_READY_DELAY_MS = 100;
export const LAYER_COMPATIBLE_RUNTIMES_MAX = 15;
export const LAYER_COMPATIBLE_ARCHITECTURES_MAX = 2;
export const LAYER_LICENSE_INFO_MAX_CHARS = 512;
export const LAYER_NAME_MAX_CHARS = 140;
export const LIST_LAYERS_MAX_ITEMS = 50;
export const LIST_PROVISIONED_CONCURRENCY_MAX_ITEMS = 50;

// Event-invoke configs, function URLs and event source mappings.
export const LIST_EVENT_INVOKE_CONFIGS_MAX_ITEMS = 50;
export const LIST_URL_CONFIGS_MAX_ITEMS = 50;
export const URL_CORS_LIST_MAX_ITEMS = 100;
export const URL_CORS_METHODS_MAX_ITEMS = 6;
export const URL_CORS_METHOD_MAX_CHARS = 6;
export const URL_CORS_ORIGIN_MAX_CHARS = 253;
export const URL_CORS_HEADER_MAX_CHARS = 1024;
export const URL_CORS_MAX_AGE_SECONDS_MAX = 86_400;
export const URL_ID_CHARS = 32;
export const ESM_BATCH_SIZE_MAX = 10_000;
export const ESM_SQS_BATCH_SIZE_DEFAULT = 10;
export const ESM_SQS_FIFO_BATCH_SIZE_MAX = 10;
export const ESM_STREAM_BATCH_SIZE_DEFAULT = 100;
/** Above this batch size an SQS mapping needs a batching window of at least 1 s. */
export const ESM_SQS_BATCH_SIZE_WITHOUT_WINDOW_MAX = 10;
export const ESM_BATCHING_WINDOW_SECONDS_MAX = 300;
export const ESM_PARALLELIZATION_FACTOR_MAX = 10;
export const ESM_MAX_RECORD_AGE_SECONDS_MAX = 604_800;
export const ESM_MAX_RETRY_ATTEMPTS_MAX = 10_000;
export const ESM_TUMBLING_WINDOW_SECONDS_MAX = 900;
export const ESM_FILTERS_MAX = 5;
export const ESM_FILTER_PATTERN_MAX_CHARS = 4096;
export const ESM_SCALING_MAX_CONCURRENCY_MIN = 2;
export const ESM_SCALING_MAX_CONCURRENCY_MAX = 1000;
export const LIST_EVENT_SOURCE_MAPPINGS_MAX_ITEMS = 10_000;
export const LIST_EVENT_SOURCE_MAPPINGS_PAGE_MAX = 100;

// Invoke (spec §1.3).
/** Synchronous Invoke request payload cap (the check AWS reports for InvokeFunction). */
export const INVOKE_SYNC_PAYLOAD_MAX_BYTES = 6_291_456;
/** Decoded `X-Amz-Client-Context` cap. */
export const INVOKE_CLIENT_CONTEXT_MAX_BYTES = 3583;
/** ImageConfig's EntryPoint and Command: at most 1500 strings each; WorkingDirectory at most 1000 characters. */
export const IMAGE_CONFIG_LIST_MAX = 1500;
export const IMAGE_CONFIG_WORKING_DIRECTORY_MAX_CHARS = 1000;
