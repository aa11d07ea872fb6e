import type { Selectable } from 'kysely';
import type { DeliveryMessage } from '../../../contracts/delivery-sinks.js';
import { enqueue } from '../../../store/queue/enqueue.js';
import type { QueueTable } from '../../../store/queue/queue.js';
import type { Database, S3NotificationOutboxTable } from '../../../store/schema.js';
import type { BucketRow, Db } from '../tables/objects-table.js';
import { targetMatches, type NotificationConfig } from './config.js';
import { eventBridgeDetail, notificationRecord, type ObjectEvent } from './records.js';

export type NotificationRow = Selectable<S3NotificationOutboxTable>;
/** The store assigns the id (write order). */
export type NotificationInsert = Omit<NotificationRow, 'id' | 'next_attempt_at' | 'lease_owner'>;

/** The notification outbox as a durable queue table (store/queue): delivered one by one in id (write) order. */
export const S3_NOTIFICATIONS: QueueTable<NotificationRow, NotificationInsert> = {
  name: 's3_notification_outbox' satisfies keyof Database,
  order: ['id'],
};

/** Where one outbox message goes: a function (async invoke) or a sink-served ARN (SQS, SNS, EventBridge). */
export type OutboxDestination = { kind: 'lambda'; arn: string } | { kind: 'sink'; arn: string };

export interface OutboxEntry {
  destination: OutboxDestination;
  /** For `lambda`: the event payload; for `sink`: a serialized DeliveryMessage. */
  message: string;
}

/** The messages an object change produces under the bucket's configuration. */
export function messagesFor(bucket: BucketRow, event: ObjectEvent): OutboxEntry[] {
  if (!bucket.notification) return [];
  const config = JSON.parse(bucket.notification) as NotificationConfig;
  const out: OutboxEntry[] = [];
  const sentBy = { principalService: 's3.amazonaws.com', sourceArn: `arn:aws:s3:::${bucket.name}`, accountId: bucket.account_id };
  for (const target of config.targets) {
    if (!targetMatches(target, event.eventName, event.key)) continue;
    const record = notificationRecord(event, target.id);
    if (target.kind === 'lambda') out.push({ destination: { kind: 'lambda', arn: target.arn }, message: record });
    else out.push({ destination: { kind: 'sink', arn: target.arn }, message: JSON.stringify({ body: record, sentBy } satisfies DeliveryMessage) });
  }
  if (config.eventBridge) {
    const detail = eventBridgeDetail(event);
    if (detail) {
      const message: DeliveryMessage = {
        body: detail.detail,
        event: { source: 'aws.s3', detailType: detail.detailType, resources: [`arn:aws:s3:::${bucket.name}`] },
        sentBy,
      };
      out.push({ destination: { kind: 'sink', arn: `arn:aws:events:${bucket.region}:${bucket.account_id}:event-bus/default` }, message: JSON.stringify(message) });
    }
  }
  return out;
}

/** Writes messages into the outbox inside the caller's transaction, so they commit with the change. */
export async function writeOutbox(db: Db, bucket: BucketRow, entries: OutboxEntry[], nowMs: number): Promise<void> {
  const rows = entries.map((entry) => ({
    account_id: bucket.account_id,
    region: bucket.region,
    bucket: bucket.name,
    destination: JSON.stringify(entry.destination),
    message: entry.message,
    attempts: 0,
    created_at: nowMs,
    last_error: null,
  }));
  await enqueue(db, S3_NOTIFICATIONS, rows, nowMs);
}

/** Writes the notifications of one object change (no-op for buckets without a configuration). */
export async function recordObjectEvent(db: Db, bucket: BucketRow, event: ObjectEvent): Promise<number> {
  const entries = messagesFor(bucket, event);
  await writeOutbox(db, bucket, entries, event.eventTimeMs);
  return entries.length;
}
