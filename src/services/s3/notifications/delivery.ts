import { DeliveryNotAllowed, type DeliveryMessage, type DeliverySinks } from '../../../contracts/delivery-sinks.js';
import { AsyncInvokeRefused, type AsyncInvoker } from '../../../contracts/async-invoker.js';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/database.js';
import type { QueueDrain } from '../../../store/queue/drain.js';
import { outboxDrain } from '../../../store/queue/outbox-drain.js';
import { DurableQueue } from '../../../store/queue/durable-queue.js';
import { S3_NOTIFICATIONS, type NotificationInsert, type NotificationRow, type OutboxDestination } from './outbox.js';
import { notificationRetryDelayMs } from './retry-schedule.js';

/** One notification at a time, in write order, as before the durable queue. */
const MAX_IN_FLIGHT = 1;
/** A notification being delivered is leased this long; only a crash in another process lets one run out. */
const LEASE_MS = 60_000;

/**
 * Drains the notification outbox, a consumer of the durable queue: each row is handed to
 * Lambda's async invoker or to the sink of its ARN's service, then acked. A destination whose
 * implementation is not running (no invoker, no sink) or that fails keeps its row, retried with
 * backoff: delivery is at-least-once.
 */
export class NotificationDelivery {
  private readonly queue: DurableQueue<NotificationRow, NotificationInsert>;
  private readonly drain: QueueDrain<NotificationRow>;

  constructor(
    private readonly deps: { db: Store; clock: Clock; logger: Logger; sinks: DeliverySinks; asyncInvoker?: AsyncInvoker },
  ) {
    this.queue = new DurableQueue(deps.db, S3_NOTIFICATIONS, deps.clock);
    this.drain = outboxDrain(this.queue, { name: 's3 notification delivery', logger: deps.logger, maxInFlight: MAX_IN_FLIGHT, leaseMs: LEASE_MS, handle: (row) => this.attempt(row) });
  }

  /** Starts delivering what is due now (rows left by a previous run included). */
  kick(): void {
    this.drain.wake();
  }

  /** Waits until nothing due is left undelivered (tests, shutdown). */
  idle(): Promise<void> {
    return this.drain.idle();
  }

  async close(): Promise<void> {
    await this.drain.stop(Number.POSITIVE_INFINITY);
  }

  private async attempt(row: NotificationRow): Promise<void> {
    const outcome = await this.deliverOne(row.account_id, row.region, JSON.parse(row.destination) as OutboxDestination, row.message);
    if (outcome === 'done' || outcome === 'dropped') {
      await this.queue.ack([row.id]);
      return;
    }
    await this.queue.retryAt(row.id, this.deps.clock.now() + notificationRetryDelayMs(row.attempts), { attempts: row.attempts + 1, last_error: outcome.error });
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
      if (err instanceof DeliveryNotAllowed) {
        // A queue or topic policy that no longer allows S3: AWS does not deliver, nor retry.
        this.deps.logger.warn({ arn: destination.arn, reason: err.message }, 's3 notification refused by the destination policy; dropped');
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
