import { arnServiceOf, type DeliveryAttribute } from '../../../contracts/delivery-sinks.js';
import { AsyncInvokeRefused } from '../../../contracts/async-invoker.js';
import type { EventsDeliveriesTable } from '../../../store/schema.js';
import type { EventsDeps } from '../deps.js';
import { DEFAULT_MAXIMUM_EVENT_AGE_SECONDS, DEFAULT_MAXIMUM_RETRY_ATTEMPTS, RETRY_BASE_MS, RETRY_MAX_MS } from '../limits.js';
import type { Target } from '../model.js';
import type { StoredEnvelope } from './outbox.js';

/** A failure that retrying cannot fix (the function is missing or does not allow EventBridge). */
class PermanentDeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const BATCH = 25;
/** A delivery being attempted is leased this long; a crash mid-attempt redelivers after it (at-least-once). */
const LEASE_MS = 60_000;
/** Idle polling bound: stored deliveries are normally announced by `kick()`. */
const IDLE_POLL_MS = 5_000;

/**
 * Delivers the outbox: each stored delivery goes to its target (Lambda by asynchronous invoke,
 * everything else through the DeliverySinks), is retried with exponential back-off within the
 * target's RetryPolicy, and then goes to the target's dead-letter queue.
 */
export class DeliveryDispatcher {
  private timer: { cancel(): void } | null = null;
  private running = false;
  private again = false;
  private closed = false;

  constructor(private readonly deps: EventsDeps) {}

  start(): void {
    this.schedule(0);
  }

  /** New deliveries were stored: run now. */
  kick(): void {
    if (this.closed) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    this.timer?.cancel();
    this.timer = this.deps.clock.setTimeout(() => void this.run(), ms);
  }

  private async run(): Promise<void> {
    if (this.running || this.closed) return;
    this.running = true;
    let wait = IDLE_POLL_MS;
    try {
      do {
        this.again = false;
        const now = this.deps.clock.now();
        const due = await this.deps.db.selectFrom('events_deliveries').selectAll().where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(BATCH).execute();
        if (due.length > 0) {
          await this.deps.db.updateTable('events_deliveries').set({ next_attempt_at: now + LEASE_MS }).where('id', 'in', due.map((d) => d.id)).execute();
          await Promise.all(due.map((row) => this.attempt(row)));
          if (due.length === BATCH) this.again = true;
        }
      } while (this.again && !this.closed);
      const next = await this.deps.db.selectFrom('events_deliveries').select((eb) => eb.fn.min('next_attempt_at').as('at')).executeTakeFirst();
      if (next?.at !== null && next?.at !== undefined) wait = Math.min(IDLE_POLL_MS, Math.max(0, Number(next.at) - this.deps.clock.now()));
    } catch (err) {
      if (!this.closed) this.deps.logger.error({ err }, 'events delivery pass failed');
    } finally {
      this.running = false;
      this.schedule(this.again ? 0 : wait);
    }
  }

  private async attempt(row: EventsDeliveriesTable): Promise<void> {
    const target = JSON.parse(row.target) as Target;
    try {
      await this.deliver(row, target);
      await this.deps.db.deleteFrom('events_deliveries').where('id', '=', row.id).execute();
    } catch (err) {
      if (this.closed) return;
      await this.failed(row, target, err);
    }
  }

  private async deliver(row: EventsDeliveriesTable, target: Target): Promise<void> {
    const service = arnServiceOf(target.Arn);
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
      // AWS does not retry a target that no longer exists: the event goes straight to the DLQ.
      const exists = await sink.exists(target.Arn).catch(() => true);
      if (!exists) throw new PermanentDeliveryError('ResourceNotFoundException', err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  private async failed(row: EventsDeliveriesTable, target: Target, err: unknown): Promise<void> {
    const now = this.deps.clock.now();
    const attempts = row.attempts + 1;
    const message = err instanceof Error ? err.message : String(err);
    const maxRetries = target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
    const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000;
    const backoff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempts - 1));
    const exhausted = err instanceof PermanentDeliveryError ? null : attempts > maxRetries ? 'MaximumRetryAttempts' : now + backoff - row.created_at > maxAgeMs ? 'MaximumEventAgeInSeconds' : undefined;
    if (exhausted === undefined) {
      await this.deps.db.updateTable('events_deliveries').set({ attempts, next_attempt_at: now + backoff, last_error: message }).where('id', '=', row.id).execute();
      return;
    }
    await this.deadLetter(row, target, err, attempts, exhausted);
    await this.deps.db.deleteFrom('events_deliveries').where('id', '=', row.id).execute();
  }

  /** AWS's DLQ message: the event as the target would have received it, with the failure in attributes. */
  private async deadLetter(row: EventsDeliveriesTable, target: Target, err: unknown, attempts: number, exhausted: string | null): Promise<void> {
    const dlq = target.DeadLetterConfig?.Arn;
    const code = err instanceof PermanentDeliveryError ? err.code : 'DeliveryFailed';
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
    } catch (dlqErr) {
      this.deps.logger.warn({ err: dlqErr, dlq, ruleArn: row.rule_arn }, 'events dead-letter delivery failed; event dropped');
    }
  }
}
