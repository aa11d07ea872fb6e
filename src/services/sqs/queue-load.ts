import type { Clock } from '../../clock.js';
import type { Store } from '../../store/database.js';
import type { MessageNumbering } from './message-numbering.js';
import { messageFromRow } from './message-rows.js';
import type { QueueRegistry } from './queue-registry.js';

/** Loads every queue, message and live deduplication id from the store. */
export async function loadQueues(db: Store, clock: Clock, registry: QueueRegistry, numbering: MessageNumbering): Promise<void> {
  const now = clock.now();
  for (const row of await db.selectFrom('sqs_queues').selectAll().execute()) {
    registry.restore(row);
  }
  const rows = await db.selectFrom('sqs_messages').selectAll().orderBy('seq').execute();
  for (const row of rows) {
    const queue = registry.byArn(row.queue_arn);
    numbering.seenSeq(Number(row.seq));
    if (!queue) continue;
    const message = messageFromRow(row);
    if (message.sequenceNumber) numbering.seenSequenceNumber(message.sequenceNumber);
    queue.index.add(message, now);
  }
  for (const row of await db.selectFrom('sqs_dedup').selectAll().where('expires_at', '>', now).execute()) {
    registry.byArn(row.queue_arn)?.dedup.set(row.key, { messageId: row.message_id, sequenceNumber: row.sequence_number, expiresAt: Number(row.expires_at) });
  }
}
