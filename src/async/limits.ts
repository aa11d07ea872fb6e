/** AWS's defaults and limits for asynchronous invocation (spec §5), with their units. */

/** Waits before the 1st and 2nd retry after a function error ("about 1 minute, then about 2"). */
export const FUNCTION_ERROR_RETRY_DELAYS_MS = [60_000, 120_000] as const;
/** Throttle and service-error back-off: from 1 s, doubling, up to 5 min. */
export const THROTTLE_BACKOFF_MIN_MS = 1_000;
export const THROTTLE_BACKOFF_MAX_MS = 300_000;
/** DLQ `ErrorMessage` attribute: the first 1 KB of the error message. */
export const DLQ_ERROR_MESSAGE_MAX_BYTES = 1_024;

/** A lease outlives the longest function timeout (900 s); only a crashed worker lets one expire. */
export const LEASE_MS = 960_000;
/** Events this process runs at once across all functions; the engine's concurrency limits still apply per function. */
export const WORKER_MAX_IN_FLIGHT = 16;
/**
 * Events leased ahead of a free slot: under load a lease per finished event (a SELECT and an
 * UPDATE) cost the drain more than the rest of an event's bookkeeping (see store/queue/drain.ts).
 */
export const WORKER_PREFETCH = 16;
