/** Execution limits and defaults, with AWS's values (spec §1.3, §3.1, §3.3). */

/** Largest function response the Runtime API accepts: 6 MiB + 100 bytes (RIE `interop.MaxPayloadSize`). */
export const RESPONSE_PAYLOAD_MAX_BYTES = 6_291_556;
/** On-demand Init phase budget (runtime start until its first `next`). */
export const INIT_TIMEOUT_MS = 10_000;
/** How long an idle environment is kept warm before it is reclaimed. */
export const KEEP_ALIVE_MS_DEFAULT = 5 * 60_000;
/** `X-Amz-Log-Result` carries the last 4 KB of the invocation's log. */
export const LOG_TAIL_BYTES = 4096;
/** Log kept per invocation in memory; older output is dropped first. */
export const INVOCATION_LOG_MAX_BYTES = 256 * 1024;
/** After posting init/error a runtime should exit; it is killed if it lingers this long. */
export const INIT_ERROR_EXIT_GRACE_MS = 200;
/** Longest the engine trusts its cached concurrency limits without re-reading them. */
export const CONCURRENCY_LIMITS_TTL_MS = 10_000;
/** Init budget of provisioned-concurrency environments: max(130 s, function timeout) per AWS. */
export const PROVISIONED_INIT_TIMEOUT_MIN_MS = 130_000;
/** Extensions one environment may register (internal and external together). */
export const EXTENSIONS_MAX = 10;
/** Shutdown budget with external extensions: SHUTDOWN is sent, then SIGKILL after this long. */
export const SHUTDOWN_BUDGET_EXTERNAL_MS = 2_000;
/** Telemetry API buffering bounds and defaults (spec §3.5). */
export const TELEMETRY_MAX_ITEMS = { min: 1_000, max: 10_000, default: 10_000 } as const;
export const TELEMETRY_MAX_BYTES = { min: 262_144, max: 1_048_576, default: 262_144 } as const;
export const TELEMETRY_TIMEOUT_MS = { min: 25, max: 30_000, default: 1_000 } as const;
/** Telemetry kept from the start of Init for subscribers that arrive during Init. */
export const TELEMETRY_INIT_BACKLOG_MAX = 1_000;
/** Largest streamed response (InvokeMode RESPONSE_STREAM): 200 MB. */
export const STREAMED_RESPONSE_MAX_BYTES = 200 * 1024 * 1024;
/** A container image function's image, uncompressed: at most 10 GB (Lambda quotas). */
export const MAX_IMAGE_UNCOMPRESSED_BYTES = 10 * 1024 * 1024 * 1024;
