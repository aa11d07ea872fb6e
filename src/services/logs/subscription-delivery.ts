import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Clock } from '../../clock.js';
import { AsyncInvokeRefused, type AsyncInvoker } from '../../contracts/async-invoker.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import type { QueueDrain } from '../../store/queue/drain.js';
import { outboxDrain } from '../../store/queue/outbox-drain.js';
import { DurableQueue } from '../../store/queue/durable-queue.js';
import { groupArnWildcard, logsPrincipals } from './arns.js';
import { SUBSCRIPTION_RETRY_FIRST_MS, SUBSCRIPTION_RETRY_MAX_MS } from './limits.js';
import { LOGS_SUBSCRIPTION_DELIVERIES, type SubscriptionDeliveryInsert, type SubscriptionDeliveryRow } from './subscription-outbox.js';

const gzipAsync = promisify(gzip);

/** Documents handed to Lambda at once, at most. */
const MAX_IN_FLIGHT = 8;
/** A document being handed on is leased this long; only a crash lets one run out. */
const LEASE_MS = 60_000;

/**
 * Drains the subscription outbox (subscription-outbox.ts), a consumer of the durable queue: each
 * document becomes an asynchronous invoke of the subscribed function whose event is
 * `{"awslogs": {"data": base64(gzip(JSON))}}`, then its row is acked. Lambda's invoke queue is
 * durable from there on. At least once: a crash between the invoke and the ack queues it again
 * at the next start. A refusal (function gone, permission removed) is logged and dropped, as AWS
 * drops such deliveries; anything else is retried with backoff.
 */
export class SubscriptionDelivery {
  private readonly queue: DurableQueue<SubscriptionDeliveryRow, SubscriptionDeliveryInsert>;
  private readonly drain: QueueDrain<SubscriptionDeliveryRow>;

  constructor(private readonly deps: { db: Store; clock: Clock; asyncInvoker: AsyncInvoker; logger: Logger }) {
    this.queue = new DurableQueue(deps.db, LOGS_SUBSCRIPTION_DELIVERIES, deps.clock);
    this.drain = outboxDrain(this.queue, { name: 'log subscription delivery', logger: deps.logger, maxInFlight: MAX_IN_FLIGHT, leaseMs: LEASE_MS, handle: (row) => this.attempt(row) });
  }

  /** Hands on what is due: after a write that queued documents commits, and at start. */
  wake(): void {
    this.drain.wake();
  }

  /** Resolves once every queued document is handed to Lambda (tests, shutdown). */
  settled(): Promise<void> {
    return this.drain.idle();
  }

  async close(): Promise<void> {
    await this.drain.stop(Number.POSITIVE_INFINITY);
  }

  private async attempt(row: SubscriptionDeliveryRow): Promise<void> {
    const group = { accountId: row.account_id, region: row.region, name: row.group_name };
    const data = (await gzipAsync(Buffer.from(row.document))).toString('base64');
    const payload = Buffer.from(JSON.stringify({ awslogs: { data } }));
    const sourceArn = groupArnWildcard(group);
    let failure: unknown;
    // A permission may name the regional principal or the global one; either lets Logs invoke.
    for (const principalService of logsPrincipals(row.region)) {
      try {
        await this.deps.asyncInvoker.enqueue({
          accountId: row.account_id,
          region: row.region,
          functionName: row.destination_arn,
          payload,
          caller: { principalService, sourceArn, sourceAccount: row.account_id },
        });
        failure = undefined;
        break;
      } catch (err) {
        failure = err;
        if (!(err instanceof AsyncInvokeRefused && err.reason === 'AccessDenied')) break;
      }
    }
    if (failure && !(failure instanceof AsyncInvokeRefused)) {
      const delay = Math.min(SUBSCRIPTION_RETRY_MAX_MS, SUBSCRIPTION_RETRY_FIRST_MS * 2 ** Math.min(row.attempts, 16));
      const error = failure instanceof Error ? failure.message : String(failure);
      await this.queue.retryAt(row.id, this.deps.clock.now() + delay, { attempts: row.attempts + 1, last_error: error });
      return;
    }
    if (failure) {
      this.deps.logger.warn({ err: failure, group: row.group_name, filter: row.filter_name, destination: row.destination_arn }, 'log subscription delivery refused; events dropped');
    }
    await this.queue.ack([row.id]);
  }
}
