import type { Selectable } from 'kysely';
import type { SqsMessagesTable } from '../../store/schema.js';
import { md5Hex, md5OfMessageAttributes } from './digests.js';
import type { QueueMessage } from './model.js';

/** The `sqs_messages` row for a message: the columns a receive changes, the rest as JSON in `system`. */
export function messageRow(queueArnValue: string, m: QueueMessage) {
  return {
    seq: m.seq,
    queue_arn: queueArnValue,
    message_id: m.messageId,
    body: m.body,
    attributes: m.attributes ? JSON.stringify(m.attributes) : null,
    system: JSON.stringify({
      senderId: m.senderId, traceHeader: m.traceHeader, groupId: m.groupId, dedupId: m.dedupId,
      sequenceNumber: m.sequenceNumber, deadLetterSourceArn: m.deadLetterSourceArn,
    }),
    sent_at: m.sentAt,
    visible_at: m.visibleAt,
    receive_count: m.receiveCount,
    first_receive_at: m.firstReceiveAt,
    receipt_token: m.receiptToken,
  };
}

/** The in-memory message for a stored row (digests computed again, not stored). */
export function messageFromRow(row: Selectable<SqsMessagesTable>): QueueMessage {
  const system = JSON.parse(row.system) as Partial<QueueMessage>;
  const attributes = row.attributes ? (JSON.parse(row.attributes) as QueueMessage['attributes']) : undefined;
  return {
    seq: Number(row.seq),
    messageId: row.message_id,
    body: row.body,
    attributes,
    md5OfBody: md5Hex(row.body),
    md5OfMessageAttributes: attributes ? md5OfMessageAttributes(attributes) : undefined,
    sentAt: Number(row.sent_at),
    senderId: system.senderId ?? '',
    traceHeader: system.traceHeader,
    groupId: system.groupId,
    dedupId: system.dedupId,
    sequenceNumber: system.sequenceNumber,
    deadLetterSourceArn: system.deadLetterSourceArn,
    visibleAt: Number(row.visible_at),
    receiveCount: Number(row.receive_count),
    firstReceiveAt: row.first_receive_at === null ? null : Number(row.first_receive_at),
    receiptToken: row.receipt_token,
    generation: 0,
    deleted: false,
  };
}
