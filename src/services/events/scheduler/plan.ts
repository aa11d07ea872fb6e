import { nextFiring, parseSchedulerExpression } from './expression.js';
import type { ScheduleDoc } from './model.js';

/**
 * When an enabled schedule fires next after `afterMs`: within [StartDate, EndDate], the zone
 * being ScheduleExpressionTimezone (UTC by default). Null: disabled, or it never fires again.
 * This is the start of the firing's flexible time window; `nextScheduledFiring` places the firing in it.
 */
export function nextFireAt(doc: ScheduleDoc, afterMs: number): number | null {
  if (doc.State !== 'ENABLED') return null;
  const expression = parseSchedulerExpression(doc.ScheduleExpression);
  if (!expression) return null;
  const zone = doc.ScheduleExpressionTimezone ?? 'UTC';
  const anchor = doc.StartDate ?? doc.CreationDate;
  const from = doc.StartDate !== undefined ? Math.max(afterMs, doc.StartDate - 1) : afterMs;
  const next = nextFiring(expression, zone, anchor, from);
  if (next === null || (doc.EndDate !== undefined && next > doc.EndDate)) return null;
  return next;
}

/** A firing: the start of its flexible time window (the scheduled time) and when it happens. */
export interface Firing {
  windowStart: number;
  fireAt: number;
}

/** The flexible time window's length (0 with Mode OFF). */
export function windowMs(doc: ScheduleDoc): number {
  return doc.FlexibleTimeWindow.Mode === 'FLEXIBLE' ? (doc.FlexibleTimeWindow.MaximumWindowInMinutes ?? 0) * 60_000 : 0;
}

/**
 * The next firing after `afterMs`: with Mode FLEXIBLE it happens at a uniformly random time within
 * [window start, window start + MaximumWindowInMinutes), as Scheduler spreads invocations.
 */
export function nextScheduledFiring(doc: ScheduleDoc, afterMs: number, random: () => number = Math.random): Firing | null {
  const windowStart = nextFireAt(doc, afterMs);
  if (windowStart === null) return null;
  return { windowStart, fireAt: windowStart + Math.floor(random() * windowMs(doc)) };
}
