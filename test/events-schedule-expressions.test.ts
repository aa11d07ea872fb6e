import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvalidScheduleExpression,
  latestDueTick,
  nextTick,
  parseScheduleExpression,
} from '../src/services/events/schedule/schedule-expression.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace('.000Z', 'Z'));

/** The next `count` firing times after `from`. */
function fires(expression: string, from: string, count = 1): Array<string | null> {
  const schedule = parseScheduleExpression(expression);
  const out: Array<string | null> = [];
  let t: number | null = at(from);
  for (let i = 0; i < count && t !== null; i++) {
    t = nextTick(schedule, 0, t);
    out.push(iso(t));
  }
  return out;
}

describe('cron() next firing time', () => {
  const cases: Array<[string, string, string[]]> = [
    ['cron(0 10 * * ? *)', '2026-01-05T10:00:00Z', ['2026-01-06T10:00:00Z', '2026-01-07T10:00:00Z']],
    ['cron(0/15 * * * ? *)', '2026-01-05T10:07:30Z', ['2026-01-05T10:15:00Z', '2026-01-05T10:30:00Z', '2026-01-05T10:45:00Z', '2026-01-05T11:00:00Z']],
    ['cron(0 18 ? * MON-FRI *)', '2026-01-09T18:00:00Z', ['2026-01-12T18:00:00Z', '2026-01-13T18:00:00Z']], // Fri → Mon
    ['cron(0 9 ? * 2#1 *)', '2026-01-01T00:00:00Z', ['2026-01-05T09:00:00Z', '2026-02-02T09:00:00Z', '2026-03-02T09:00:00Z']], // first Monday
    ['cron(0 9 ? * 3#2 *)', '2026-01-01T00:00:00Z', ['2026-01-13T09:00:00Z']], // second Tuesday
    ['cron(0 9 ? * 6#5 *)', '2026-01-01T00:00:00Z', ['2026-01-30T09:00:00Z', '2026-05-29T09:00:00Z']], // fifth Friday: only some months
    ['cron(15 10 ? * 6L 2019-2022)', '2019-01-01T00:00:00Z', ['2019-01-25T10:15:00Z', '2019-02-22T10:15:00Z']], // last Friday
    ['cron(15 10 ? * 6L 2019-2022)', '2022-12-31T00:00:00Z', []], // year range ended
    ['cron(0 0 L * ? *)', '2026-01-15T00:00:00Z', ['2026-01-31T00:00:00Z', '2026-02-28T00:00:00Z', '2026-03-31T00:00:00Z', '2026-04-30T00:00:00Z']],
    ['cron(0 0 L 2 ? *)', '2027-03-01T00:00:00Z', ['2028-02-29T00:00:00Z', '2029-02-28T00:00:00Z']], // leap year
    ['cron(0 0 29 2 ? *)', '2026-01-01T00:00:00Z', ['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z']],
    ['cron(0 0 31 * ? *)', '2026-01-31T00:00:00Z', ['2026-03-31T00:00:00Z', '2026-05-31T00:00:00Z']], // months without a 31st skip
    ['cron(0 12 15W * ? *)', '2026-08-01T00:00:00Z', ['2026-08-14T12:00:00Z', '2026-09-15T12:00:00Z', '2026-10-15T12:00:00Z', '2026-11-16T12:00:00Z']], // Sat 15 Aug → Fri 14; Sun 15 Nov → Mon 16
    ['cron(0 12 1W * ? *)', '2026-07-31T00:00:00Z', ['2026-08-03T12:00:00Z']], // Sat 1 Aug → Mon 3 (stays in month)
    ['cron(0 12 31W * ? *)', '2026-05-01T00:00:00Z', ['2026-05-29T12:00:00Z']], // Sun 31 May → Fri 29
    ['cron(0 12 LW * ? *)', '2026-05-01T00:00:00Z', ['2026-05-29T12:00:00Z', '2026-06-30T12:00:00Z']],
    ['cron(0 20-2 * * ? *)', '2026-01-05T19:30:00Z', ['2026-01-05T20:00:00Z', '2026-01-05T21:00:00Z', '2026-01-05T22:00:00Z', '2026-01-05T23:00:00Z', '2026-01-06T00:00:00Z', '2026-01-06T01:00:00Z', '2026-01-06T02:00:00Z', '2026-01-06T20:00:00Z']], // wrapping hours
    ['cron(0 0 ? * FRI-MON *)', '2026-01-01T00:00:00Z', ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z', '2026-01-05T00:00:00Z', '2026-01-09T00:00:00Z']], // wrapping weekdays
    ['cron(0 0 1 NOV-FEB ? *)', '2026-03-01T00:00:00Z', ['2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z', '2027-02-01T00:00:00Z', '2027-11-01T00:00:00Z']],
    ['cron(10-50/20 * * * ? *)', '2026-01-05T10:00:00Z', ['2026-01-05T10:10:00Z', '2026-01-05T10:30:00Z', '2026-01-05T10:50:00Z', '2026-01-05T11:10:00Z']],
    ['cron(0 0 1 1 ? 2030/5)', '2026-01-01T00:00:00Z', ['2030-01-01T00:00:00Z', '2035-01-01T00:00:00Z']],
    ['cron(0 0 ? * 1 *)', '2026-01-01T00:00:00Z', ['2026-01-04T00:00:00Z']], // 1 = Sunday
    ['cron(0 0 ? * 7,SUN *)', '2026-01-01T00:00:00Z', ['2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z']],
    ['cron(59 23 31 12 ? 2199)', '2199-12-31T23:58:00Z', ['2199-12-31T23:59:00Z']],
  ];
  for (const [expression, from, expected] of cases) {
    it(`${expression} after ${from}`, () => {
      const got = fires(expression, from, expected.length || 1);
      assert.deepEqual(got, expected.length ? expected : [null]);
    });
  }
});

describe('rate() ticks', () => {
  it('counts from the anchor, to the minute', () => {
    const schedule = parseScheduleExpression('rate(5 minutes)');
    const anchor = at('2026-01-05T10:02:40Z');
    assert.equal(iso(nextTick(schedule, anchor, anchor)), '2026-01-05T10:07:00Z');
    assert.equal(iso(nextTick(schedule, anchor, at('2026-01-05T10:07:00Z'))), '2026-01-05T10:12:00Z');
    assert.equal(iso(nextTick(parseScheduleExpression('rate(1 day)'), anchor, anchor)), '2026-01-06T10:02:00Z');
  });

  it('latest due tick after downtime is a single tick', () => {
    const schedule = parseScheduleExpression('rate(1 hour)');
    const anchor = at('2026-01-05T10:00:00Z');
    assert.equal(iso(latestDueTick(schedule, anchor, at('2026-01-05T11:00:00Z'), at('2026-01-05T15:30:00Z'))), '2026-01-05T15:00:00Z');
    assert.equal(latestDueTick(schedule, anchor, at('2026-01-05T15:00:00Z'), at('2026-01-05T15:30:00Z')), null);
    const cron = parseScheduleExpression('cron(0/10 * * * ? *)');
    assert.equal(iso(latestDueTick(cron, 0, at('2026-01-01T00:00:00Z'), at('2026-03-05T10:25:00Z'))), '2026-03-05T10:20:00Z');
    assert.equal(iso(latestDueTick(parseScheduleExpression('cron(0 0 L 2 ? *)'), 0, at('2026-01-01T00:00:00Z'), at('2029-01-01T00:00:00Z'))), '2028-02-29T00:00:00Z');
  });
});

describe('schedule expression validation (spec §7)', () => {
  const valid = ['rate(1 minute)', 'rate(2 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)', 'cron(0 10 * * ? *)', 'cron(* * ? * * *)', 'cron(0 9 ? * L *)', 'cron(0 0 1,15,L * ? *)', 'cron(0 0 ? jan mon 2026)'];
  const invalid = [
    'rate(0 minutes)', 'rate(1 minutes)', 'rate(5 minute)', 'rate(5 weeks)', 'rate(-1 minutes)', 'rate(5  minutes)', 'rate(1.5 hours)',
    'cron(0 10 * * *)', 'cron(0 10 * * ? * *)', 'cron(0 10 * * * *)', 'cron(0 10 ? * ? *)', 'cron(60 10 * * ? *)', 'cron(0 24 * * ? *)',
    'cron(0 0 32 * ? *)', 'cron(0 0 0 * ? *)', 'cron(0 0 * 13 ? *)', 'cron(0 0 ? * 0 *)', 'cron(0 0 ? * 8 *)', 'cron(0 0 * * ? 1969)',
    'cron(0 0 * * ? 2200)', 'cron(0 0 ? * 2#1,3#2 *)', 'cron(0 0 ? * 2#6 *)', 'cron(0/0 * * * ? *)', 'cron(0 0 ? * FOO *)', 'every day', '',
  ];
  for (const expression of valid) it(`accepts ${expression}`, () => assert.doesNotThrow(() => parseScheduleExpression(expression)));
  for (const expression of invalid) it(`rejects ${JSON.stringify(expression)}`, () => assert.throws(() => parseScheduleExpression(expression), InvalidScheduleExpression));
});
