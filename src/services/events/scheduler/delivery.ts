import { AsyncInvokeRefused, type AsyncInvoker } from '../../../contracts/async-invoker.js';
import { AwsError } from '../../../contracts/aws-error.js';
import type { DeliveryAttribute, DeliverySinks } from '../../../contracts/delivery-sinks.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import type { ServiceCaller } from '../../../contracts/service-caller.js';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/database.js';
import type { QueueDrain } from '../../../store/queue/drain.js';
import { DurableQueue } from '../../../store/queue/durable-queue.js';
import { outboxDrain } from '../../../store/queue/outbox-drain.js';
import { exhaustedCondition, retryDelayMs } from '../delivery/retry-schedule.js';
import { withContextAttributes } from './context-attributes.js';
import { SCHEDULER_DELIVERIES, type SchedulerDeliveryInsert, type SchedulerDeliveryRow } from './delivery-queue.js';
import type { ScheduleTarget } from './model.js';
import { parseUniversalTarget, universalRequest } from './universal-target.js';

/** A failure retrying cannot fix: the target is gone or refuses the caller. Dead-lettered at once. */
export class PermanentTargetError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The AWS error a service answered with (awsJson `__type` or `x-amzn-ErrorType`, query XML `<Code>`). */
function errorOfResponse(response: ServiceResponse, call: string): AwsError {
  const text = response.body === undefined ? '' : response.body.toString();
  const header = Object.entries(response.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-amzn-errortype')?.[1];
  let code = header?.split(':')[0];
  let message: string | undefined;
  try {
    const parsed = JSON.parse(text) as { __type?: string; code?: string; message?: string; Message?: string };
    code ??= parsed.__type?.slice(parsed.__type.lastIndexOf('#') + 1) ?? parsed.code;
    message = parsed.message ?? parsed.Message;
  } catch {
    code ??= /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  }
  return new AwsError(code ?? 'ServiceError', response.status, message ?? `${call} answered HTTP ${response.status}`);
}

/** Firings delivered at once. */
const MAX_IN_FLIGHT = 25;
/** A delivery under way is leased this long; a crash mid-attempt redelivers after it (at least once). */
const LEASE_MS = 60_000;

export interface SchedulerDeliveryDeps {
  db: Store;
  clock: Clock;
  logger: Logger;
  sinks: DeliverySinks;
  asyncInvoker?: AsyncInvoker;
  /** Universal targets call Lambkin's services in-process through this; absent, they fail. */
  callService?: ServiceCaller;
}

/**
 * Delivers Scheduler's firings (a consumer of the durable queue): templated targets — Lambda by
 * asynchronous invocation, SQS, SNS and event buses through the delivery sinks — retried with
 * exponential back-off within the target's RetryPolicy (default 185 attempts / 24 h), then sent
 * to the target's dead-letter queue.
 */
export class SchedulerDelivery {
  private readonly queue: DurableQueue<SchedulerDeliveryRow, SchedulerDeliveryInsert>;
  private readonly drain: QueueDrain<SchedulerDeliveryRow>;

  constructor(private readonly deps: SchedulerDeliveryDeps) {
    this.queue = new DurableQueue(deps.db, SCHEDULER_DELIVERIES, deps.clock);
    this.drain = outboxDrain(this.queue, { name: 'scheduler delivery', logger: deps.logger, maxInFlight: MAX_IN_FLIGHT, leaseMs: LEASE_MS, handle: (row) => this.attempt(row) });
  }

  start(): void {
    this.drain.start();
  }

  /** A firing was stored: deliver now. */
  wake(): void {
    this.drain.wake();
  }

  close(): void {
    this.drain.stopLeasing();
  }

  private async attempt(row: SchedulerDeliveryRow): Promise<void> {
    const target = JSON.parse(row.target) as ScheduleTarget;
    try {
      await this.deliver(row, target, this.payloadOf(row, row.attempts + 1));
      await this.queue.ack([row.id]);
    } catch (err) {
      // Shutting down: the lease runs out and the firing is delivered after the restart.
      if (this.drain.stopping) return;
      const attempts = row.attempts + 1;
      const message = err instanceof Error ? err.message : String(err);
      const retryAt = this.deps.clock.now() + retryDelayMs(attempts);
      const exhausted = err instanceof PermanentTargetError ? null : exhaustedCondition(target.RetryPolicy, attempts, row.created_at, retryAt);
      if (exhausted === undefined) {
        await this.queue.retryAt(row.id, retryAt, { attempts, last_error: message });
        return;
      }
      this.deps.logger.warn({ schedule: row.schedule_arn, target: target.Arn, attempts, err: message }, 'schedule target not reached');
      await this.deadLetter(row, target, err, attempts, exhausted);
      await this.queue.ack([row.id]);
    }
  }

  /**
   * The Input as attempt `attemptNumber` sends it. The firing's row id is its execution id and its
   * window start its scheduled time, so every retry of a firing carries the same two.
   */
  private payloadOf(row: SchedulerDeliveryRow, attemptNumber: number): string {
    return withContextAttributes(row.payload, { scheduleArn: row.schedule_arn, scheduledAt: row.window_start_at, executionId: row.id, attemptNumber });
  }

  private async deliver(row: SchedulerDeliveryRow, target: ScheduleTarget, payload: string): Promise<void> {
    const arn = target.Arn;
    const universal = parseUniversalTarget(arn);
    if (universal) return this.callUniversal(row, universal, payload);
    if (/^arn:aws[a-zA-Z-]*:lambda:/.test(arn)) {
      if (!this.deps.asyncInvoker) throw new Error('asynchronous invocation is not available in this server');
      try {
        // The schedule's execution role is of the same account: no resource policy is consulted.
        await this.deps.asyncInvoker.enqueue({ accountId: row.account_id, region: row.region, functionName: arn, payload: Buffer.from(payload) });
      } catch (err) {
        if (err instanceof AsyncInvokeRefused) throw new PermanentTargetError(err.reason, err.message);
        throw err;
      }
      return;
    }
    const sink = this.deps.sinks.forArn(arn);
    if (!sink) throw new PermanentTargetError('ResourceNotFoundException', `no delivery for ${arn}`);
    const bridge = target.EventBridgeParameters as { DetailType?: string; Source?: string } | undefined;
    try {
      await sink.deliver(arn, {
        body: payload,
        ...(bridge ? { event: { source: bridge.Source ?? 'aws.scheduler', detailType: bridge.DetailType ?? 'Scheduled Event', resources: [row.schedule_arn] } } : {}),
        ...(target.SqsParameters?.MessageGroupId ? { messageGroupId: target.SqsParameters.MessageGroupId } : {}),
        sentBy: { accountId: row.account_id, sourceArn: row.schedule_arn },
      });
    } catch (err) {
      // A target that no longer exists is not retried.
      if (!(await sink.exists(arn).catch(() => true))) throw new PermanentTargetError('ResourceNotFoundException', err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  /**
   * The Input as the API request of a universal target. A client error (4xx other than
   * throttling) is final, as the SDK would not retry it either; anything else is retried.
   */
  private async callUniversal(row: SchedulerDeliveryRow, universal: NonNullable<ReturnType<typeof parseUniversalTarget>>, payload: string): Promise<void> {
    if (!this.deps.callService) throw new Error('universal targets are not available in this server');
    let input: unknown;
    try {
      input = JSON.parse(payload);
    } catch {
      throw new PermanentTargetError('ValidationException', 'The target Input is not a JSON request.');
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new PermanentTargetError('ValidationException', 'The target Input is not a JSON object.');
    const scope = { accountId: row.account_id, region: row.region };
    try {
      const response = await this.deps.callService(universalRequest(universal, input as Record<string, unknown>, scope));
      if (response.status >= 400) throw errorOfResponse(response, `${universal.serviceKey}:${universal.action}`);
    } catch (err) {
      if (err instanceof AwsError && err.status >= 400 && err.status < 500 && err.status !== 429 && !/Throttl/.test(err.code)) throw new PermanentTargetError(err.code, err.message);
      throw err;
    }
  }

  /** The DLQ message: the payload the target received last (its attempt number too), with Scheduler's attributes. */
  private async deadLetter(row: SchedulerDeliveryRow, target: ScheduleTarget, err: unknown, attempts: number, exhausted: string | null): Promise<void> {
    const dlq = target.DeadLetterConfig?.Arn;
    const sink = dlq ? this.deps.sinks.forArn(dlq) : undefined;
    if (!dlq || !sink) return;
    const group = /:schedule\/([^/]+)\//.exec(row.schedule_arn)?.[1] ?? 'default';
    const attributes: Record<string, DeliveryAttribute> = {
      ERROR_CODE: { type: 'String', value: err instanceof PermanentTargetError ? err.code : 'TargetUnreachable' },
      ERROR_MESSAGE: { type: 'String', value: (err instanceof Error ? err.message : String(err)).slice(0, 1024) },
      TARGET_ARN: { type: 'String', value: target.Arn },
      RETRY_ATTEMPTS: { type: 'Number', value: String(attempts - 1) },
      'X-Amz-Scheduler-Attempt': { type: 'Number', value: String(attempts) },
      'X-Amz-Scheduler-Schedule-Arn': { type: 'String', value: row.schedule_arn },
      'X-Amz-Scheduler-Group': { type: 'String', value: group },
      ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: { type: 'String' as const, value: exhausted } } : {}),
    };
    await sink
      .deliver(dlq, { body: this.payloadOf(row, attempts), attributes, sentBy: { accountId: row.account_id, sourceArn: row.schedule_arn } })
      .catch((dlqErr: unknown) => this.deps.logger.warn({ err: dlqErr, schedule: row.schedule_arn }, 'schedule dead-letter queue not reached'));
  }
}
