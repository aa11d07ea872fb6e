import type { DeliveryAttribute } from '../../../contracts/delivery-sinks.js';
import type { OutboxKind } from '../tables/outbox-table.js';
import type { HttpRetryPolicy } from './retry-schedule.js';

/** What one subscription is owed for one message, rendered at publish time and stored. */
export type DeliveryPayload =
  | {
      kind: 'sqs';
      body: string;
      attributes?: Record<string, DeliveryAttribute>;
      messageGroupId?: string;
      messageDeduplicationId?: string;
    }
  | { kind: 'lambda'; payload: string }
  | { kind: 'http'; body: string; headers: Record<string, string>; retryPolicy?: HttpRetryPolicy }
  /** Email, SMS, mobile push, Firehose: what SNS would send, recorded in the outbox. */
  | { kind: 'outbox'; messageKind: OutboxKind; messageId: string; subject?: string; body: string };

export interface PendingDelivery {
  subscriptionArn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  payload: DeliveryPayload;
  /** What the subscription's dead-letter queue receives if every attempt fails. */
  deadLetter?: { body: string; attributes?: Record<string, DeliveryAttribute> };
}

export interface StoredDelivery extends PendingDelivery {
  id: number;
  groupKey: string | null;
  attempts: number;
  nextAttemptAt: number;
}

/** Why an attempt failed; `permanent` skips the remaining retries (the target refused for good). */
export class DeliveryFailed extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

/** Delivers one payload kind; resolves once the target accepted it. */
export type DeliverySender = (delivery: StoredDelivery) => Promise<void>;
