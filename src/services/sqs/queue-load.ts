import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Database, SqsDedupTable, SqsMessagesTable, SqsQueuesTable } from '../../store/schema.js';
import type { MessageNumbering } from './message-numbering.js';
import { messageFromRow } from './message-rows.js';
import type { QueueScope } from './model.js';
import type { QueueRegistry } from './queue-registry.js';
import type { Queue } from './queue.js';

/** Queues with their messages and live deduplication ids, as read from the store. */
export interface StoredQueues {
  queues: Selectable<SqsQueuesTable>[];
  messages: Selectable<SqsMessagesTable>[];
  dedup: Selectable<SqsDedupTable>[];
}

/**
 * Reads queues, their messages and live deduplication ids from the store: every queue, or (a
 * cluster node taking a scope over, inside the transaction that takes its lease) those of one
 * account and region.
 */
export async function readQueues(db: Kysely<Database>, now: number, scope?: QueueScope): Promise<StoredQueues> {
  let queueRows = db.selectFrom('sqs_queues').selectAll();
  if (scope) queueRows = queueRows.where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  const queues = await queueRows.execute();
  if (scope && queues.length === 0) return { queues, messages: [], dedup: [] };
  const arns = queues.map((q) => q.arn);
  let messageRows = db.selectFrom('sqs_messages').selectAll().orderBy('seq');
  if (scope) messageRows = messageRows.where('queue_arn', 'in', arns);
  let dedupRows = db.selectFrom('sqs_dedup').selectAll().where('expires_at', '>', now);
  if (scope) dedupRows = dedupRows.where('queue_arn', 'in', arns);
  return { queues, messages: await messageRows.execute(), dedup: await dedupRows.execute() };
}

/** Puts what `readQueues` read into memory. Returns the queues restored. */
export function restoreQueues(stored: StoredQueues, clock: Clock, registry: QueueRegistry, numbering: MessageNumbering): Queue[] {
  const now = clock.now();
  const restored = stored.queues.map((row) => registry.restore(row));
  for (const row of stored.messages) {
    const queue = registry.byArn(row.queue_arn);
    numbering.seenSeq(Number(row.seq));
    if (!queue) continue;
    const message = messageFromRow(row);
    if (message.sequenceNumber) numbering.seenSequenceNumber(message.sequenceNumber);
    queue.index.add(message, now);
  }
  for (const row of stored.dedup) {
    registry.byArn(row.queue_arn)?.dedup.set(row.key, { messageId: row.message_id, sequenceNumber: row.sequence_number, expiresAt: Number(row.expires_at) });
  }
  return restored;
}
