import { arnServiceOf, DeliveryNotAllowed, type DeliveryAttribute } from '../../../contracts/delivery-sinks.js';
import { AsyncInvokeRefused } from '../../../contracts/async-invoker.js';
import { QueueDrain } from '../../../store/queue/drain.js';
import { DurableQueue } from '../../../store/queue/durable-queue.js';
import type { EventsDeps } from '../deps.js';
import type { Target } from '../model.js';
import { EVENTS_DELIVERIES, type EventsDeliveryRow, type StoredEnvelope } from './outbox.js';
import { exhaustedCondition, retryDelayMs } from './retry-schedule.js';
import { ApiDestinationFailure, ApiDestinationInvoker, InvocationRateLimited } from '../api-destinations/invoke.js';
import { InvocationRateLimiter } from '../api-destinations/rate-limiter.js';

/** A failure that retrying cannot fix (the function is missing or does not allow EventBridge). */
class PermanentDeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Deliveries attempted at once. */
const BATCH = 25;
/** A delivery being attempted is leased this long; a crash mid-attempt redelivers after it (at-least-once). */
const LEASE_MS = 60_000;
/** Idle polling bound: stored deliveries are normally announced by `kick()`. */
const IDLE_POLL_MS = 5_000;

/**
 * Delivers the outbox, a consumer of the durable queue: each stored delivery goes to its target
 * (Lambda by asynchronous invoke, everything else through the DeliverySinks), is retried with
 * exponential back-off within the target's RetryPolicy, and then goes to the target's
 * dead-letter queue.
 */
export class DeliveryDispatcher {
  private readonly queue: DurableQueue<EventsDeliveryRow>;
  private readonly drain: QueueDrain<EventsDeliveryRow>;
  private readonly apiDestinations: ApiDestinationInvoker;

  constructor(private readonly deps: EventsDeps) {
    this.queue = new DurableQueue(deps.db, EVENTS_DELIVERIES, deps.clock);
    this.apiDestinations = new ApiDestinationInvoker({ db: deps.db, clock: deps.clock, tokens: deps.oauthTokens, limiter: new InvocationRateLimiter(deps.clock) });
    this.drain = new QueueDrain<EventsDeliveryRow>({
      name: 'events delivery',
      table: EVENTS_DELIVERIES.name,
      clock: deps.clock,
      logger: deps.logger,
      maxInFlight: BATCH,
      lease: (limit) => this.queue.lease(limit, LEASE_MS),
      idOf: (row) => row.id,
      nextVisibleAt: () => this.queue.nextVisibleAt(),
      handle: (row) => this.attempt(row),
      pollMs: IDLE_POLL_MS,
    });
  }

  start(): void {
    this.drain.start();
  }

  /** New deliveries were stored: run now. */
  kick(): void {
    this.drain.wake();
  }

  close(): void {
    this.drain.stopLeasing();
  }

  private async attempt(row: EventsDeliveryRow): Promise<void> {
    const target = JSON.parse(row.target) as Target;
    try {
      await this.deliver(row, target);
      await this.queue.ack([row.id]);
      this.recordRuleMetric(row, 'Invocations');
    } catch (err) {
      // Shutting down: the lease runs out and the delivery is attempted again after the restart.
      if (this.drain.stopping) return;
      if (err instanceof InvocationRateLimited) {
        await this.queue.retryAt(row.id, this.deps.clock.now() + err.waitMs);
        return;
      }
      await this.failed(row, target, err);
    }
  }

  private async deliver(row: EventsDeliveryRow, target: Target): Promise<void> {
    const service = arnServiceOf(target.Arn);
    if (target.Arn.includes(':api-destination/')) {
      const envelope = row.envelope ? (JSON.parse(row.envelope) as StoredEnvelope) : undefined;
      try {
        await this.apiDestinations.invoke(target.Arn, row.payload, envelope?.http);
      } catch (err) {
        if (err instanceof ApiDestinationFailure && !err.retryable) throw new PermanentDeliveryError(err.code, err.message);
        throw err;
      }
      return;
    }
    if (service === 'lambda') {
      if (!this.deps.asyncInvoker) throw new Error('asynchronous invocation is not available in this server');
      try {
        await this.deps.asyncInvoker.enqueue({
          accountId: row.account_id,
          region: row.region,
          functionName: target.Arn,
          payload: Buffer.from(row.payload),
          caller: { principalService: 'events.amazonaws.com', sourceArn: row.rule_arn, sourceAccount: row.account_id },
        });
      } catch (err) {
        if (err instanceof AsyncInvokeRefused) throw new PermanentDeliveryError(err.reason, err.message);
        throw err;
      }
      return;
    }
    const sink = this.deps.sinks.forArn(target.Arn);
    if (!sink) throw new Error(`no delivery sink for ${service ?? target.Arn}`);
    const envelope = row.envelope ? (JSON.parse(row.envelope) as StoredEnvelope) : undefined;
    const body = service === 'events' && envelope?.forwardsEvent ? JSON.stringify((JSON.parse(row.payload) as { detail: unknown }).detail) : row.payload;
    try {
      await sink.deliver(target.Arn, {
        body,
        ...(service === 'events' && envelope ? { event: { source: envelope.source, detailType: envelope.detailType, resources: envelope.resources } } : {}),
        ...(target.SqsParameters?.MessageGroupId ? { messageGroupId: target.SqsParameters.MessageGroupId } : {}),
        sentBy: { principalService: 'events.amazonaws.com', sourceArn: row.rule_arn, accountId: row.account_id },
      });
    } catch (err) {
      // Nor one whose resource policy refuses EventBridge (a queue policy without events.amazonaws.com).
      if (err instanceof DeliveryNotAllowed) throw new PermanentDeliveryError('NO_PERMISSIONS', err.message);
      // AWS does not retry a target that no longer exists: the event goes straight to the DLQ.
      const exists = await sink.exists(target.Arn).catch(() => true);
      if (!exists) throw new PermanentDeliveryError('ResourceNotFoundException', err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  private async failed(row: EventsDeliveryRow, target: Target, err: unknown): Promise<void> {
    const attempts = row.attempts + 1;
    const retryAt = this.deps.clock.now() + retryDelayMs(attempts);
    const exhausted = err instanceof PermanentDeliveryError ? null : exhaustedCondition(target.RetryPolicy, attempts, row.created_at, retryAt);
    if (exhausted === undefined) {
      await this.queue.retryAt(row.id, retryAt, { attempts, last_error: err instanceof Error ? err.message : String(err) });
      return;
    }
    await this.deadLetter(row, target, err, attempts, exhausted);
    await this.queue.ack([row.id]);
    this.recordRuleMetric(row, 'FailedInvocations');
  }

  /** `AWS/Events` per `RuleName` and for the account: a target invoked, or given up on. */
  private recordRuleMetric(row: EventsDeliveryRow, metricName: 'Invocations' | 'FailedInvocations' | 'InvocationsSentToDLQ' | 'InvocationsFailedToBeSentToDLQ'): void {
    const metrics = this.deps.metrics;
    if (!metrics) return;
    const ruleName = row.rule_arn.slice(row.rule_arn.lastIndexOf('/') + 1);
    const base = { accountId: row.account_id, region: row.region, namespace: 'AWS/Events', metricName, value: 1, unit: 'Count' };
    metrics.record({ ...base, dimensions: { RuleName: ruleName } });
    metrics.record(base);
  }

  /** AWS's DLQ message: the event as the target would have received it, with the failure in attributes. */
  private async deadLetter(row: EventsDeliveryRow, target: Target, err: unknown, attempts: number, exhausted: string | null): Promise<void> {
    const dlq = target.DeadLetterConfig?.Arn;
    const code = err instanceof PermanentDeliveryError || err instanceof ApiDestinationFailure ? err.code : 'DeliveryFailed';
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 1024);
    if (!dlq) {
      this.deps.logger.warn({ ruleArn: row.rule_arn, target: target.Arn, code, message }, 'events delivery dropped after retries');
      return;
    }
    const attributes: Record<string, DeliveryAttribute> = {
      RULE_ARN: { type: 'String', value: row.rule_arn },
      TARGET_ARN: { type: 'String', value: target.Arn },
      ERROR_CODE: { type: 'String', value: code },
      ERROR_MESSAGE: { type: 'String', value: message },
      RETRY_ATTEMPTS: { type: 'Number', value: String(attempts - 1) },
      ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: { type: 'String' as const, value: exhausted } } : {}),
    };
    try {
      const sink = this.deps.sinks.forArn(dlq);
      if (!sink) throw new Error(`no delivery sink for ${dlq}`);
      await sink.deliver(dlq, { body: row.payload, attributes, sentBy: { principalService: 'events.amazonaws.com', sourceArn: row.rule_arn, accountId: row.account_id } });
      this.recordRuleMetric(row, 'InvocationsSentToDLQ');
    } catch (dlqErr) {
      // A DLQ whose policy does not allow EventBridge, or that is gone: AWS counts it and drops the event.
      this.recordRuleMetric(row, 'InvocationsFailedToBeSentToDLQ');
      this.deps.logger.warn({ err: dlqErr, dlq, ruleArn: row.rule_arn }, 'events dead-letter delivery failed; event dropped');
    }
  }
}
