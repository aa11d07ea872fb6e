import { CronSyntaxError } from './cron-fields.js';
import { nextCronTime, parseCron, type CronSchedule } from './cron.js';

/** A rule's `ScheduleExpression`, parsed. */
export type Schedule = { kind: 'rate'; periodMs: number } | { kind: 'cron'; cron: CronSchedule };

export class InvalidScheduleExpression extends Error {}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Parses `rate(...)` or `cron(...)`; throws InvalidScheduleExpression for anything AWS rejects. */
export function parseScheduleExpression(expression: string): Schedule {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]!;
    const singular = !unit.endsWith('s');
    // AWS: `rate(1 hour)` but `rate(5 hours)`; the wrong number is rejected.
    if (value < 1 || singular !== (value === 1)) throw new InvalidScheduleExpression(expression);
    return { kind: 'rate', periodMs: value * UNIT_MS[singular ? unit : unit.slice(0, -1)]! };
  }
  const cron = CRON.exec(expression);
  if (cron) {
    try {
      return { kind: 'cron', cron: parseCron(cron[1]!) };
    } catch (err) {
      if (err instanceof CronSyntaxError) throw new InvalidScheduleExpression(expression);
      throw err;
    }
  }
  throw new InvalidScheduleExpression(expression);
}

/**
 * The first tick strictly after `afterMs`. Rate schedules tick at `anchorMs + k × period` (AWS
 * counts from the rule's creation, to the minute); cron ticks are calendar minutes in UTC.
 */
export function nextTick(schedule: Schedule, anchorMs: number, afterMs: number): number | null {
  if (schedule.kind === 'cron') return nextCronTime(schedule.cron, afterMs);
  const anchor = Math.floor(anchorMs / 60_000) * 60_000;
  if (afterMs < anchor) return anchor + schedule.periodMs;
  const k = Math.floor((afterMs - anchor) / schedule.periodMs) + 1;
  return anchor + k * schedule.periodMs;
}

/** The latest tick at or before `nowMs` that is after `afterMs`, or null. Used to fire at most once after downtime. */
export function latestDueTick(schedule: Schedule, anchorMs: number, afterMs: number, nowMs: number): number | null {
  const tick = nextTick(schedule, anchorMs, afterMs);
  if (tick === null || tick > nowMs) return null;
  if (schedule.kind === 'rate') {
    const anchor = Math.floor(anchorMs / 60_000) * 60_000;
    return anchor + Math.floor((nowMs - anchor) / schedule.periodMs) * schedule.periodMs;
  }
  // Cron: walk forward from a recent window first, so a long downtime does not walk every minute since.
  for (const window of [3_600_000, 86_400_000, 32 * 86_400_000, 367 * 86_400_000, Infinity]) {
    const from = Math.max(afterMs, nowMs - window);
    let candidate = from === afterMs ? tick : nextCronTime(schedule.cron, from);
    if (candidate === null || candidate > nowMs) continue;
    for (;;) {
      const next = nextCronTime(schedule.cron, candidate);
      if (next === null || next > nowMs) return candidate;
      candidate = next;
    }
  }
  return tick;
}
