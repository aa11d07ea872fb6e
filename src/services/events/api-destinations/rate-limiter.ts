import type { Clock } from '../../../clock.js';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * InvocationRateLimitPerSecond per API destination, a token bucket of one second's worth in this
 * process: an invocation over the limit is not sent but put back on the queue for when the bucket
 * has a token again (AWS delays such events too; they are not counted as failed attempts).
 * With several cluster nodes each node applies the limit on its own.
 */
export class InvocationRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  /** Takes a token for `key`: 0 when the invocation may go now, else the milliseconds until one is free. */
  take(key: string, perSecond: number): number {
    const now = this.clock.now();
    const bucket = this.buckets.get(key) ?? { tokens: perSecond, refilledAt: now };
    bucket.tokens = Math.min(perSecond, bucket.tokens + ((now - bucket.refilledAt) / 1000) * perSecond);
    bucket.refilledAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / perSecond) * 1000);
  }
}
