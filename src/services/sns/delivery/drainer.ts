import type { DeliverySinks } from '../../../contracts/delivery-sinks.js';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import { QueueDrain } from '../../../store/queue/drain.js';
import { CLOSE_GRACE_MS, DELIVERY_LEASE_MS, DRAIN_BATCH, MAX_DELIVERIES_IN_FLIGHT } from '../limits.js';
import type { DeliveriesTable } from '../tables/deliveries-table.js';
import type { SubscriptionsTable } from '../tables/subscriptions-table.js';
import { DeliveryFailed, type DeliverySender, type StoredDelivery } from './pending-delivery.js';
import { nextAttemptDelay } from './retry-schedule.js';

/**
 * Drains `sns_deliveries` through the durable queue: attempts every due row (up to
 * `MAX_DELIVERIES_IN_FLIGHT` at once, so one slow endpoint holds one slot, not the others), acks
 * it once the target accepted it, reschedules it on failure and, when retries run out, sends it
 * to the subscription's dead-letter queue. Rows survive crashes (at-least-once). A FIFO group's
 * rows go one at a time in order: the queue only offers the oldest row of a group.
 */
export class DeliveryDrainer {
  private readonly drain: QueueDrain<StoredDelivery>;

  constructor(
    private readonly deps: {
      deliveries: DeliveriesTable;
      subscriptions: SubscriptionsTable;
      sinks: DeliverySinks;
      clock: Clock;
      logger: Logger;
      senders: Record<string, DeliverySender>;
    },
  ) {
    const { queue } = deps.deliveries;
    this.drain = new QueueDrain<StoredDelivery>({
      name: 'sns delivery',
      table: 'sns_deliveries',
      clock: deps.clock,
      logger: deps.logger,
      maxInFlight: MAX_DELIVERIES_IN_FLIGHT,
      batch: DRAIN_BATCH,
      // Rows a crash left leased are due at once.
      onStart: () => queue.releaseLeases(),
      lease: (limit) => deps.deliveries.lease(limit, DELIVERY_LEASE_MS),
      idOf: (row) => row.id,
      nextVisibleAt: () => queue.nextVisibleAt(),
      handle: async (row) => {
        // Settled (delivered, dead-lettered or dropped): deleted at once, in the same turn as the
        // delivery, so nothing sees a delivered row still queued.
        if ((await this.attempt(row)) === 'settled') await queue.ack([row.id]);
      },
    });
  }

  /** Starts draining (also what a restart does: rows left by a crash are due at once). */
  start(): void {
    this.drain.start();
  }

  kick(): void {
    this.drain.wake();
  }

  /**
   * Stops taking rows and gives the attempts under way a moment to finish; rows still unfinished
   * stay stored and are attempted again after the restart (an HTTP endpoint may hang for 15 s).
   */
  async close(): Promise<void> {
    await this.drain.stop(CLOSE_GRACE_MS);
  }

  /** `settled` once the row is done with (delivered, dead-lettered, dropped); `retry` when rescheduled. */
  private async attempt(row: StoredDelivery): Promise<'settled' | 'retry'> {
    const sender = this.deps.senders[row.protocol];
    // Every protocol Subscribe accepts has a sender (the outbox takes those we cannot reach); a row
    // without one was stored by a build that knew a protocol this one does not.
    if (!sender) {
      this.deps.logger.warn({ protocol: row.protocol, subscription: row.subscriptionArn }, 'sns protocol not delivered by lambkin; dropped');
      return 'settled';
    }
    try {
      await sender(row);
    } catch (err) {
      const attempts = row.attempts + 1;
      const permanent = err instanceof DeliveryFailed && err.permanent;
      const delay = permanent ? null : nextAttemptDelay(row.protocol, attempts, row.payload.kind === 'http' ? row.payload.retryPolicy : undefined);
      if (delay !== null) {
        this.deps.logger.debug({ err, subscription: row.subscriptionArn, attempts }, 'sns delivery failed; will retry');
        await this.deps.deliveries.queue.retryAt(row.id, this.deps.clock.now() + delay, { attempts });
        return 'retry';
      }
      this.deps.logger.warn({ err, subscription: row.subscriptionArn, attempts }, 'sns delivery failed for good');
      await this.deadLetter(row);
    }
    return 'settled';
  }

  private async deadLetter(row: StoredDelivery): Promise<void> {
    const subscription = await this.deps.subscriptions.get(row.subscriptionArn);
    const policy = subscription?.attributes.RedrivePolicy;
    if (!policy || !row.deadLetter) return;
    let target: string | undefined;
    try {
      target = (JSON.parse(policy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
    } catch {
      return;
    }
    const sink = target ? this.deps.sinks.forArn(target) : undefined;
    if (!target || !sink) return;
    try {
      await sink.deliver(target, { ...row.deadLetter, sentBy: { principalService: 'sns.amazonaws.com', sourceArn: row.topicArn, accountId: row.topicArn.split(':')[4] } });
    } catch (err) {
      this.deps.logger.warn({ err, target }, 'sns dead-letter delivery failed; message dropped');
    }
  }
}
