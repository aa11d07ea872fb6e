import { SUBSCRIPTION_TAKEOVER_MS } from './limits.js';

interface Subscription {
  startedAt: number;
  /** Ends the subscription's event stream (another call took it over). */
  takeOver(): void;
}

/**
 * The live SubscribeToShard subscriptions, one per (consumer, shard), as AWS allows: a second
 * call within 5 s of the first is refused; a later one takes the subscription over and the
 * earlier stream ends.
 */
export class ShardSubscriptions {
  private readonly live = new Map<string, Subscription>();

  /** Registers a subscription, or returns false when one started under 5 s ago. */
  begin(consumerArn: string, shardId: string, now: number, takeOver: () => void): { end(): void } | false {
    const key = `${consumerArn} ${shardId}`;
    const current = this.live.get(key);
    if (current && now - current.startedAt < SUBSCRIPTION_TAKEOVER_MS) return false;
    current?.takeOver();
    const mine: Subscription = { startedAt: now, takeOver };
    this.live.set(key, mine);
    return {
      end: () => {
        if (this.live.get(key) === mine) this.live.delete(key);
      },
    };
  }
}
