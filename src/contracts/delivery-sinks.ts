/**
 * Anything that receives messages on another service's behalf (DLQs, destinations, EventBridge
 * targets, S3/SNS notifications to queues) is reached through a `DeliverySink` registered for its
 * ARN service. No service reaches into another's tables.
 */

/** A typed message attribute (SQS/SNS style), as DLQ messages carry `RequestID`, `ErrorCode`, `ErrorMessage`. */
export interface DeliveryAttribute {
  type: 'String' | 'Number' | 'Binary';
  value: string;
}

export interface DeliveryMessage {
  /** The message body: an invocation record, an original event, or a notification. */
  body: string;
  attributes?: Record<string, DeliveryAttribute>;
  /** For EventBridge buses: the envelope fields of the PutEvents entry; `body` becomes `detail`. */
  event?: { source: string; detailType: string; resources: string[] };
  /** SNS topics: the notification's Subject (CloudWatch alarm notifications have one); ignored elsewhere. */
  subject?: string;
  /** S3 targets: the key the body is stored under (a fresh UUID when absent); ignored elsewhere. */
  objectKey?: string;
  /** SQS FIFO targets need these; ignored elsewhere. */
  messageGroupId?: string;
  messageDeduplicationId?: string;
  /** The ARN (or service principal) on whose behalf the message is sent, for the target's policy check. */
  sentBy?: { principalService?: string; sourceArn?: string; accountId?: string };
}

/** Who a message is sent on behalf of, as a target's resource policy sees it. */
export type SentBy = NonNullable<DeliveryMessage['sentBy']>;

/**
 * The target's resource policy (a queue or topic policy) does not allow the sender. AWS does not
 * retry these: the message goes to the sender's dead-letter queue, or is dropped.
 */
export class DeliveryNotAllowed extends Error {
  override readonly name = 'DeliveryNotAllowed';
}

/** Delivers messages to targets of one ARN service (`sqs`, `sns`, `lambda`, `events`, `s3`). */
export interface DeliverySink {
  service: string;
  /** Whether the ARN names a target that exists now (validation when configurations are written). */
  exists(arn: string): Promise<boolean>;
  /** Whether the target's resource policy lets `sender` deliver to it (S3 checks this before it accepts a notification configuration). */
  allows?(arn: string, sender: SentBy): Promise<boolean>;
  /** Resolves once the target has durably accepted the message; rejects otherwise. */
  deliver(arn: string, message: DeliveryMessage): Promise<void>;
}

/** The sinks this process runs, by ARN service. A service plugs in by registering its sink at start. */
export class DeliverySinks {
  private readonly byService = new Map<string, DeliverySink>();

  register(sink: DeliverySink): void {
    this.byService.set(sink.service, sink);
  }

  get(service: string): DeliverySink | undefined {
    return this.byService.get(service);
  }

  /** The sink for an ARN (`arn:aws:sqs:…` → the `sqs` sink), or undefined. */
  forArn(arn: string): DeliverySink | undefined {
    const service = arnServiceOf(arn);
    return service ? this.byService.get(service) : undefined;
  }

  services(): string[] {
    return [...this.byService.keys()];
  }
}

/** The service part of an ARN (`arn:aws:sqs:…` → `sqs`), or null when it is not an ARN. */
export function arnServiceOf(arn: string): string | null {
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && parts[2] ? parts[2] : null;
}
