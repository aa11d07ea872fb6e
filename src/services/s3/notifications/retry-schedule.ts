import { NOTIFICATION_RETRY_FIRST_MS, NOTIFICATION_RETRY_MAX_MS } from '../limits.js';

/** Wait before the next attempt after `attemptsSoFar` failed ones: 1 s doubling, capped at 1 min. */
export function notificationRetryDelayMs(attemptsSoFar: number): number {
  return Math.min(NOTIFICATION_RETRY_MAX_MS, NOTIFICATION_RETRY_FIRST_MS * 2 ** Math.min(attemptsSoFar, 16));
}
