import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import { LateMessageWrites } from './late-message-writes.js';
import { LongPolls } from './long-poll.js';
import type { MessageContext } from './message-context.js';
import { deleteMessage, deleteMessages } from './message-delete.js';
import { moveMessages } from './message-moves.js';
import { MessageNumbering } from './message-numbering.js';
import { dropExpired, receiveMessages } from './message-receive.js';
import { sendMessage, validateSend } from './message-send.js';
import { changeVisibility } from './message-visibility.js';
import type { QueueMessage, QueueScope, ReceivedMessage, ReceiveOptions, SendInput, SendResult } from './model.js';
import type { RedrivePolicy } from './queue-attributes.js';
import { readQueues, restoreQueues, type StoredQueues } from './queue-load.js';
import { QueueRegistry } from './queue-registry.js';
import { SqsQueueMetrics } from './queue-metrics.js';
import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import { type Queue } from './queue.js';
import { WriteLog, type WriteFence } from './write-log.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { IdBlocks } from '../../store/cluster/id-blocks.js';
import type { QueuePolicyHolder } from './queue-policy.js';

export type { Queue } from './queue.js';

/**
 * The embedded SQS: queues and messages held in memory for speed and written through to the
 * store (see `WriteLog`) before a send or delete is acknowledged. Everything that reads time uses
 * the injected clock. This is also the in-process interface other services use (`send`,
 * `receive`, `deleteMessage`, `changeVisibility`, `byArn`). The work lives in the modules it
 * delegates to: `queue-registry.ts` (queues), `message-send.ts`, `message-receive.ts`,
 * `message-delete.ts`, `message-visibility.ts`, `message-moves.ts` and `long-poll.ts`.
 */
export class SqsQueues {
  private readonly writes: WriteLog;
  private readonly lateWrites: LateMessageWrites;
  private readonly longPolls: LongPolls;
  private readonly registry: QueueRegistry;
  private readonly messages: MessageContext;
  private readonly closeController = new AbortController();
  private queueMetrics: SqsQueueMetrics | undefined;

  private readonly numbering: MessageNumbering;

  constructor(
    private readonly db: Store,
    private readonly clock: Clock,
    logger: Logger,
    /** On a shared store: the cluster's counter blocks message rows are numbered from. */
    sharedSeq?: IdBlocks,
  ) {
    this.numbering = new MessageNumbering(sharedSeq);
    this.writes = new WriteLog(db);
    this.lateWrites = new LateMessageWrites(this.writes, clock, logger);
    this.longPolls = new LongPolls(clock);
    this.registry = new QueueRegistry(clock, this.writes, this.longPolls);
    this.messages = {
      clock, logger, writes: this.writes, lateWrites: this.lateWrites, numbering: this.numbering, longPolls: this.longPolls, registry: this.registry,
    };
  }

  /** Loads every queue, message and live deduplication id from the store. */
  async load(): Promise<void> {
    restoreQueues(await readQueues(this.db, this.clock.now()), this.clock, this.registry, this.numbering);
  }

  /** Reads the queues of one account and region with their messages (a cluster node taking them over, in `trx`). */
  readScope(trx: Kysely<Database>, scope: QueueScope): Promise<StoredQueues> {
    return readQueues(trx, this.clock.now(), scope);
  }

  /** Serves the queues `readScope` read from now on. */
  restoreScope(stored: StoredQueues): void {
    restoreQueues(stored, this.clock, this.registry, this.numbering);
  }

  /** Checks every store write from now on against `fence` (a cluster node: see WriteLog). */
  fenceWrites(fence: WriteFence): void {
    this.writes.fenceWith(fence);
  }

  /**
   * Stops serving the queues of one account and region (a cluster node hands them over): they
   * leave memory, long polls on them return empty, and every write gathered or submitted for
   * them is committed before this resolves, so the next owner loads all of it.
   */
  async unloadScope(scope: QueueScope): Promise<void> {
    for (const queue of this.registry.list(scope)) this.registry.forget(queue);
    await this.lateWrites.flush();
    await this.writes.idle();
  }

  /** A queue's ARN, scope and attributes as stored, for a policy check on a queue another cluster node serves. */
  async storedPolicyHolder(arn: string): Promise<QueuePolicyHolder | undefined> {
    const row = await this.db.selectFrom('sqs_queues').select(['account_id', 'region', 'attributes']).where('arn', '=', arn).executeTakeFirst();
    return row && { arn, scope: { accountId: row.account_id, region: row.region }, attributes: JSON.parse(row.attributes) as Record<string, string> };
  }

  /** Whether the store holds the queue (a cluster node may not have it in memory). */
  async existsInStore(arn: string): Promise<boolean> {
    return (await this.db.selectFrom('sqs_queues').select('arn').where('arn', '=', arn).executeTakeFirst()) !== undefined;
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

  /** Deletes every queue of every account with its messages, waking their long polls empty. */
  async reset(): Promise<void> {
    for (const queue of [...this.registry.all()]) await this.registry.delete(queue);
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

  /** Records `AWS/SQS` metrics from now on (sends, receives, deletes; depths each minute). */
  recordMetrics(recorder: MetricRecorder): SqsQueueMetrics {
    this.queueMetrics = new SqsQueueMetrics(recorder, this.clock, () =>
      [...this.registry.all()].map((queue) => ({ queue, ...this.counts(queue), oldestSentAt: queue.index.messages.values().next().value?.sentAt })),
    );
    return this.queueMetrics;
  }

  /** Every queue's visible and in-flight messages (Prometheus). */
  depths(): { queue: string; visible: number; inFlight: number }[] {
    return [...this.registry.all()].map((queue) => {
      const c = this.counts(queue);
      return { queue: queue.arn, visible: c.visible, inFlight: c.notVisible };
    });
  }

  counts(queue: Queue): { visible: number; notVisible: number; delayed: number } {
    dropExpired(this.messages, queue);
    return queue.index.counts(this.clock.now());
  }

  // ---- messages ----

  /** Checks a message for the queue (size, characters, FIFO ids) without storing it. */
  validateSend(queue: Queue, input: SendInput): void {
    validateSend(queue, input);
  }

  async send(queue: Queue, input: SendInput): Promise<SendResult> {
    const result = await sendMessage(this.messages, queue, input);
    this.queueMetrics?.sent(queue, 1);
    return result;
  }

  /** Receives up to `maxMessages`, long-polling up to `waitTimeSeconds` (default: the queue's). */
  async receive(queue: Queue, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    const received = await receiveMessages(this.messages, queue, options);
    if (received.length > 0) this.queueMetrics?.received(queue, received.length);
    return received;
  }

  /** Deletes the message a receipt handle names. Old handles of standard queues still delete (AWS). */
  async deleteMessage(queue: Queue, receiptHandle: string): Promise<void> {
    await deleteMessage(this.messages, queue, receiptHandle);
    this.queueMetrics?.deleted(queue, 1);
  }

  /**
   * Deletes several messages with one store write; returns per-handle errors. `late` leaves the store
   * write to LateMessageWrites, for callers that acknowledge nothing to a client (event source mappings).
   */
  async deleteMessages(queue: Queue, receiptHandles: string[], options: { late?: boolean } = {}): Promise<Array<Error | null>> {
    const results = await deleteMessages(this.messages, queue, receiptHandles, options);
    const deleted = results.filter((r) => r === null).length;
    if (deleted > 0) this.queueMetrics?.deleted(queue, deleted);
    return results;
  }

  /** Sets a received message's remaining invisibility; 0 makes it visible at once. */
  changeVisibility(queue: Queue, receiptHandle: string, seconds: number): Promise<void> {
    return changeVisibility(this.messages, queue, receiptHandle, seconds);
  }

  /** Moves up to `max` messages from a queue to another (message move tasks). Returns how many moved. */
  moveMessages(source: Queue, pickTarget: (m: QueueMessage) => Queue | undefined, max: number): Promise<number> {
    return moveMessages(this.messages, source, pickTarget, max);
  }
}
