import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextFiring, parseSchedulerExpression } from '../src/services/events/scheduler/expression.js';

const at = (iso: string) => Date.parse(iso);
const next = (expression: string, zone: string, afterIso: string, anchorIso = afterIso) => {
  const parsed = parseSchedulerExpression(expression);
  assert.ok(parsed, expression);
  const result = nextFiring(parsed, zone, at(anchorIso), at(afterIso));
  return result === null ? null : new Date(result).toISOString();
};

describe('EventBridge Scheduler expressions', () => {
  test('what AWS rejects is rejected', () => {
    for (const bad of ['at(2026-02-30T10:00:00)', 'at(2026-01-01 10:00:00)', 'rate(1 minutes)', 'rate(0 minutes)', 'rate(2 hour)', 'cron(0 10 * * * *)', 'cron(0 10 * *)', 'every day']) {
      assert.equal(parseSchedulerExpression(bad), undefined, bad);
    }
  });

  test('cron in a time zone: wall-clock time, following daylight saving', () => {
    // 09:00 in New York is 14:00Z in winter and 13:00Z in summer.
    assert.equal(next('cron(0 9 * * ? *)', 'America/New_York', '2026-01-10T00:00:00Z'), '2026-01-10T14:00:00.000Z');
    assert.equal(next('cron(0 9 * * ? *)', 'America/New_York', '2026-07-10T00:00:00Z'), '2026-07-10T13:00:00.000Z');
    assert.equal(next('cron(0 9 * * ? *)', 'UTC', '2026-07-10T00:00:00Z'), '2026-07-10T09:00:00.000Z');
  });

  test('spring forward: a local time that does not exist is skipped', () => {
    // 2026-03-08 02:30 does not exist in New York (02:00 EST → 03:00 EDT): next is the 9th, 02:30 EDT.
    assert.equal(next('cron(30 2 * * ? *)', 'America/New_York', '2026-03-08T06:00:00Z'), '2026-03-09T06:30:00.000Z');
  });

  test('fall back: a repeated local time fires once, at its first occurrence', () => {
    // 2026-11-01 01:30 happens twice in New York (05:30Z EDT, 06:30Z EST).
    const first = next('cron(30 1 * * ? *)', 'America/New_York', '2026-11-01T04:00:00Z');
    assert.equal(first, '2026-11-01T05:30:00.000Z');
    assert.equal(next('cron(30 1 * * ? *)', 'America/New_York', first!), '2026-11-02T06:30:00.000Z');
  });

  test('at() is local to the zone and fires once; rate() counts from its anchor', () => {
    assert.equal(next('at(2026-06-01T12:00:00)', 'Europe/Paris', '2026-05-01T00:00:00Z'), '2026-06-01T10:00:00.000Z');
    assert.equal(next('at(2026-06-01T12:00:00)', 'Europe/Paris', '2026-06-01T10:00:00Z'), null);
    assert.equal(next('rate(5 minutes)', 'UTC', '2026-01-01T00:00:00Z'), '2026-01-01T00:05:00.000Z');
    assert.equal(next('rate(5 minutes)', 'UTC', '2026-01-01T00:07:00Z', '2026-01-01T00:00:00Z'), '2026-01-01T00:10:00.000Z');
    // A start date still ahead is the first firing.
    assert.equal(next('rate(1 hour)', 'UTC', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'), '2026-01-02T00:00:00.000Z');
  });
});
