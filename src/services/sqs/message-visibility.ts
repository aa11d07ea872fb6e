import { errors } from './errors.js';
import type { MessageContext } from './message-context.js';
import type { Queue } from './queue.js';
import { decodeReceiptHandle } from './receipt-handles.js';

/** Sets a received message's remaining invisibility; 0 makes it visible at once. */
export async function changeVisibility(ctx: MessageContext, queue: Queue, receiptHandle: string, seconds: number): Promise<void> {
  const parsed = decodeReceiptHandle(receiptHandle);
  if (!parsed || parsed.queueArn !== queue.arn) throw errors.receiptHandleInvalid(receiptHandle);
  const m = queue.index.messages.get(parsed.messageId);
  const now = ctx.clock.now();
  if (!m || m.visibleAt <= now || m.receiptToken === null || (queue.fifo && m.receiptToken !== parsed.token)) throw errors.messageNotInflight(receiptHandle);
  queue.index.setVisibleAt(m, now + seconds * 1000, now);
  if (seconds === 0) ctx.longPolls.wakeOne(queue);
  else ctx.longPolls.scheduleWake(queue, m.visibleAt);
  ctx.lateWrites.changed(queue, m);
}
