import type { Selectable } from 'kysely';
import type { WrittenLogEvents } from '../../observability/function-logs.js';
import { logEventId } from '../../observability/log-event-ids.js';
import { enqueue } from '../../store/queue/enqueue.js';
import type { QueueDb, QueueTable } from '../../store/queue/queue.js';
import type { Database, LogsSubscriptionDeliveriesTable } from '../../store/schema.js';
import type { LogFilterSets } from './filter-sets.js';
import { MAX_SUBSCRIPTION_CHUNK_BYTES } from './limits.js';

export type SubscriptionDeliveryRow = Selectable<LogsSubscriptionDeliveriesTable>;
/** The store assigns the id (write order). */
export type SubscriptionDeliveryInsert = Omit<SubscriptionDeliveryRow, 'id' | 'next_attempt_at' | 'lease_owner'>;

/** Awslogs documents owed to subscribed functions, as a durable queue table (store/queue). */
export const LOGS_SUBSCRIPTION_DELIVERIES: QueueTable<SubscriptionDeliveryRow, SubscriptionDeliveryInsert> = {
  name: 'logs_subscription_deliveries' satisfies keyof Database,
  order: ['id'],
};

interface DeliveredEvent {
  id: string;
  timestamp: number;
  message: string;
}

/**
 * Inside the transaction that stores a flush's events: one row per stream, subscription filter
 * and chunk of matching events, holding the document CloudWatch Logs sends
 * (`messageType: "DATA_MESSAGE"`), so the events and what subscribers are owed commit together.
 * Returns how many rows it wrote.
 */
export async function enqueueSubscriptionDeliveries(trx: QueueDb, filters: LogFilterSets, written: WrittenLogEvents[], now: number): Promise<number> {
  const rows: SubscriptionDeliveryInsert[] = [];
  for (const batch of written) {
    const group = filters.of({ accountId: batch.accountId, region: batch.region, name: batch.group });
    if (!group) continue;
    for (const subscription of group.subscriptions) {
      const events: DeliveredEvent[] = [];
      batch.events.forEach(([timestamp, message], index) => {
        // Lambda's lines end in a newline; the event a subscriber sees keeps it, as AWS's does.
        if (subscription.match(message) !== null) events.push({ id: logEventId(timestamp, batch.batchId, index), timestamp, message });
      });
      for (const chunk of chunks(events)) {
        const document = {
          messageType: 'DATA_MESSAGE',
          owner: batch.accountId,
          logGroup: batch.group,
          logStream: batch.stream,
          subscriptionFilters: [subscription.name],
          logEvents: chunk,
        };
        rows.push({
          account_id: batch.accountId,
          region: batch.region,
          group_name: batch.group,
          filter_name: subscription.name,
          destination_arn: subscription.destinationArn,
          document: JSON.stringify(document),
          attempts: 0,
          created_at: now,
          last_error: null,
        });
      }
    }
  }
  await enqueue(trx, LOGS_SUBSCRIPTION_DELIVERIES, rows, now);
  return rows.length;
}

/** Events split so each gzipped, base64-encoded document stays under the async payload limit. */
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
