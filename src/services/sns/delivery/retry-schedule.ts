import { HTTP_RETRIES, HTTP_RETRY_DELAY_MS, MANAGED_FIRST_RETRY_MS, MANAGED_MAX_ATTEMPTS, MANAGED_MAX_RETRY_MS } from '../limits.js';

/** An HTTP(S) subscription's healthy retry policy, as `DeliveryPolicy` spells it (delays in seconds). */
export interface HttpRetryPolicy {
  numRetries: number;
  numNoDelayRetries: number;
  minDelayTarget: number;
  maxDelayTarget: number;
  backoffFunction: string;
}

/**
 * When to try a failed delivery again, or `null` to give up (dead-letter queue or drop).
 * HTTP(S) follows the subscription's (or topic's) healthy retry policy, AWS's default being 3
 * retries 20 s apart; SQS and Lambda are AWS-managed endpoints that AWS retries for days, backing off.
 */
export function nextAttemptDelay(protocol: string, attemptsSoFar: number, policy?: HttpRetryPolicy): number | null {
  if (protocol === 'http' || protocol === 'https') {
    if (!policy) return attemptsSoFar <= HTTP_RETRIES ? HTTP_RETRY_DELAY_MS : null;
    return httpDelay(policy, attemptsSoFar);
  }
  if (attemptsSoFar >= MANAGED_MAX_ATTEMPTS) return null;
  return Math.min(MANAGED_FIRST_RETRY_MS * 2 ** Math.min(attemptsSoFar - 1, 20), MANAGED_MAX_RETRY_MS);
}

/** Immediate retries first, then delays from min to max target along the backoff function. */
function httpDelay(p: HttpRetryPolicy, retry: number): number | null {
  if (retry > p.numRetries) return null;
  if (retry <= p.numNoDelayRetries) return 0;
  const steps = Math.max(1, p.numRetries - p.numNoDelayRetries);
  const x = Math.min(1, (retry - p.numNoDelayRetries - 1) / Math.max(1, steps - 1));
  // linear and arithmetic grow evenly; geometric and exponential start slow (shapes approximated).
  const shape = p.backoffFunction === 'exponential' ? (2 ** (x * 10) - 1) / 1023 : p.backoffFunction === 'geometric' ? x * x : x;
  return Math.round((p.minDelayTarget + (p.maxDelayTarget - p.minDelayTarget) * shape) * 1000);
}

/** The healthy retry policy of a subscription's `DeliveryPolicy`, else the topic's `http` default. */
export function httpRetryPolicy(subscriptionPolicy: string | undefined, topicPolicy: string | undefined): HttpRetryPolicy | undefined {
  const read = (text: string | undefined, pick: (doc: Record<string, any>) => unknown): Record<string, unknown> | undefined => {
    if (!text) return undefined;
    try {
      const value = pick(JSON.parse(text) as Record<string, any>);
      return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  const raw = read(subscriptionPolicy, (d) => d.healthyRetryPolicy) ?? read(topicPolicy, (d) => d.http?.defaultHealthyRetryPolicy);
  if (!raw) return undefined;
  const num = (k: string, fallback: number) => (typeof raw[k] === 'number' && Number.isFinite(raw[k]) ? (raw[k] as number) : fallback);
  const minDelayTarget = num('minDelayTarget', 20);
  return {
    numRetries: Math.max(0, Math.min(100, num('numRetries', 3))),
    numNoDelayRetries: Math.max(0, num('numNoDelayRetries', 0)),
    minDelayTarget,
    maxDelayTarget: Math.max(minDelayTarget, num('maxDelayTarget', minDelayTarget)),
    backoffFunction: typeof raw.backoffFunction === 'string' ? raw.backoffFunction : 'linear',
  };
}
