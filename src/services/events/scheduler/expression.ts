import { nextCronTime, parseCron, type CronSchedule } from '../schedule/cron.js';
import { CronSyntaxError } from '../schedule/cron-fields.js';
import { fromLocal, toLocal } from './zone-time.js';

/** A Scheduler `ScheduleExpression`: `at(…)` once, `rate(…)` from the start, `cron(…)` in the schedule's zone. */
export type SchedulerExpression =
  | { kind: 'at'; localMs: number }
  | { kind: 'rate'; periodMs: number }
  | { kind: 'cron'; cron: CronSchedule };

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Parses an expression; undefined when AWS would reject it. */
export function parseSchedulerExpression(expression: string): SchedulerExpression | undefined {
  const at = AT.exec(expression);
  if (at) {
    const [y, mo, d, h, mi, s] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    const localMs = Date.UTC(y, mo - 1, d, h, mi, s);
    const check = new Date(localMs);
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
    return { kind: 'at', localMs };
  }
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]!;
    // As EventBridge: `rate(1 hour)` but `rate(5 hours)`.
    if (value < 1 || unit.endsWith('s') === (value === 1)) return undefined;
    return { kind: 'rate', periodMs: value * UNIT_MS[unit.replace(/s$/, '')]! };
  }
  const cron = CRON.exec(expression);
  if (cron) {
    try {
      return { kind: 'cron', cron: parseCron(cron[1]!) };
    } catch (err) {
      if (err instanceof CronSyntaxError) return undefined;
      throw err;
    }
  }
  return undefined;
}

/**
 * The first firing strictly after `afterMs` (epoch ms), or null when there is none. `anchorMs` is
 * where a rate counts from (StartDate, else creation). Cron and at() read wall-clock time in
 * `zone`; as AWS documents for daylight saving time, a local time the spring change skips does
 * not fire, and one the fall change repeats fires once (its first occurrence).
 */
export function nextFiring(expression: SchedulerExpression, zone: string, anchorMs: number, afterMs: number): number | null {
  if (expression.kind === 'rate') {
    // A start date still ahead is the first firing; from creation, the first is one period later.
    if (anchorMs > afterMs) return anchorMs;
    const k = Math.max(1, Math.floor((afterMs - anchorMs) / expression.periodMs) + 1);
    return anchorMs + k * expression.periodMs;
  }
  if (expression.kind === 'at') {
    const instant = fromLocal(expression.localMs, zone)[0];
    return instant !== undefined && instant > afterMs ? instant : null;
  }
  let localAfter = toLocal(afterMs, zone);
  // Bounded: a run of skipped local times ends within the next day.
  for (let i = 0; i < 2000; i++) {
    const local = nextCronTime(expression.cron, localAfter);
    if (local === null) return null;
    const instant = fromLocal(local, zone).find((u) => u > afterMs);
    if (instant !== undefined) return instant;
    localAfter = local;
  }
  return null;
}
