import { type DeliveryMessage, type DeliverySinks } from '../../../contracts/delivery-sinks.js';
import { AsyncInvokeRefused, type AsyncInvoker } from '../../../contracts/async-invoker.js';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/database.js';
import { NOTIFICATION_RETRY_FIRST_MS, NOTIFICATION_RETRY_MAX_MS } from '../limits.js';
import type { OutboxDestination } from './outbox.js';

const BATCH = 50;

/**
 * Drains the notification outbox: each row is handed to Lambda's async invoker or to the sink of
 * its ARN's service, then deleted. A destination whose implementation is not running (no invoker,
 * no sink) or that fails keeps its row, retried with backoff: delivery is at-least-once.
 */
export class NotificationDelivery {
  private timer: { cancel(): void } | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(
    private readonly deps: { db: Store; clock: Clock; logger: Logger; sinks: DeliverySinks; asyncInvoker?: AsyncInvoker },
  ) {}

  /** Starts delivering what is due now (rows left by a previous run included). */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.deps.logger.error({ err }, 's3 notification delivery failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Waits until nothing due is left undelivered (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const now = this.deps.clock.now();
      const rows = await this.deps.db.selectFrom('s3_notification_outbox').selectAll().where('next_attempt_at', '<=', now).orderBy('id').limit(BATCH).execute();
      if (rows.length === 0 || this.closed) break;
      for (const row of rows) {
        if (this.closed) return;
        const outcome = await this.deliverOne(row.account_id, row.region, JSON.parse(row.destination) as OutboxDestination, row.message);
        if (outcome === 'done' || outcome === 'dropped') {
          await this.deps.db.deleteFrom('s3_notification_outbox').where('id', '=', row.id).execute();
        } else {
          const delay = Math.min(NOTIFICATION_RETRY_MAX_MS, NOTIFICATION_RETRY_FIRST_MS * 2 ** Math.min(row.attempts, 16));
          await this.deps.db
            .updateTable('s3_notification_outbox')
            .set({ attempts: row.attempts + 1, next_attempt_at: now + delay, last_error: outcome.error })
            .where('id', '=', row.id)
            .execute();
        }
      }
    }
    await this.scheduleNext();
  }

  private async scheduleNext(): Promise<void> {
    if (this.closed) return;
    const next = await this.deps.db.selectFrom('s3_notification_outbox').select((eb) => eb.fn.min('next_attempt_at').as('at')).executeTakeFirst();
    this.timer?.cancel();
    if (next?.at === null || next?.at === undefined) return;
    const wait = Math.max(0, Math.min(NOTIFICATION_RETRY_MAX_MS, Number(next.at) - this.deps.clock.now()));
    this.timer = this.deps.clock.setTimeout(() => this.kick(), wait);
  }

  private async deliverOne(accountId: string, region: string, destination: OutboxDestination, message: string): Promise<'done' | 'dropped' | { error: string }> {
    try {
      if (destination.kind === 'lambda') {
        if (!this.deps.asyncInvoker) return { error: 'asynchronous invocation is not available in this server' };
        await this.deps.asyncInvoker.enqueue({
          accountId,
          region,
          functionName: destination.arn,
          payload: Buffer.from(message),
          caller: { principalService: 's3.amazonaws.com', sourceArn: bucketArnOf(message), sourceAccount: accountId },
        });
        return 'done';
      }
      const sink = this.deps.sinks.forArn(destination.arn);
      if (!sink) return { error: `no delivery sink for ${destination.arn}` };
      await sink.deliver(destination.arn, JSON.parse(message) as DeliveryMessage);
      return 'done';
    } catch (err) {
      if (err instanceof AsyncInvokeRefused) {
        // As S3 does when the function is gone or no longer allows S3: the event is not delivered.
        this.deps.logger.warn({ arn: destination.arn, reason: err.reason }, 's3 notification refused by lambda; dropped');
        return 'dropped';
      }
      return { error: err instanceof Error ? err.message : String(err) };
    }
  }
}

function bucketArnOf(recordJson: string): string {
  const parsed = JSON.parse(recordJson) as { Records?: Array<{ s3?: { bucket?: { arn?: string } } }> };
  return parsed.Records?.[0]?.s3?.bucket?.arn ?? '';
}
