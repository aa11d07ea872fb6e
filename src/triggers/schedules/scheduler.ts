import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/database.js';
import { ruleArn } from '../../services/events/arns.js';
import { storeScheduleTick } from '../../services/events/delivery/outbox.js';
import { eventTime, type EventEnvelope } from '../../services/events/model.js';
import { latestDueTick, nextTick, parseScheduleExpression, type Schedule } from '../../services/events/schedule/schedule-expression.js';
import { scheduleRules, type RuleRow } from '../../services/events/tables/rules.js';

/** Upper bound between passes, so new and changed rules are picked up well within their minute. */
const MAX_WAIT_MS = 5_000;

/**
 * Fires schedule rules. Each pass finds, per enabled schedule rule, the latest tick that is due and
 * has not fired, and stores its scheduled event with the rule's deliveries in the same transaction
 * that records the tick (see outbox.storeScheduleTick): each tick fires exactly once, across
 * restarts. After downtime only the most recent missed tick fires; older ones are skipped.
 */
export class ScheduleRunner {
  private timer: { cancel(): void } | null = null;
  private running = false;
  private closed = false;
  private readonly parsed = new Map<string, Schedule>();

  constructor(private readonly deps: { db: Store; clock: Clock; logger: Logger; onDeliveriesStored?: () => void }) {}

  start(): void {
    this.schedule(0);
  }

  /** A rule changed: look again now. */
  poke(): void {
    if (!this.running) this.schedule(0);
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    this.timer?.cancel();
    this.timer = this.deps.clock.setTimeout(() => void this.pass(), ms);
  }

  private scheduleOf(expression: string): Schedule {
    let schedule = this.parsed.get(expression);
    if (!schedule) {
      schedule = parseScheduleExpression(expression);
      this.parsed.set(expression, schedule);
    }
    return schedule;
  }

  private async pass(): Promise<void> {
    if (this.running || this.closed) return;
    this.running = true;
    let wait = MAX_WAIT_MS;
    try {
      const now = this.deps.clock.now();
      let fired = false;
      for (const rule of await scheduleRules(this.deps.db)) {
        if (this.closed) return;
        const schedule = this.scheduleOf(rule.schedule_expression!);
        const anchor = rule.schedule_anchor ?? rule.created_at;
        let after = rule.last_fired_tick ?? anchor;
        const due = latestDueTick(schedule, anchor, after, now);
        if (due !== null) {
          if (await storeScheduleTick(this.deps.db, rule, due, scheduledEvent(rule, due), now)) fired = true;
          after = due;
        }
        const next = nextTick(schedule, anchor, Math.max(after, now));
        if (next !== null) wait = Math.min(wait, Math.max(0, next - now));
      }
      if (fired) this.deps.onDeliveriesStored?.();
    } catch (err) {
      if (!this.closed) this.deps.logger.error({ err }, 'schedule pass failed');
    } finally {
      this.running = false;
      this.schedule(wait);
    }
  }
}

/** The scheduled-event shape (spec §4.8). */
export function scheduledEvent(rule: RuleRow, tick: number): EventEnvelope {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: rule.account_id,
    time: eventTime(tick),
    region: rule.region,
    resources: [ruleArn({ accountId: rule.account_id, region: rule.region }, rule.bus_name, rule.name)],
    detail: {},
  };
}
