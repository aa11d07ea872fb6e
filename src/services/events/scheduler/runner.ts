import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../clock.js';
import type { Logger } from '../../../logger.js';
import type { ScheduleDoc } from './model.js';
import { nextScheduledFiring, windowMs } from './plan.js';
import type { SchedulerStore, Scope } from './store.js';

/** Upper bound between passes; a write wakes the runner at once. */
const MAX_WAIT_MS = 30_000;

/**
 * Fires due schedules. A firing is claimed by moving the schedule's next_fire_at forward (only if
 * nobody did meanwhile) in the transaction that stores its delivery (delivery.ts): each firing
 * happens once, across passes, restarts and nodes. After downtime only the latest missed firing
 * happens. A one-time schedule (or one past its EndDate) with ActionAfterCompletion DELETE is
 * deleted after its last firing.
 */
export class SchedulerRunner {
  private timer: { cancel(): void } | null = null;
  private running = false;
  private again = false;
  private closed = false;

  constructor(private readonly deps: { store: SchedulerStore; clock: Clock; logger: Logger; onFired: () => void }) {}

  start(): void {
    this.wake();
  }

  /** A schedule changed: look again now. */
  wake(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.arm(0);
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
  }

  private arm(ms: number): void {
    if (this.closed) return;
    this.timer?.cancel();
    this.timer = this.deps.clock.setTimeout(() => void this.pass(), ms);
  }

  private async pass(): Promise<void> {
    if (this.running || this.closed) return;
    this.running = true;
    this.again = false;
    let wait = MAX_WAIT_MS;
    try {
      const now = this.deps.clock.now();
      for (const { scope, doc, nextFireAt: due, windowStart } of await this.deps.store.due(now)) {
        if (this.closed) return;
        // Missed firings are not caught up one by one: the next window is the first to start
        // after now, less the window's length (so a firing late in its window does not skip the next).
        const next = nextScheduledFiring(doc, Math.max(windowStart, now - windowMs(doc)));
        if (!(await this.deps.store.claim(scope, doc.GroupName, doc.Name, due, next, this.delivery(scope, doc, windowStart, now), now))) continue;
        this.deps.onFired();
        if (next === null && doc.ActionAfterCompletion === 'DELETE') await this.deps.store.deleteSchedule(scope, doc.GroupName, doc.Name);
      }
      const earliest = await this.deps.store.earliest();
      if (earliest !== null) wait = Math.min(wait, Math.max(0, earliest - this.deps.clock.now()));
    } catch (err) {
      if (!this.closed) this.deps.logger.error({ err }, 'scheduler pass failed');
    } finally {
      this.running = false;
      this.arm(this.again ? 0 : wait);
    }
  }

  /** The firing's delivery: the target's Input (`{}` without one), delivered by SchedulerDelivery. */
  private delivery(scope: Scope, doc: ScheduleDoc, windowStart: number, now: number) {
    return {
      id: randomUUID(),
      account_id: scope.accountId,
      region: scope.region,
      schedule_arn: doc.Arn,
      target: JSON.stringify(doc.Target),
      payload: doc.Target.Input ?? '{}',
      window_start_at: windowStart,
      attempts: 0,
      created_at: now,
      last_error: null,
    };
  }
}
