import {
  CronSyntaxError,
  DAYS_OF_MONTH,
  DAYS_OF_WEEK,
  HOURS,
  MINUTES,
  MONTHS,
  parseValue,
  parseValueList,
  YEARS,
} from './cron-fields.js';

// Why our own evaluator rather than `cron-parser` (npm): its six-field form is seconds + the five
// classic fields, so AWS's year field would be read as minutes; its day-of-week is 0–7 with 0 =
// Sunday where AWS has 1–7 with 1 = Sunday; it has no `?` semantics of "exactly one day field".
// Translating AWS expressions into its dialect would need a parser of its own anyway.

/** A parsed six-field AWS cron expression (UTC). */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  years: Set<number>;
  /** Which days of a month fire; exactly one of day-of-month / day-of-week decides. */
  dayRule: DayRule;
}

type DayRule =
  | { field: 'day-of-month'; days: Set<number>; last: boolean; lastWeekday: boolean; nearestWeekday: number[] }
  | { field: 'day-of-week'; weekdays: Set<number>; lastOf: number[]; nth: { weekday: number; n: number } | null };

/** Parses the inside of `cron(...)`; throws CronSyntaxError on anything AWS rejects. */
export function parseCron(body: string): CronSchedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw new CronSyntaxError('cron needs six fields');
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) throw new CronSyntaxError('exactly one of day-of-month and day-of-week must be ?');
  return {
    minutes: parseValueList(min, MINUTES),
    hours: parseValueList(hour, HOURS),
    months: parseValueList(month, MONTHS),
    years: parseValueList(year, YEARS),
    dayRule: dom === '?' ? parseDayOfWeek(dow) : parseDayOfMonth(dom),
  };
}

function parseDayOfMonth(field: string): DayRule {
  const rule = { field: 'day-of-month' as const, days: new Set<number>(), last: false, lastWeekday: false, nearestWeekday: [] as number[] };
  for (const item of field.split(',')) {
    if (item === 'L') rule.last = true;
    else if (item === 'LW') rule.lastWeekday = true;
    else if (/^\d+W$/.test(item)) rule.nearestWeekday.push(parseValue(item.slice(0, -1), DAYS_OF_MONTH));
    else for (const d of parseValueList(item, DAYS_OF_MONTH)) rule.days.add(d);
  }
  return rule;
}

function parseDayOfWeek(field: string): DayRule {
  const rule = { field: 'day-of-week' as const, weekdays: new Set<number>(), lastOf: [] as number[], nth: null as { weekday: number; n: number } | null };
  const items = field.split(',');
  for (const item of items) {
    if (item.includes('#')) {
      // AWS allows a single `#` expression, and nothing else beside it.
      if (items.length > 1) throw new CronSyntaxError('only one # expression allowed');
      const [weekday, n] = item.split('#') as [string, string | undefined];
      if (n === undefined || !/^[1-5]$/.test(n)) throw new CronSyntaxError(`bad # ${item}`);
      rule.nth = { weekday: parseValue(weekday, DAYS_OF_WEEK), n: Number(n) };
    } else if (item === 'L') {
      rule.weekdays.add(7);
    } else if (/^\w+L$/.test(item)) {
      rule.lastOf.push(parseValue(item.slice(0, -1), DAYS_OF_WEEK));
    } else {
      for (const d of parseValueList(item, DAYS_OF_WEEK)) rule.weekdays.add(d);
    }
  }
  return rule;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The first firing time strictly after `afterMs` (epoch ms, UTC), or null when it never fires again. */
export function nextCronTime(schedule: CronSchedule, afterMs: number): number | null {
  const start = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  let day = new Date(Math.floor(start / DAY_MS) * DAY_MS);
  while (day.getUTCFullYear() <= YEARS.max) {
    const year = day.getUTCFullYear();
    const month = day.getUTCMonth() + 1;
    if (!schedule.years.has(year)) {
      day = new Date(Date.UTC(year + 1, 0, 1));
      continue;
    }
    if (!schedule.months.has(month)) {
      day = new Date(Date.UTC(year, month, 1));
      continue;
    }
    if (dayMatches(schedule.dayRule, year, month, day.getUTCDate())) {
      const time = firstTimeOfDay(schedule, day.getTime(), start);
      if (time !== null) return time;
    }
    day = new Date(day.getTime() + DAY_MS);
  }
  return null;
}

function firstTimeOfDay(schedule: CronSchedule, dayStart: number, notBefore: number): number | null {
  for (let h = 0; h < 24; h++) {
    if (!schedule.hours.has(h)) continue;
    for (let m = 0; m < 60; m++) {
      if (!schedule.minutes.has(m)) continue;
      const t = dayStart + h * 3_600_000 + m * MINUTE_MS;
      if (t >= notBefore) return t;
    }
  }
  return null;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 1 = Sunday … 7 = Saturday, AWS's numbering. */
function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function dayMatches(rule: DayRule, year: number, month: number, day: number): boolean {
  const monthLength = daysInMonth(year, month);
  if (rule.field === 'day-of-month') {
    if (rule.days.has(day) || (rule.last && day === monthLength)) return true;
    if (rule.lastWeekday && day === nearestWeekday(year, month, monthLength, monthLength)) return true;
    return rule.nearestWeekday.some((target) => target <= monthLength && nearestWeekday(year, month, target, monthLength) === day);
  }
  const weekday = weekdayOf(year, month, day);
  if (rule.weekdays.has(weekday)) return true;
  if (rule.lastOf.includes(weekday) && day + 7 > monthLength) return true;
  return rule.nth !== null && rule.nth.weekday === weekday && Math.ceil(day / 7) === rule.nth.n;
}

/** `nW`: the weekday nearest to day n, never leaving the month (Quartz semantics). */
function nearestWeekday(year: number, month: number, target: number, monthLength: number): number {
  const weekday = weekdayOf(year, month, target);
  if (weekday === 7) return target === 1 ? 3 : target - 1; // Saturday → Friday, or Monday the 3rd
  if (weekday === 1) return target === monthLength ? target - 2 : target + 1; // Sunday → Monday, or Friday
  return target;
}

export { CronSyntaxError };
