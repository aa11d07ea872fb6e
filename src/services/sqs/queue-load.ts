import type { Clock } from '../../clock.js';
import type { Store } from '../../store/database.js';
import type { MessageNumbering } from './message-numbering.js';
import { messageFromRow } from './message-rows.js';
import type { QueueScope } from './model.js';
import type { QueueRegistry } from './queue-registry.js';
import type { Queue } from './queue.js';

/**
 * Loads queues, their messages and live deduplication ids from the store: every queue, or (a
 * cluster node taking a scope over) those of one account and region. Returns the queues loaded.
 */
export async function loadQueues(db: Store, clock: Clock, registry: QueueRegistry, numbering: MessageNumbering, scope?: QueueScope): Promise<Queue[]> {
  const now = clock.now();
  let queueRows = db.selectFrom('sqs_queues').selectAll();
  if (scope) queueRows = queueRows.where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  const loaded = (await queueRows.execute()).map((row) => registry.restore(row));
  if (scope && loaded.length === 0) return loaded;
  const arns = loaded.map((q) => q.arn);
  let messageRows = db.selectFrom('sqs_messages').selectAll().orderBy('seq');
  if (scope) messageRows = messageRows.where('queue_arn', 'in', arns);
  for (const row of await messageRows.execute()) {
    const queue = registry.byArn(row.queue_arn);
    numbering.seenSeq(Number(row.seq));
    if (!queue) continue;
    const message = messageFromRow(row);
    if (message.sequenceNumber) numbering.seenSequenceNumber(message.sequenceNumber);
    queue.index.add(message, now);
  }
  let dedupRows = db.selectFrom('sqs_dedup').selectAll().where('expires_at', '>', now);
  if (scope) dedupRows = dedupRows.where('queue_arn', 'in', arns);
  for (const row of await dedupRows.execute()) {
    registry.byArn(row.queue_arn)?.dedup.set(row.key, { messageId: row.message_id, sequenceNumber: row.sequence_number, expiresAt: Number(row.expires_at) });
  }
  return loaded;
}
