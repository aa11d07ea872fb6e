import { DEFAULT_MAXIMUM_EVENT_AGE_SECONDS, DEFAULT_MAXIMUM_RETRY_ATTEMPTS, RETRY_BASE_MS, RETRY_MAX_MS } from '../limits.js';
import type { Target } from '../model.js';

/** Wait after the `attempts`-th failed attempt: exponential from 1 s, capped at 1 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempts - 1));
}

/**
 * Which limit of the target's RetryPolicy a retry at `retryAt` would pass (the DLQ's
 * `EXHAUSTED_RETRY_CONDITION`), or undefined while the delivery may be retried.
 */
export function exhaustedCondition(
  policy: Target['RetryPolicy'],
  attempts: number,
  createdAt: number,
  retryAt: number,
): 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds' | undefined {
  const maxRetries = policy?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
  const maxAgeMs = (policy?.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000;
  if (attempts > maxRetries) return 'MaximumRetryAttempts';
  if (retryAt - createdAt > maxAgeMs) return 'MaximumEventAgeInSeconds';
  return undefined;
}
