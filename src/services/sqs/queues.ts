import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { randomString } from '../../random-pool.js';
import type { Store } from '../../store/database.js';
import { md5Hex, md5OfMessageAttributes } from './digests.js';
import { errors } from './errors.js';
import { LateMessageWrites } from './late-message-writes.js';
import { LongPolls } from './long-poll.js';
import * as limits from './limits.js';
import type { QueueMessage, QueueScope, ReceivedMessage, ReceiveOptions, SendInput, SendResult } from './model.js';
import { MessageNumbering } from './message-numbering.js';
import { messageRow } from './message-rows.js';
import type { RedrivePolicy } from './queue-attributes.js';
import { loadQueues } from './queue-load.js';
import { QueueRegistry, type Queue } from './queue-registry.js';
import { decodeReceiptHandle, encodeReceiptHandle } from './receipt-handles.js';
import { WriteLog } from './write-log.js';

export type { Queue } from './queue-registry.js';

const MESSAGE_BODY_CHARS = /^[\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/**
 * The embedded SQS: queues and messages held in memory for speed and written through to the
 * store (see `WriteLog`) before a send or delete is acknowledged. Everything that reads time uses
 * the injected clock. This is also the in-process interface other services use (`send`,
 * `receive`, `deleteMessage`, `changeVisibility`, `byArn`).
 */
export class SqsQueues {
  private readonly writes: WriteLog;
  private readonly lateWrites: LateMessageWrites;
  private readonly numbering = new MessageNumbering();
  private readonly longPolls: LongPolls;
  private readonly registry: QueueRegistry;
  private readonly closeController = new AbortController();

  constructor(
    private readonly db: Store,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.writes = new WriteLog(db);
    this.lateWrites = new LateMessageWrites(this.writes, clock, logger);
    this.longPolls = new LongPolls(clock);
    this.registry = new QueueRegistry(clock, this.writes, this.longPolls);
  }

  /** Loads every queue, message and live deduplication id from the store. */
  load(): Promise<void> {
    return loadQueues(this.db, this.clock, this.registry, this.numbering);
  }

  /** Stops long polls and waits for pending writes. */
  async close(): Promise<void> {
    this.longPolls.closed = true;
    this.closeController.abort();
    for (const queue of this.registry.all()) {
      queue.wake?.cancel();
      this.longPolls.wakeAll(queue);
    }
    await this.lateWrites.flush();
    await this.writes.idle();
  }

  // ---- queues ----

  byArn(arn: string): Queue | undefined {
    return this.registry.byArn(arn);
  }

  exists(arn: string): boolean {
    return this.registry.exists(arn);
  }

  find(scope: QueueScope, name: string): Queue | undefined {
    return this.registry.find(scope, name);
  }

  list(scope: QueueScope, prefix = ''): Queue[] {
    return this.registry.list(scope, prefix);
  }

  /** Creates the queue, or returns the existing one when every given attribute matches it. */
  create(scope: QueueScope, name: string, attributes: Record<string, string>, tags: Record<string, string>): Promise<Queue> {
    return this.registry.create(scope, name, attributes, tags);
  }

  setAttributes(queue: Queue, attributes: Record<string, string>): Promise<void> {
    return this.registry.setAttributes(queue, attributes);
  }

  setTags(queue: Queue, tags: Record<string, string>): Promise<void> {
    return this.registry.setTags(queue, tags);
  }

  delete(queue: Queue): Promise<void> {
    return this.registry.delete(queue);
  }

  purge(queue: Queue): Promise<void> {
    return this.registry.purge(queue);
  }

  redrivePolicyOf(queue: Queue): RedrivePolicy | null {
    return this.registry.redrivePolicyOf(queue);
  }

  /** Queues whose RedrivePolicy names `dlq` as dead-letter target. */
  deadLetterSources(dlq: Queue): Queue[] {
    return this.registry.deadLetterSources(dlq);
  }

  counts(queue: Queue): { visible: number; notVisible: number; delayed: number } {
    this.dropExpired(queue);
    return queue.index.counts(this.clock.now());
  }

  // ---- messages ----

  /** Checks a message for the queue (size, characters, FIFO ids) without storing it. */
  validateSend(queue: Queue, input: SendInput): void {
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

  async send(queue: Queue, input: SendInput): Promise<SendResult> {
    this.validateSend(queue, input);
    const now = this.clock.now();
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
      sequenceNumber = this.numbering.nextSequenceNumber(now);
      const entry = { messageId: randomUUID(), sequenceNumber, expiresAt: now + limits.FIFO_DEDUP_WINDOW_MS };
      queue.dedup.set(key, entry);
      void this.writes.submit(async (trx) => {
        await trx.deleteFrom('sqs_dedup').where('queue_arn', '=', queue.arn).where('expires_at', '<=', now).execute();
        await trx.insertInto('sqs_dedup').values({ queue_arn: queue.arn, key, message_id: entry.messageId, sequence_number: sequenceNumber as string, expires_at: entry.expiresAt })
          .onConflict((oc) => oc.columns(['queue_arn', 'key']).doUpdateSet({ message_id: entry.messageId, sequence_number: sequenceNumber as string, expires_at: entry.expiresAt }))
          .execute();
      });
      if (queue.dedup.size > 10_000) for (const [k, v] of queue.dedup) if (v.expiresAt <= now) queue.dedup.delete(k);
      return this.store(queue, input, now, { messageId: entry.messageId, md5OfBody, md5OfAttributes, md5OfSystem, sequenceNumber, dedupId, attributes });
    }
    return this.store(queue, input, now, { messageId: randomUUID(), md5OfBody, md5OfAttributes, md5OfSystem, attributes });
  }

  private async store(
    queue: Queue,
    input: SendInput,
    now: number,
    m: { messageId: string; md5OfBody: string; md5OfAttributes?: string; md5OfSystem?: string; sequenceNumber?: string; dedupId?: string; attributes?: QueueMessage['attributes'] },
  ): Promise<SendResult> {
    const delay = input.delaySeconds ?? Number(queue.attributes.DelaySeconds ?? 0);
    const message: QueueMessage = {
      seq: this.numbering.takeSeq(),
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
    const write = this.writes.submit((trx) => trx.insertInto('sqs_messages').values(messageRow(queue.arn, message)).execute());
    // Visible to receivers only once durable, so a receipt can never precede the stored message.
    await write;
    if (queue.deleted) return { messageId: m.messageId, md5OfBody: m.md5OfBody };
    queue.index.add(message, this.clock.now());
    if (delay > 0) this.longPolls.scheduleWake(queue, message.visibleAt);
    else this.longPolls.wakeOne(queue);
    return { messageId: m.messageId, md5OfBody: m.md5OfBody, md5OfMessageAttributes: m.md5OfAttributes, md5OfMessageSystemAttributes: m.md5OfSystem, sequenceNumber: m.sequenceNumber };
  }

  /** Receives up to `maxMessages`, long-polling up to `waitTimeSeconds` (default: the queue's). */
  async receive(queue: Queue, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    const waitSeconds = options.waitTimeSeconds ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds ?? 0);
    const deadline = this.clock.now() + waitSeconds * 1000;
    for (;;) {
      // Take and (if empty) register the waiter in one synchronous step, so a send landing in
      // between cannot be missed.
      const { out, moves } = this.takeMessages(queue, options);
      if (out.length > 0 || this.longPolls.closed || queue.deleted || options.signal?.aborted || this.clock.now() >= deadline) {
        await moves;
        return out;
      }
      const wait = this.longPolls.waitForMessages(queue, deadline, options.signal);
      await moves;
      await wait;
    }
  }

  private takeMessages(queue: Queue, options: ReceiveOptions): { out: ReceivedMessage[]; moves: Promise<unknown> } {
    const now = this.clock.now();
    const visibilitySeconds = options.visibilityTimeoutSeconds ?? Number(queue.attributes.VisibilityTimeout ?? limits.VISIBILITY_TIMEOUT_SECONDS_DEFAULT);
    const retentionMs = Number(queue.attributes.MessageRetentionPeriod ?? limits.RETENTION_SECONDS_DEFAULT) * 1000;
    const redrive = this.redrivePolicyOf(queue);
    const dlq = redrive ? this.byArn(redrive.deadLetterTargetArn) : undefined;
    const out: ReceivedMessage[] = [];
    // One token per receive: the handle also names the message, and one store update covers the lot.
    const token = randomString(12, 'base64url');
    const updates: QueueMessage[] = [];
    const removed: QueueMessage[] = [];
    const moves: Promise<void>[] = [];
    for (let round = 0; round < 100 && out.length < options.maxMessages; round++) {
      const candidates = queue.index.takeVisible(options.maxMessages - out.length, now);
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
          moves.push(this.moveTo(dlq, m, queue.arn));
          continue;
        }
        m.receiveCount++;
        if (m.firstReceiveAt === null) m.firstReceiveAt = now;
        m.receiptToken = token;
        queue.index.setVisibleAt(m, now + visibilitySeconds * 1000, now);
        updates.push(m);
        out.push({ message: m, receiptHandle: encodeReceiptHandle(queue.arn, m.messageId, token) });
      }
    }
    // Written a little later, if still there (see LateMessageWrites): a receive lost in a crash
    // only makes the message visible again (at-least-once).
    for (const m of updates) this.lateWrites.changed(m);
    if (removed.length > 0) {
      const gone = removed.map((m) => m.seq);
      this.writes
        .submit((trx) => trx.deleteFrom('sqs_messages').where('seq', 'in', gone).execute())
        .catch((err: unknown) => this.logger.error({ err, queue: queue.arn }, 'sqs receive not recorded'));
    }
    if (updates.length > 0) this.longPolls.scheduleWake(queue, now + visibilitySeconds * 1000);
    return { out, moves: Promise.all(moves) };
  }

  /** Moves a message to another queue (dead-lettering, move tasks), keeping its id, body, attributes and sent time. */
  private async moveTo(target: Queue, m: QueueMessage, sourceArn: string): Promise<void> {
    const now = this.clock.now();
    const moved: QueueMessage = {
      ...m,
      seq: this.numbering.takeSeq(),
      visibleAt: now + Number(target.attributes.DelaySeconds ?? 0) * 1000,
      receiptToken: null,
      generation: 0,
      deleted: false,
      deadLetterSourceArn: sourceArn,
      groupId: target.fifo ? m.groupId : undefined,
    };
    if (target.fifo) moved.sequenceNumber = this.numbering.nextSequenceNumber(now);
    await this.writes.submit((trx) => trx.insertInto('sqs_messages').values(messageRow(target.arn, moved)).execute());
    if (target.deleted) return;
    target.index.add(moved, this.clock.now());
    this.longPolls.wakeOne(target);
  }

  private dropExpired(queue: Queue): void {
    const now = this.clock.now();
    const retentionMs = Number(queue.attributes.MessageRetentionPeriod ?? limits.RETENTION_SECONDS_DEFAULT) * 1000;
    const gone = queue.index.removeSentBefore(now - retentionMs).map((m) => m.seq);
    if (gone.length > 0) void this.writes.submit((trx) => trx.deleteFrom('sqs_messages').where('seq', 'in', gone).execute());
  }

  /** Deletes the message a receipt handle names. Old handles of standard queues still delete (AWS). */
  async deleteMessage(queue: Queue, receiptHandle: string): Promise<void> {
    const m = this.messageForHandle(queue, receiptHandle);
    if (!m) return;
    queue.index.remove(m);
    if (queue.fifo) this.longPolls.wakeOne(queue);
    await this.writes.submit((trx) => trx.deleteFrom('sqs_messages').where('seq', '=', m.seq).execute());
  }

  /**
   * Deletes several messages with one store write; returns per-handle errors. `late` leaves the store
   * write to LateMessageWrites, for callers that acknowledge nothing to a client (event source mappings).
   */
  async deleteMessages(queue: Queue, receiptHandles: string[], options: { late?: boolean } = {}): Promise<Array<Error | null>> {
    const results: Array<Error | null> = [];
    const seqs: number[] = [];
    let removed = 0;
    for (const handle of receiptHandles) {
      try {
        const m = this.messageForHandle(queue, handle);
        if (m) {
          queue.index.remove(m);
          removed++;
          if (options.late) this.lateWrites.deleted(m);
          else seqs.push(m.seq);
        }
        results.push(null);
      } catch (err) {
        results.push(err as Error);
      }
    }
    if (queue.fifo && removed > 0) this.longPolls.wakeOne(queue);
    if (seqs.length > 0) await this.writes.submit((trx) => trx.deleteFrom('sqs_messages').where('seq', 'in', seqs).execute());
    return results;
  }

  private messageForHandle(queue: Queue, receiptHandle: string): QueueMessage | undefined {
    const parsed = decodeReceiptHandle(receiptHandle);
    if (!parsed || parsed.queueArn !== queue.arn) throw errors.receiptHandleInvalid(receiptHandle);
    const m = queue.index.messages.get(parsed.messageId);
    if (!m) return undefined;
    if (queue.fifo && m.receiptToken !== parsed.token) throw errors.receiptHandleExpired(receiptHandle);
    return m;
  }

  /** Sets a received message's remaining invisibility; 0 makes it visible at once. */
  async changeVisibility(queue: Queue, receiptHandle: string, seconds: number): Promise<void> {
    const parsed = decodeReceiptHandle(receiptHandle);
    if (!parsed || parsed.queueArn !== queue.arn) throw errors.receiptHandleInvalid(receiptHandle);
    const m = queue.index.messages.get(parsed.messageId);
    const now = this.clock.now();
    if (!m || m.visibleAt <= now || m.receiptToken === null || (queue.fifo && m.receiptToken !== parsed.token)) throw errors.messageNotInflight(receiptHandle);
    queue.index.setVisibleAt(m, now + seconds * 1000, now);
    if (seconds === 0) this.longPolls.wakeOne(queue);
    else this.longPolls.scheduleWake(queue, m.visibleAt);
    this.lateWrites.changed(m);
  }

  /** Moves up to `max` messages from a queue to another (message move tasks). Returns how many moved. */
  async moveMessages(source: Queue, pickTarget: (m: QueueMessage) => Queue | undefined, max: number): Promise<number> {
    const now = this.clock.now();
    let moved = 0;
    for (const m of [...source.index.messages.values()]) {
      if (moved >= max) break;
      if (m.visibleAt > now) continue;
      const target = pickTarget(m);
      if (!target) continue;
      source.index.remove(m);
      await this.writes.submit((trx) => trx.deleteFrom('sqs_messages').where('seq', '=', m.seq).execute());
      await this.moveTo(target, { ...m, receiveCount: 0, firstReceiveAt: null, deadLetterSourceArn: undefined }, source.arn);
      moved++;
    }
    return moved;
  }
}

/** Content-based deduplication: the SHA-256 of the body. */
function contentDedupId(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}
