import type { MessageAttributeValue } from './digests.js';

/** Who a queue belongs to. */
export interface QueueScope {
  accountId: string;
  region: string;
}

/** One message as SQS keeps it; the in-memory copy mirrors its `sqs_messages` row. */
export interface QueueMessage {
  seq: number;
  messageId: string;
  body: string;
  attributes?: Record<string, MessageAttributeValue>;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  sentAt: number;
  senderId: string;
  traceHeader?: string;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt: number | null;
  /** Set while received (in flight); part of the receipt handle, so old handles can be told apart. */
  receiptToken: string | null;
  /** Bumped on every visibility change, so stale index entries are skipped. */
  generation: number;
  deleted: boolean;
}

/** What a send asks for. */
export interface SendInput {
  body: string;
  attributes?: Record<string, MessageAttributeValue>;
  delaySeconds?: number;
  groupId?: string;
  dedupId?: string;
  traceHeader?: string;
  senderId: string;
}

export interface SendResult {
  messageId: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  md5OfMessageSystemAttributes?: string;
  sequenceNumber?: string;
}

/** A received message: the stored message and the handle of this receipt. */
export interface ReceivedMessage {
  message: QueueMessage;
  receiptHandle: string;
}

export interface ReceiveOptions {
  maxMessages: number;
  visibilityTimeoutSeconds?: number;
  waitTimeSeconds?: number;
  /** Aborts a long poll early (server shutdown, poller stop). */
  signal?: AbortSignal;
}
