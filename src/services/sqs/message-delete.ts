import { errors } from './errors.js';
import type { MessageContext } from './message-context.js';
import type { QueueMessage } from './model.js';
import type { Queue } from './queue.js';
import { decodeReceiptHandle } from './receipt-handles.js';

/** Deletes the message a receipt handle names. Old handles of standard queues still delete (AWS). */
export async function deleteMessage(ctx: MessageContext, queue: Queue, receiptHandle: string): Promise<void> {
  const m = messageForHandle(queue, receiptHandle);
  if (!m) return;
  queue.index.remove(m);
  if (queue.fifo) ctx.longPolls.wakeOne(queue);
  await ctx.writes.submit(queue.scope, (trx) => trx.deleteFrom('sqs_messages').where('seq', '=', m.seq).execute());
}

/**
 * Deletes several messages with one store write; returns per-handle errors. `late` leaves the store
 * write to LateMessageWrites, for callers that acknowledge nothing to a client (event source mappings).
 */
export async function deleteMessages(ctx: MessageContext, queue: Queue, receiptHandles: string[], options: { late?: boolean } = {}): Promise<Array<Error | null>> {
  const results: Array<Error | null> = [];
  const seqs: number[] = [];
  let removed = 0;
  for (const handle of receiptHandles) {
    try {
      const m = messageForHandle(queue, handle);
      if (m) {
        queue.index.remove(m);
        removed++;
        if (options.late) ctx.lateWrites.deleted(queue, m);
        else seqs.push(m.seq);
      }
      results.push(null);
    } catch (err) {
      results.push(err as Error);
    }
  }
  if (queue.fifo && removed > 0) ctx.longPolls.wakeOne(queue);
  if (seqs.length > 0) await ctx.writes.submit(queue.scope, (trx) => trx.deleteFrom('sqs_messages').where('seq', 'in', seqs).execute());
  return results;
}

function messageForHandle(queue: Queue, receiptHandle: string): QueueMessage | undefined {
  const parsed = decodeReceiptHandle(receiptHandle);
  if (!parsed || parsed.queueArn !== queue.arn) throw errors.receiptHandleInvalid(receiptHandle);
  const m = queue.index.messages.get(parsed.messageId);
  if (!m) return undefined;
  if (queue.fifo && m.receiptToken !== parsed.token) throw errors.receiptHandleExpired(receiptHandle);
  return m;
}
