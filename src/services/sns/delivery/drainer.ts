import type { DeliverySinks } from '../../../async/contracts.js';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import { DRAIN_BATCH } from '../limits.js';
import type { DeliveriesTable } from '../tables/deliveries-table.js';
import type { SubscriptionsTable } from '../tables/subscriptions-table.js';
import { DeliveryFailed, type DeliverySender, type StoredDelivery } from './pending-delivery.js';
import { nextAttemptDelay } from './retry-schedule.js';

const PARALLEL_GROUPS = 32;

/**
 * Drains `sns_deliveries`: attempts every due row, deletes it once the target accepted it,
 * reschedules it on failure and, when retries run out, sends it to the subscription's
 * dead-letter queue. One drain loop per process; rows survive crashes (at-least-once).
 * FIFO deliveries of one subscription and message group go one at a time, in order.
 */
export class DeliveryDrainer {
  private running = false;
  private again = false;
  private closed = false;
  private timer: { cancel(): void } | undefined;
  private current: Promise<void> | undefined;

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
    if (this.running) {
      this.again = true;
      return;
    }
    this.current = this.drain().catch((err: unknown) => this.deps.logger.error({ err }, 'sns delivery drain failed'));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    await this.current;
  }

  private async drain(): Promise<void> {
    this.running = true;
    this.timer?.cancel();
    try {
      do {
        this.again = false;
        const rows = await this.deps.deliveries.due(this.deps.clock.now(), DRAIN_BATCH);
        if (rows.length === DRAIN_BATCH) this.again = true;
        await this.attemptAll(rows);
      } while (this.again && !this.closed);
    } finally {
      this.running = false;
    }
    if (!this.closed) await this.scheduleNext();
  }

  private async scheduleNext(): Promise<void> {
    const at = await this.deps.deliveries.nextDueAt();
    if (at === undefined || this.closed || this.running) return;
    this.timer?.cancel();
    this.timer = this.deps.clock.setTimeout(() => this.kick(), Math.max(0, at - this.deps.clock.now()));
  }

  private async attemptAll(rows: StoredDelivery[]): Promise<void> {
    const groups = new Map<string, StoredDelivery[]>();
    for (const row of rows) {
      const group = row.payload.kind === 'sqs' && row.payload.messageGroupId !== undefined ? `${row.subscriptionArn}\0${row.payload.messageGroupId}` : String(row.id);
      const list = groups.get(group);
      if (list) list.push(row);
      else groups.set(group, [row]);
    }
    const queue = [...groups.values()];
    const workers = Array.from({ length: Math.min(PARALLEL_GROUPS, queue.length) }, async () => {
      for (let group = queue.shift(); group; group = queue.shift()) await this.attemptGroup(group);
    });
    await Promise.all(workers);
  }

  /** In order; after a failure the rest of the group waits with the failed row. */
  private async attemptGroup(group: StoredDelivery[]): Promise<void> {
    for (let i = 0; i < group.length; i++) {
      const row = group[i] as StoredDelivery;
      const retryAt = await this.attempt(row);
      if (retryAt !== undefined) {
        const rest = group.slice(i + 1).map((r) => r.id);
        await this.deps.deliveries.retryAt(rest, 0, retryAt);
        return;
      }
    }
  }

  /** Returns when the row is to be tried again, or undefined once it is settled. */
  private async attempt(row: StoredDelivery): Promise<number | undefined> {
    const sender = this.deps.senders[row.protocol];
    if (!sender) {
      this.deps.logger.warn({ protocol: row.protocol, subscription: row.subscriptionArn }, 'sns protocol not delivered by lambkin; dropped');
      await this.deps.deliveries.complete(row.id);
      return undefined;
    }
    try {
      await sender(row);
      await this.deps.deliveries.complete(row.id);
      return undefined;
    } catch (err) {
      const attempts = row.attempts + 1;
      const permanent = err instanceof DeliveryFailed && err.permanent;
      const delay = permanent ? null : nextAttemptDelay(row.protocol, attempts);
      if (delay !== null) {
        const at = this.deps.clock.now() + delay;
        this.deps.logger.debug({ err, subscription: row.subscriptionArn, attempts }, 'sns delivery failed; will retry');
        await this.deps.deliveries.retryAt([row.id], attempts, at);
        return at;
      }
      this.deps.logger.warn({ err, subscription: row.subscriptionArn, attempts }, 'sns delivery failed for good');
      await this.deadLetter(row);
      await this.deps.deliveries.complete(row.id);
      return undefined;
    }
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
