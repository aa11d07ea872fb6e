import type { Clock } from '../clock.js';
import type { LastResponse, QueuedEvent } from '../store/queue/async-event-queue.js';
import { arnServiceOf, type DeliveryMessage, type DeliverySinks } from '../contracts/delivery-sinks.js';
import type { DeliveryFailureMetric, DeliveryFailures } from './delivery-failures.js';
import { invocationRecord, type FailureCondition } from './invocation-record.js';
import { DLQ_ERROR_MESSAGE_MAX_BYTES } from './limits.js';

/** Where one event's outcome goes, read from the configuration at the time of the outcome. */
export interface OutcomeTargets {
  /** Qualified ARN of the invoked function, as records name it. */
  functionArn: string;
  onSuccess?: string;
  onFailure?: string;
  deadLetter?: string;
}

/**
 * Hands outcomes to DLQs and destinations through the delivery sinks. A delivery that fails is
 * counted (`DeadLetterErrors`, `DestinationDeliveryFailures`) and logged; the event is then done,
 * as on AWS.
 */
export class OutcomeDelivery {
  constructor(
    private readonly sinks: DeliverySinks,
    private readonly failures: DeliveryFailures,
    private readonly clock: Clock,
  ) {}

  async success(event: QueuedEvent, targets: OutcomeTargets, response: LastResponse): Promise<void> {
    if (!targets.onSuccess) return;
    const record = invocationRecord(event, targets.functionArn, 'Success', response, this.clock.now());
    await this.toDestination(event, targets, targets.onSuccess, JSON.stringify(record), 'Success');
  }

  async failure(event: QueuedEvent, targets: OutcomeTargets, condition: FailureCondition): Promise<void> {
    const response = event.lastResponse;
    if (targets.onFailure) {
      const record = invocationRecord(event, targets.functionArn, condition, response, this.clock.now());
      await this.toDestination(event, targets, targets.onFailure, JSON.stringify(record), 'Failure');
    }
    if (targets.deadLetter) {
      const message: DeliveryMessage = {
        body: event.payload.toString('utf8'),
        attributes: {
          RequestID: { type: 'String', value: event.requestId },
          ErrorCode: { type: 'Number', value: String(response?.statusCode ?? conditionStatus(condition)) },
          ErrorMessage: { type: 'String', value: firstBytes(errorMessageOf(response, condition), DLQ_ERROR_MESSAGE_MAX_BYTES) },
        },
        sentBy: sentBy(event, targets),
      };
      await this.deliver(event, targets.deadLetter, message, 'DeadLetterErrors');
    }
  }

  private async toDestination(event: QueuedEvent, targets: OutcomeTargets, arn: string, body: string, outcome: 'Success' | 'Failure'): Promise<void> {
    const message: DeliveryMessage = { body, sentBy: sentBy(event, targets) };
    if (arnServiceOf(arn) === 'events') {
      message.event = { source: 'lambda', detailType: `Lambda Function Invocation Result - ${outcome}`, resources: [arn, targets.functionArn] };
    }
    await this.deliver(event, arn, message, 'DestinationDeliveryFailures');
  }

  private async deliver(event: QueuedEvent, arn: string, message: DeliveryMessage, metric: DeliveryFailureMetric): Promise<void> {
    const sink = this.sinks.forArn(arn);
    try {
      if (!sink) throw new Error(`no delivery sink for ${arnServiceOf(arn) ?? arn}`);
      await sink.deliver(arn, message);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      await this.failures.record(event, metric, arn, error, this.clock.now());
    }
  }
}

function sentBy(event: QueuedEvent, targets: OutcomeTargets): DeliveryMessage['sentBy'] {
  return { principalService: 'lambda.amazonaws.com', sourceArn: targets.functionArn, accountId: event.accountId };
}

function conditionStatus(condition: FailureCondition): number {
  return condition === 'ZeroReservedConcurrency' ? 429 : 200;
}

function errorMessageOf(response: LastResponse | null, condition: FailureCondition): string {
  if (response?.errorMessage) return response.errorMessage;
  if (condition === 'ZeroReservedConcurrency') return 'Rate Exceeded.';
  if (condition === 'EventAgeExceeded') return 'Event age exceeded the maximum event age.';
  return '';
}

/** The first `max` bytes of a string, without splitting a UTF-8 character. */
function firstBytes(text: string, max: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
