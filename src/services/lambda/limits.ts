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

export const INVOKE_SYNC_MAX_PAYLOAD_BYTES = 6_291_456;
export const INVOKE_ASYNC_MAX_PAYLOAD_BYTES = 1_048_576;
export const INVOKE_ASYNC_LEGACY_MAX_PAYLOAD_BYTES = 262_144;

export const EVENT_INVOKE_RETRY_ATTEMPTS_MAX = 2;
export const EVENT_INVOKE_MAX_AGE_SECONDS_MIN = 60;
export const EVENT_INVOKE_MAX_AGE_SECONDS_MAX = 21_600;

export const LIST_FUNCTIONS_PAGE_MAX = 50;
export const LIST_MAX_ITEMS_DEFAULT = 50;

/** Largest body the edge reads for Lambda (CreateFunction's cap); per-operation caps apply after. */
export const LAMBDA_MAX_REQUEST_BYTES = CREATE_FUNCTION_REQUEST_MAX_BYTES;

/** How long a create/update stays Pending/InProgress before it turns Active/Successful. */
export const PROVISIONING_DELAY_MS_DEFAULT = 50;
