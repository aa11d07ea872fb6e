import type { MessageContext } from './message-context.js';
import { messageRow } from './message-rows.js';
import type { QueueMessage } from './model.js';
import type { Queue } from './queue.js';

/** Moves a message to another queue (dead-lettering, move tasks), keeping its id, body, attributes and sent time. */
export async function moveMessage(ctx: MessageContext, target: Queue, m: QueueMessage, sourceArn: string): Promise<void> {
  const now = ctx.clock.now();
  const moved: QueueMessage = {
    ...m,
    seq: await ctx.numbering.takeSeq(),
    visibleAt: now + Number(target.attributes.DelaySeconds ?? 0) * 1000,
    receiptToken: null,
    generation: 0,
    deleted: false,
    deadLetterSourceArn: sourceArn,
    groupId: target.fifo ? m.groupId : undefined,
  };
  if (target.fifo) moved.sequenceNumber = ctx.numbering.nextSequenceNumber(now);
  await ctx.writes.submit(target.scope, (trx) => trx.insertInto('sqs_messages').values(messageRow(target.arn, moved)).execute());
  if (target.deleted) return;
  target.index.add(moved, ctx.clock.now());
  ctx.longPolls.wakeOne(target);
}

/** Moves up to `max` messages from a queue to another (message move tasks). Returns how many moved. */
export async function moveMessages(ctx: MessageContext, source: Queue, pickTarget: (m: QueueMessage) => Queue | undefined, max: number): Promise<number> {
  const now = ctx.clock.now();
  let moved = 0;
  for (const m of [...source.index.messages.values()]) {
    if (moved >= max) break;
    if (m.visibleAt > now) continue;
    const target = pickTarget(m);
    if (!target) continue;
    source.index.remove(m);
    await ctx.writes.submit(source.scope, (trx) => trx.deleteFrom('sqs_messages').where('seq', '=', m.seq).execute());
    await moveMessage(ctx, target, { ...m, receiveCount: 0, firstReceiveAt: null, deadLetterSourceArn: undefined }, source.arn);
    moved++;
  }
  return moved;
}
