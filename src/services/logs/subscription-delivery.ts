import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { AsyncInvokeRefused, type AsyncInvoker } from '../../contracts/async-invoker.js';
import type { Logger } from '../../logger.js';
import type { WrittenLogEvents } from '../../observability/function-logs.js';
import { logEventId } from '../../observability/log-event-ids.js';
import { groupArnWildcard, logsPrincipals } from './arns.js';
import type { ActiveSubscription, LogFilterSets } from './filter-sets.js';
import { MAX_SUBSCRIPTION_CHUNK_BYTES } from './limits.js';

const gzipAsync = promisify(gzip);

interface DeliveredEvent {
  id: string;
  timestamp: number;
  message: string;
}

/**
 * Hands each stored batch's matching events to the subscribed functions, as CloudWatch Logs
 * does: an asynchronous invoke whose event is `{"awslogs": {"data": base64(gzip(JSON))}}` with
 * `messageType: "DATA_MESSAGE"`, one per stream and filter, split to stay under the async
 * payload limit. The invoke queue is durable from there on; a refusal (function gone, permission
 * removed) is logged, as AWS drops such deliveries.
 */
export class SubscriptionDelivery {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: { filters: LogFilterSets; asyncInvoker: AsyncInvoker; logger: Logger }) {}

  written(batches: WrittenLogEvents[]): void {
    for (const batch of batches) {
      const filters = this.deps.filters.of({ accountId: batch.accountId, region: batch.region, name: batch.group });
      if (!filters) continue;
      for (const subscription of filters.subscriptions) {
        const events: DeliveredEvent[] = [];
        batch.events.forEach(([timestamp, message], index) => {
          // Lambda's lines end in a newline; the event a subscriber sees keeps it, as AWS's does.
          if (subscription.match(message) !== null) events.push({ id: logEventId(timestamp, batch.batchId, index), timestamp, message });
        });
        if (events.length === 0) continue;
        const p = this.deliver(batch, subscription, events).finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
      }
    }
  }

  /** Waits for deliveries being queued (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async deliver(batch: WrittenLogEvents, subscription: ActiveSubscription, events: DeliveredEvent[]): Promise<void> {
    for (const chunk of chunks(events)) {
      const document = {
        messageType: 'DATA_MESSAGE',
        owner: batch.accountId,
        logGroup: batch.group,
        logStream: batch.stream,
        subscriptionFilters: [subscription.name],
        logEvents: chunk,
      };
      const data = (await gzipAsync(Buffer.from(JSON.stringify(document)))).toString('base64');
      const sourceArn = groupArnWildcard({ accountId: batch.accountId, region: batch.region, name: batch.group });
      let failure: unknown;
      // A permission may name the regional principal or the global one; either lets Logs invoke.
      for (const principalService of logsPrincipals(batch.region)) {
        try {
          await this.deps.asyncInvoker.enqueue({
            accountId: batch.accountId,
            region: batch.region,
            functionName: subscription.destinationArn,
            payload: Buffer.from(JSON.stringify({ awslogs: { data } })),
            caller: { principalService, sourceArn, sourceAccount: batch.accountId },
          });
          failure = undefined;
          break;
        } catch (err) {
          failure = err;
          if (!(err instanceof AsyncInvokeRefused && err.reason === 'AccessDenied')) break;
        }
      }
      if (failure) this.deps.logger.warn({ err: failure, group: batch.group, filter: subscription.name, destination: subscription.destinationArn }, 'log subscription delivery refused; events dropped');
    }
  }
}

function* chunks(events: DeliveredEvent[]): Generator<DeliveredEvent[]> {
  let current: DeliveredEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = Buffer.byteLength(e.message) + 80;
    if (current.length > 0 && bytes + size > MAX_SUBSCRIPTION_CHUNK_BYTES) {
      yield current;
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) yield current;
}
