import type { DeliverySinks } from '../../../contracts/delivery-sinks.js';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import { CLOSE_GRACE_MS, DRAIN_BATCH, MAX_DELIVERIES_IN_FLIGHT } from '../limits.js';
import type { DeliveriesTable } from '../tables/deliveries-table.js';
import type { SubscriptionsTable } from '../tables/subscriptions-table.js';
import { DeliveryFailed, type DeliverySender, type StoredDelivery } from './pending-delivery.js';
import { nextAttemptDelay } from './retry-schedule.js';

/**
 * Drains `sns_deliveries`: attempts every due row (up to `MAX_DELIVERIES_IN_FLIGHT` at once, so
 * one slow endpoint holds one slot, not the others), deletes it once the target accepted it,
 * reschedules it on failure and, when retries run out, sends it to the subscription's dead-letter
 * queue. Rows survive crashes (at-least-once). A FIFO group's rows go one at a time in order: the
 * table only offers the oldest row of a group.
 */
export class DeliveryDrainer {
  private pumping = false;
  private again = false;
  private closed = false;
  private timer: { cancel(): void } | undefined;
  /** Rows being attempted, or settled and waiting for their batched delete. */
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Settled rows (delivered, dead-lettered or dropped), deleted together by the next pump. */
  private settled: number[] = [];

  constructor(
    private readonly deps: {
      deliveries: DeliveriesTable;
      subscriptions: SubscriptionsTable;
      sinks: DeliverySinks;
      clock: Clock;
      logger: Logger;
      senders: Record<string, DeliverySender>;
    },
  ) {}

  /** Starts draining (also what a restart does: rows left by a crash are due at once). */
  start(): void {
    this.kick();
  }

  kick(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pump().catch((err: unknown) => this.deps.logger.error({ err }, 'sns delivery drain failed'));
  }

  /**
   * Stops taking rows and gives the attempts under way a moment to finish; rows still unfinished
   * stay stored and are attempted again after the restart (an HTTP endpoint may hang for 15 s).
   */
  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
    });
    await Promise.race([Promise.allSettled([...this.inFlight.values()]), grace]);
    clearTimeout(timer);
    await this.flushSettled().catch(() => undefined);
  }

  /** One DELETE for every row settled since the last pump (a crash before it only redelivers). */
  private async flushSettled(): Promise<void> {
    if (this.settled.length === 0) return;
    const ids = this.settled;
    this.settled = [];
    await this.deps.deliveries.complete(ids);
    for (const id of ids) this.inFlight.delete(id);
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.again = false;
        await this.flushSettled();
        const free = MAX_DELIVERIES_IN_FLIGHT - this.inFlight.size;
        if (free <= 0) break;
        const rows = await this.deps.deliveries.due(this.deps.clock.now(), Math.min(DRAIN_BATCH, free), this.inFlight.keys());
        for (const row of rows) {
          if (this.closed) break;
          const attempt = this.attempt(row)
            .then(
              (outcome) => {
                if (outcome === 'settled') this.settled.push(row.id);
                else this.inFlight.delete(row.id);
              },
              (err: unknown) => {
                this.deps.logger.error({ err }, 'sns delivery attempt failed');
                this.inFlight.delete(row.id);
              },
            )
            .finally(() => this.kick());
          this.inFlight.set(row.id, attempt);
        }
        if (rows.length === free) this.again = true;
      } while (this.again && !this.closed);
    } finally {
      this.pumping = false;
    }
    if (!this.closed && this.inFlight.size === 0) await this.scheduleNext();
    else if (!this.closed && this.inFlight.size === this.settled.length && this.settled.length > 0) this.kick();
  }

  /** With nothing in flight, wake up when the next retry is due. */
  private async scheduleNext(): Promise<void> {
    const at = await this.deps.deliveries.nextDueAt();
    if (at === undefined || this.closed || this.pumping || this.inFlight.size > 0) return;
    this.timer?.cancel();
    this.timer = this.deps.clock.setTimeout(() => this.kick(), Math.max(0, at - this.deps.clock.now()));
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
        await this.deps.deliveries.retryAt([row.id], attempts, this.deps.clock.now() + delay);
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
      await sink.deliver(target, { ...row.deadLetter, sentBy: { principalService: 'sns.amazonaws.com', sourceArn: row.topicArn } });
    } catch (err) {
      this.deps.logger.warn({ err, target }, 'sns dead-letter delivery failed; message dropped');
    }
  }
}
