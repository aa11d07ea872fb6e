import { randomString } from '../../random-pool.js';
import * as limits from './limits.js';
import type { MessageContext } from './message-context.js';
import { moveMessage } from './message-moves.js';
import type { QueueMessage, ReceivedMessage, ReceiveOptions } from './model.js';
import type { Queue } from './queue.js';
import { encodeReceiptHandle } from './receipt-handles.js';

/** Receives up to `maxMessages`, long-polling up to `waitTimeSeconds` (default: the queue's). */
export async function receiveMessages(ctx: MessageContext, queue: Queue, options: ReceiveOptions): Promise<ReceivedMessage[]> {
  const waitSeconds = options.waitTimeSeconds ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds ?? 0);
  const deadline = ctx.clock.now() + waitSeconds * 1000;
  for (;;) {
    // Take and (if empty) register the waiter in one synchronous step, so a send landing in
    // between cannot be missed.
    const { out, moves } = takeMessages(ctx, queue, options);
    if (out.length > 0 || ctx.longPolls.closed || queue.deleted || options.signal?.aborted || ctx.clock.now() >= deadline) {
      await moves;
      return out;
    }
    const wait = ctx.longPolls.waitForMessages(queue, deadline, options.signal);
    await moves;
    await wait;
  }
}

function takeMessages(ctx: MessageContext, queue: Queue, options: ReceiveOptions): { out: ReceivedMessage[]; moves: Promise<unknown> } {
  const now = ctx.clock.now();
  const visibilitySeconds = options.visibilityTimeoutSeconds ?? Number(queue.attributes.VisibilityTimeout ?? limits.VISIBILITY_TIMEOUT_SECONDS_DEFAULT);
  const retentionMs = Number(queue.attributes.MessageRetentionPeriod ?? limits.RETENTION_SECONDS_DEFAULT) * 1000;
  const redrive = ctx.registry.redrivePolicyOf(queue);
  const dlq = redrive ? ctx.registry.byArn(redrive.deadLetterTargetArn) : undefined;
  const out: ReceivedMessage[] = [];
  // One token per receive: the handle also names the message, and one store update covers the lot.
  const token = randomString(12, 'base64url');
  const updates: QueueMessage[] = [];
  const removed: QueueMessage[] = [];
  const moves: Promise<void>[] = [];
  // A message is handed out at most once per receive, as in AWS. Its new visibility is applied
  // only after the loop: with a visibility timeout of 0 it would otherwise be visible again at
  // once and the next round would take it a second time (FIFO groups are not consumed by
  // takeVisible, so those are excluded by id).
  const taken = new Set<string>();
  for (let round = 0; round < 100 && out.length < options.maxMessages; round++) {
    const candidates = queue.index.takeVisible(options.maxMessages - out.length, now, taken);
    if (candidates.length === 0) break;
    for (const m of candidates) {
      if (m.sentAt + retentionMs <= now) {
        queue.index.remove(m);
        removed.push(m);
        continue;
      }
      if (redrive && dlq && !dlq.deleted && m.receiveCount >= redrive.maxReceiveCount) {
        queue.index.remove(m);
        removed.push(m);
        moves.push(moveMessage(ctx, dlq, m, queue.arn));
        continue;
      }
      m.receiveCount++;
      if (m.firstReceiveAt === null) m.firstReceiveAt = now;
      m.receiptToken = token;
      taken.add(m.messageId);
      updates.push(m);
      out.push({ message: m, receiptHandle: encodeReceiptHandle(queue.arn, m.messageId, token) });
    }
  }
  for (const m of updates) queue.index.setVisibleAt(m, now + visibilitySeconds * 1000, now);
  // Written a little later, if still there (see LateMessageWrites): a receive lost in a crash
  // only makes the message visible again (at-least-once).
  for (const m of updates) ctx.lateWrites.changed(queue, m);
  if (removed.length > 0) {
    const gone = removed.map((m) => m.seq);
    ctx.writes
      .submit(queue.scope, (trx) => trx.deleteFrom('sqs_messages').where('seq', 'in', gone).execute())
      .catch((err: unknown) => ctx.logger.error({ err, queue: queue.arn }, 'sqs receive not recorded'));
  }
  if (updates.length > 0) ctx.longPolls.scheduleWake(queue, now + visibilitySeconds * 1000);
  return { out, moves: Promise.all(moves) };
}

/** Drops the messages older than the queue's retention period. */
export function dropExpired(ctx: MessageContext, queue: Queue): void {
  const now = ctx.clock.now();
  const retentionMs = Number(queue.attributes.MessageRetentionPeriod ?? limits.RETENTION_SECONDS_DEFAULT) * 1000;
  const gone = queue.index.removeSentBefore(now - retentionMs).map((m) => m.seq);
  // Not recorded (the queues moved to another node): they expire there again.
  if (gone.length > 0) ctx.writes.submit(queue.scope, (trx) => trx.deleteFrom('sqs_messages').where('seq', 'in', gone).execute()).catch(() => undefined);
}
