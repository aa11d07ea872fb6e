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
