import type { MessageAttributeValue } from '../../services/sqs/digests.js';

/** A message as an SQS mapping sees it, whichever implementation fetched it. */
export interface SqsSourceMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** System attributes, all strings (ApproximateReceiveCount, SentTimestamp, SenderId, …, FIFO ids). */
  attributes: Record<string, string>;
  messageAttributes: Record<string, MessageAttributeValue>;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
}

/**
 * Where an SQS event source mapping gets its messages. Two implementations: the embedded queues
 * in-process, and any AWS-compatible SQS endpoint through `@aws-sdk/client-sqs`. test/sqs-esm.test.ts
 * drives mappings on both (the remote one when a mapping is tagged `lambkin:sqs-endpoint`).
 */
export interface SqsSource {
  readonly queueArn: string;
  readonly fifo: boolean;
  /** Most messages one `receive` may ask for (10 over the SQS API; the embedded queues take more). */
  readonly maxPerReceive: number;
  /** Whether the queue exists now. */
  exists(): Promise<boolean>;
  /** The queue's VisibilityTimeout in seconds. */
  visibilityTimeoutSeconds(): Promise<number>;
  /** Up to `max` messages (implementations may return fewer), long-polling up to `waitSeconds`. */
  receive(max: number, waitSeconds: number, visibilitySeconds: number, signal: AbortSignal): Promise<SqsSourceMessage[]>;
  deleteMessages(receiptHandles: string[]): Promise<void>;
  changeVisibility(receiptHandle: string, seconds: number): Promise<void>;
  close(): void;
}
