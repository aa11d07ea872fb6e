import { createHash, randomUUID } from 'node:crypto';
import { md5Hex, md5OfMessageAttributes } from './digests.js';
import { errors } from './errors.js';
import * as limits from './limits.js';
import type { MessageContext } from './message-context.js';
import { messageRow } from './message-rows.js';
import type { QueueMessage, SendInput, SendResult } from './model.js';
import type { Queue } from './queue.js';

const MESSAGE_BODY_CHARS = /^[\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/** Checks a message for the queue (size, characters, FIFO ids) without storing it. */
export function validateSend(queue: Queue, input: SendInput): void {
  const max = Number(queue.attributes.MaximumMessageSize ?? limits.MESSAGE_BYTES_MAX);
  if (!MESSAGE_BODY_CHARS.test(input.body)) throw errors.invalidMessageContents();
  let size = Buffer.byteLength(input.body, 'utf8');
  for (const [name, a] of Object.entries(input.attributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(a.DataType);
    size += a.BinaryValue !== undefined ? Buffer.from(a.BinaryValue, 'base64').length : Buffer.byteLength(a.StringValue ?? '');
  }
  if (size > max) throw errors.messageTooLong(max);
  if (queue.fifo) {
    if (input.delaySeconds !== undefined && input.delaySeconds !== 0) throw errors.fifoDelayPerMessage(input.delaySeconds);
    if (!input.groupId) throw errors.fifoNeedsGroupId();
    if (!input.dedupId && queue.attributes.ContentBasedDeduplication !== 'true') throw errors.fifoNeedsDedup();
  } else if (input.dedupId !== undefined) {
    throw errors.fifoOnlyParameter('MessageDeduplicationId');
  }
}

export async function sendMessage(ctx: MessageContext, queue: Queue, input: SendInput): Promise<SendResult> {
  validateSend(queue, input);
  const now = ctx.clock.now();
  const md5OfBody = md5Hex(input.body);
  const attributes = input.attributes && Object.keys(input.attributes).length > 0 ? input.attributes : undefined;
  const md5OfAttributes = attributes ? md5OfMessageAttributes(attributes) : undefined;
  const md5OfSystem = input.traceHeader ? md5OfMessageAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: input.traceHeader } }) : undefined;
  let sequenceNumber: string | undefined;
  let dedupId: string | undefined;
  if (queue.fifo) {
    dedupId = input.dedupId ?? contentDedupId(input.body);
    const key = queue.attributes.DeduplicationScope === 'messageGroup' ? `${input.groupId ?? ''}\u0000${dedupId}` : dedupId;
    const seen = queue.dedup.get(key);
    if (seen && seen.expiresAt > now) {
      // A duplicate inside the 5-minute window is accepted and dropped: AWS answers as for the original.
      return { messageId: seen.messageId, md5OfBody, md5OfMessageAttributes: md5OfAttributes, md5OfMessageSystemAttributes: md5OfSystem, sequenceNumber: seen.sequenceNumber };
    }
    sequenceNumber = ctx.numbering.nextSequenceNumber(now);
    const entry = { messageId: randomUUID(), sequenceNumber, expiresAt: now + limits.FIFO_DEDUP_WINDOW_MS };
    queue.dedup.set(key, entry);
    ctx.writes.submit(queue.scope, async (trx) => {
      await trx.deleteFrom('sqs_dedup').where('queue_arn', '=', queue.arn).where('expires_at', '<=', now).execute();
      await trx.insertInto('sqs_dedup').values({ queue_arn: queue.arn, key, message_id: entry.messageId, sequence_number: sequenceNumber as string, expires_at: entry.expiresAt })
        .onConflict((oc) => oc.columns(['queue_arn', 'key']).doUpdateSet({ message_id: entry.messageId, sequence_number: sequenceNumber as string, expires_at: entry.expiresAt }))
        .execute();
      // Refused or failed with the message's own write (same scope, after it in the log): the client hears of that one.
    }).catch(() => undefined);
    if (queue.dedup.size > queue.dedupSweepAbove) {
      // A sweep walks every entry: sweeping again only once the map has doubled keeps a send's
      // share of it constant when a busy queue holds many live ids (each sweep then removes little).
      for (const [k, v] of queue.dedup) if (v.expiresAt <= now) queue.dedup.delete(k);
      queue.dedupSweepAbove = Math.max(limits.FIFO_DEDUP_SWEEP_MIN_ENTRIES, 2 * queue.dedup.size);
    }
    return storeMessage(ctx, queue, input, now, { messageId: entry.messageId, md5OfBody, md5OfAttributes, md5OfSystem, sequenceNumber, dedupId, attributes });
  }
  return storeMessage(ctx, queue, input, now, { messageId: randomUUID(), md5OfBody, md5OfAttributes, md5OfSystem, attributes });
}

async function storeMessage(
  ctx: MessageContext,
  queue: Queue,
  input: SendInput,
  now: number,
  m: { messageId: string; md5OfBody: string; md5OfAttributes?: string; md5OfSystem?: string; sequenceNumber?: string; dedupId?: string; attributes?: QueueMessage['attributes'] },
): Promise<SendResult> {
  const delay = input.delaySeconds ?? Number(queue.attributes.DelaySeconds ?? 0);
  const message: QueueMessage = {
    seq: await ctx.numbering.takeSeq(),
    messageId: m.messageId,
    body: input.body,
    attributes: m.attributes,
    md5OfBody: m.md5OfBody,
    md5OfMessageAttributes: m.md5OfAttributes,
    sentAt: now,
    senderId: input.senderId,
    traceHeader: input.traceHeader,
    groupId: queue.fifo ? input.groupId : undefined,
    dedupId: m.dedupId,
    sequenceNumber: m.sequenceNumber,
    visibleAt: now + delay * 1000,
    receiveCount: 0,
    firstReceiveAt: null,
    receiptToken: null,
    generation: 0,
    deleted: false,
  };
  const write = ctx.writes.submit(queue.scope, (trx) => trx.insertInto('sqs_messages').values(messageRow(queue.arn, message)).execute());
  // Visible to receivers only once durable, so a receipt can never precede the stored message.
  await write;
  if (queue.deleted) return { messageId: m.messageId, md5OfBody: m.md5OfBody };
  queue.index.add(message, ctx.clock.now());
  if (delay > 0) ctx.longPolls.scheduleWake(queue, message.visibleAt);
  else ctx.longPolls.wakeOne(queue);
  return { messageId: m.messageId, md5OfBody: m.md5OfBody, md5OfMessageAttributes: m.md5OfAttributes, md5OfMessageSystemAttributes: m.md5OfSystem, sequenceNumber: m.sequenceNumber };
}

/** Content-based deduplication: the SHA-256 of the body. */
function contentDedupId(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}
