import { AsyncInvokeRefused, type AsyncInvoker } from '../../../contracts/async-invoker.js';
import { DeliveryNotAllowed, type DeliverySinks } from '../../../contracts/delivery-sinks.js';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import type { Store } from '../../../store/database.js';
import type { QueueDrain } from '../../../store/queue/drain.js';
import { outboxDrain } from '../../../store/queue/outbox-drain.js';
import { DurableQueue } from '../../../store/queue/durable-queue.js';
import { ALARM_ACTION_MAX_ATTEMPTS, ALARM_ACTION_RETRY_FIRST_MS, ALARM_ACTION_RETRY_MAX_MS } from '../limits.js';
import { addHistory, alarmArn } from '../tables/alarms-table.js';
import { CW_ALARM_ACTIONS, type AlarmActionInsert, type AlarmActionMessage, type AlarmActionRow } from './alarm-action-outbox.js';

/** Actions handed on at once, at most: each is a publish or an enqueue, both quick. */
const MAX_IN_FLIGHT = 8;
/** An action being handed on is leased this long; only a crash lets one run out. */
const LEASE_MS = 60_000;

/** Why an attempt did not hand the action on: `final` records it as failed, otherwise it is tried again. */
class ActionFailed extends Error {
  constructor(message: string, readonly final: boolean) {
    super(message);
  }
}

/**
 * Hands the alarm action outbox on, a consumer of the durable queue: an SNS action publishes to
 * the topic (SNS stores its deliveries before it answers), a Lambda action queues an asynchronous
 * invoke; then the history records the action and the row is acked. At least once: a crash
 * between the hand-over and the ack hands it on again at the next start.
 */
export class AlarmActionDelivery {
  private readonly queue: DurableQueue<AlarmActionRow, AlarmActionInsert>;
  private readonly drain: QueueDrain<AlarmActionRow>;

  constructor(private readonly deps: { db: Store; clock: Clock; logger: Logger; sinks: DeliverySinks; asyncInvoker: AsyncInvoker }) {
    this.queue = new DurableQueue(deps.db, CW_ALARM_ACTIONS, deps.clock);
    this.drain = outboxDrain(this.queue, { name: 'alarm actions', logger: deps.logger, maxInFlight: MAX_IN_FLIGHT, leaseMs: LEASE_MS, handle: (row) => this.attempt(row) });
  }

  now(): number {
    return this.deps.clock.now();
  }

  /** Hands on what is due now: after a state change commits, and at start for what a crash left. */
  wake(): void {
    this.drain.wake();
  }

  /** Resolves once nothing due is left (tests). */
  idle(): Promise<void> {
    return this.drain.idle();
  }

  async close(): Promise<void> {
    await this.drain.stop(Number.POSITIVE_INFINITY);
  }

  private async attempt(row: AlarmActionRow): Promise<void> {
    const scope = { accountId: row.account_id, region: row.region };
    let summary: string;
    try {
      await this.handOn(row);
      summary = `Successfully executed action ${row.action_arn}`;
    } catch (err) {
      const failed = err instanceof ActionFailed ? err : new ActionFailed(err instanceof Error ? err.message : String(err), false);
      if (!failed.final && row.attempts + 1 < ALARM_ACTION_MAX_ATTEMPTS) {
        const delay = Math.min(ALARM_ACTION_RETRY_MAX_MS, ALARM_ACTION_RETRY_FIRST_MS * 2 ** row.attempts);
        await this.queue.retryAt(row.id, this.deps.clock.now() + delay, { attempts: row.attempts + 1, last_error: failed.message });
        return;
      }
      this.deps.logger.warn({ err, alarm: row.alarm_name, action: row.action_arn }, 'alarm action failed');
      summary = `Failed to execute action ${row.action_arn}. Received error: "${failed.message}"`;
    }
    await addHistory(this.deps.db, scope, {
      alarmName: row.alarm_name,
      timestamp: row.state_updated_at,
      type: 'Action',
      summary,
      data: JSON.stringify({
        actionState: summary.startsWith('Successfully') ? 'Succeeded' : 'Failed',
        stateUpdateTimestamp: row.state_updated_at,
        notificationResource: row.action_arn,
      }),
    });
    await this.queue.ack([row.id]);
  }

  private async handOn(row: AlarmActionRow): Promise<void> {
    const scope = { accountId: row.account_id, region: row.region };
    const sourceArn = alarmArn(scope, row.alarm_name);
    const message = JSON.parse(row.message) as AlarmActionMessage;
    if (message.kind === 'sns') {
      const sink = this.deps.sinks.get('sns');
      if (!sink) throw new ActionFailed('SNS is not running', false);
      if (!(await sink.exists(row.action_arn))) throw new ActionFailed(`topic ${row.action_arn} does not exist`, true);
      try {
        await sink.deliver(row.action_arn, { body: message.message, subject: message.subject, sentBy: { principalService: 'cloudwatch.amazonaws.com', sourceArn, accountId: row.account_id } });
      } catch (err) {
        // Another account's topic whose policy does not allow CloudWatch: recorded as a failed action.
        if (err instanceof DeliveryNotAllowed) throw new ActionFailed(err.message, true);
        throw err;
      }
      return;
    }
    try {
      await this.deps.asyncInvoker.enqueue({
        accountId: row.account_id,
        region: row.region,
        functionName: row.action_arn,
        payload: Buffer.from(JSON.stringify(message.event)),
        caller: { principalService: 'lambda.alarms.cloudwatch.amazonaws.com', sourceArn, sourceAccount: row.account_id },
      });
    } catch (err) {
      // The function is gone or does not let CloudWatch invoke it: AWS records the action as failed.
      if (err instanceof AsyncInvokeRefused) throw new ActionFailed(err.message, true);
      throw err;
    }
  }
}
