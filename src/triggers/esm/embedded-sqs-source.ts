import { systemAttributes } from '../../services/sqs/operations/messages.js';
import type { SqsQueues } from '../../services/sqs/queues.js';
import type { SqsSource, SqsSourceMessage } from './sqs-source.js';

/** Polls Lambkin's own queues in-process: no HTTP, no signing, long polls woken by sends. */
export class EmbeddedSqsSource implements SqsSource {
  readonly fifo: boolean;
  readonly maxPerReceive = 10_000;

  constructor(
    private readonly queues: SqsQueues,
    readonly queueArn: string,
  ) {
    this.fifo = queueArn.endsWith('.fifo');
  }

  async exists(): Promise<boolean> {
    return this.queues.exists(this.queueArn);
  }

  async visibilityTimeoutSeconds(): Promise<number> {
    return Number(this.queues.byArn(this.queueArn)?.attributes.VisibilityTimeout ?? 30);
  }

  async receive(max: number, waitSeconds: number, visibilitySeconds: number, signal: AbortSignal): Promise<SqsSourceMessage[]> {
    const queue = this.queues.byArn(this.queueArn);
    if (!queue) throw new Error('AWS.SimpleQueueService.NonExistentQueue');
    const received = await this.queues.receive(queue, { maxMessages: max, waitTimeSeconds: waitSeconds, visibilityTimeoutSeconds: visibilitySeconds, signal });
    return received.map(({ message: m, receiptHandle }) => ({
      messageId: m.messageId,
      receiptHandle,
      body: m.body,
      attributes: systemAttributes(queue, m, ['All']) ?? {},
      messageAttributes: m.attributes ?? {},
      md5OfBody: m.md5OfBody,
      md5OfMessageAttributes: m.md5OfMessageAttributes,
    }));
  }

  async deleteMessages(receiptHandles: string[]): Promise<void> {
    const queue = this.queues.byArn(this.queueArn);
    // The delete is immediate in memory; its store write is gathered with others (a delete lost in
    // a crash means a redelivery, which at-least-once allows).
    if (queue && receiptHandles.length > 0) void this.queues.deleteMessages(queue, receiptHandles, { late: true }).catch(() => undefined);
  }

  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    const queue = this.queues.byArn(this.queueArn);
    if (queue) await this.queues.changeVisibility(queue, receiptHandle, seconds).catch(() => undefined);
  }

  close(): void {}
}
