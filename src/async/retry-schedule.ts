import { FUNCTION_ERROR_RETRY_DELAYS_MS, THROTTLE_BACKOFF_MAX_MS, THROTTLE_BACKOFF_MIN_MS } from './limits.js';

/** Wait before the retry that follows the `errorCount`-th function error (1 → ~1 min, 2 → ~2 min). */
export function functionErrorRetryDelayMs(errorCount: number): number {
  const delays = FUNCTION_ERROR_RETRY_DELAYS_MS;
  return delays[Math.min(Math.max(errorCount, 1), delays.length) - 1]!;
}

/** Back-off after the `throttleCount`-th consecutive throttle: 1 s, 2 s, 4 s … capped at 5 min. */
export function throttleBackoffMs(throttleCount: number): number {
  const exponent = Math.min(Math.max(throttleCount, 1) - 1, 30);
  return Math.min(THROTTLE_BACKOFF_MIN_MS * 2 ** exponent, THROTTLE_BACKOFF_MAX_MS);
}
