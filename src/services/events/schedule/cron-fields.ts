/**
 * Parsing of AWS `cron()` fields into sets of allowed values. AWS's dialect (Quartz-like):
 * day-of-week 1–7 with 1 = SUN, names, ranges that may wrap (`FRI-MON`, `22-2`), steps
 * (`0/15`, `*\/5`, `10-50/10`), and the day specials `L`, `W`, `#` handled in cron.ts.
 */
export class CronSyntaxError extends Error {}

export interface FieldRange {
  min: number;
  max: number;
  names?: readonly string[];
}

export const MINUTES: FieldRange = { min: 0, max: 59 };
export const HOURS: FieldRange = { min: 0, max: 23 };
export const DAYS_OF_MONTH: FieldRange = { min: 1, max: 31 };
export const MONTHS: FieldRange = { min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] };
export const DAYS_OF_WEEK: FieldRange = { min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] };
export const YEARS: FieldRange = { min: 1970, max: 2199 };

/** One value: a number in range or (for months/days of week) a three-letter name. */
export function parseValue(text: string, range: FieldRange): number {
  let n: number;
  if (/^\d+$/.test(text)) n = Number(text);
  else {
    const index = range.names?.indexOf(text.toUpperCase()) ?? -1;
    if (index < 0) throw new CronSyntaxError(`bad value ${text}`);
    n = range.min + index;
  }
  if (n < range.min || n > range.max) throw new CronSyntaxError(`${text} out of range`);
  return n;
}

/** A comma list of `*`, values, ranges and steps into the set of values it allows. */
export function parseValueList(field: string, range: FieldRange): Set<number> {
  const out = new Set<number>();
  for (const item of field.split(',')) {
    for (const n of parseItem(item, range)) out.add(n);
  }
  return out;
}

function parseItem(item: string, range: FieldRange): number[] {
  const [base, stepText, extra] = item.split('/');
  if (base === undefined || base === '' || extra !== undefined) throw new CronSyntaxError(`bad item ${item}`);
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new CronSyntaxError(`bad step ${item}`);
    step = Number(stepText);
  }
  let start: number;
  let end: number;
  if (base === '*') {
    start = range.min;
    end = range.max;
  } else if (base.includes('-')) {
    const [a, b, more] = base.split('-');
    if (a === undefined || b === undefined || more !== undefined) throw new CronSyntaxError(`bad range ${item}`);
    start = parseValue(a, range);
    end = parseValue(b, range);
  } else {
    start = parseValue(base, range);
    // `a/step` runs from a to the end of the range; a bare value is just itself.
    end = stepText === undefined ? start : range.max;
  }
  const span = range.max - range.min + 1;
  const length = end >= start ? end - start + 1 : end + span - start + 1;
  const values: number[] = [];
  for (let offset = 0; offset < length; offset += step) {
    values.push(((start - range.min + offset) % span) + range.min);
  }
  return values;
}
