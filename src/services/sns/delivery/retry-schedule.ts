import { HTTP_RETRIES, HTTP_RETRY_DELAY_MS, MANAGED_FIRST_RETRY_MS, MANAGED_MAX_ATTEMPTS, MANAGED_MAX_RETRY_MS } from '../limits.js';

/**
 * When to try a failed delivery again, or `null` to give up (dead-letter queue or drop).
 * HTTP(S) follows AWS's default healthy retry policy (3 retries, 20 s apart); SQS and Lambda are
 * AWS-managed endpoints that AWS retries for days, backing off.
 */
export function nextAttemptDelay(protocol: string, attemptsSoFar: number): number | null {
  if (protocol === 'http' || protocol === 'https') return attemptsSoFar <= HTTP_RETRIES ? HTTP_RETRY_DELAY_MS : null;
  if (attemptsSoFar >= MANAGED_MAX_ATTEMPTS) return null;
  return Math.min(MANAGED_FIRST_RETRY_MS * 2 ** Math.min(attemptsSoFar - 1, 20), MANAGED_MAX_RETRY_MS);
}
