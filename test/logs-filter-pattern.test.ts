import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileFilterPattern, FilterPatternInvalid } from '../src/services/logs/filter-pattern/index.js';
import { parseQuery } from '../src/services/logs/insights/parse-query.js';
import { QueryMalformed } from '../src/services/logs/insights/query-syntax.js';
import { runQuery, type QueryEvent } from '../src/services/logs/insights/run-query.js';

const matches = (pattern: string, message: string) => compileFilterPattern(pattern)(message) !== null;

describe('filter-pattern language', () => {
  test('an empty or blank pattern matches everything', () => {
    assert.ok(matches('', 'anything'));
    assert.ok(matches('  ', 'anything'));
  });

  test('bare terms are case-sensitive whole words; quoted phrases match anywhere', () => {
    assert.ok(matches('ERROR', '[ERROR] failed'));
    assert.ok(!matches('ERROR', 'error failed'));
    assert.ok(!matches('ERROR', 'ERRORS only'));
    assert.ok(matches('"RROR fa"', 'ERROR failed'));
    assert.ok(matches('ERROR failed', 'failed with ERROR'));
    assert.ok(!matches('ERROR failed', 'ERROR ok'));
  });

  test('? terms are alternatives, - terms exclude', () => {
    assert.ok(matches('?WARN ?ERROR', 'a WARN'));
    assert.ok(!matches('?WARN ?ERROR', 'INFO'));
    assert.ok(matches('ERROR -retry', 'ERROR once'));
    assert.ok(!matches('ERROR -retry', 'ERROR retry soon'));
    assert.ok(!matches('ERROR -"will retry"', 'ERROR, will retry'));
  });

  test('JSON patterns: strings with wildcards, numbers, booleans, null, NOT EXISTS, arrays, && || and parentheses', () => {
    const event = JSON.stringify({ level: 'ERROR', ms: 120, ok: false, user: { id: 'u-7', tags: ['a', 'b'] }, gone: null });
    assert.ok(matches('{ $.level = "ERROR" }', event));
    assert.ok(matches('{ $.level = ERR* }', event));
    assert.ok(matches('{ $.level != "INFO" }', event));
    assert.ok(matches('{ $.ms >= 120 && $.ms < 121 }', event));
    assert.ok(!matches('{ $.ms > 120 }', event));
    assert.ok(matches('{ $.ok IS FALSE }', event));
    assert.ok(matches('{ $.gone IS NULL }', event));
    assert.ok(matches('{ $.missing NOT EXISTS }', event));
    assert.ok(matches('{ $.user.tags[1] = "b" }', event));
    assert.ok(matches('{ ($.ms > 1000 || $.user.id = "u-*") && $.level = "ERROR" }', event));
    assert.ok(!matches('{ $.level = "ERROR" }', 'not json'));
    assert.ok(!matches('{ $.ms > 1 }', JSON.stringify({ ms: 'fast' })));
  });

  test('space-delimited patterns bind fields in order; ... takes any number; [] and "" hold one field', () => {
    const line = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326';
    assert.ok(matches('[ip, identity, user, timestamp, request, status_code = 4*, bytes]', line));
    assert.ok(matches('[ip, ..., status_code = 404, bytes > 1000]', line));
    assert.ok(!matches('[ip, ..., status_code = 200, bytes]', line));
    assert.ok(!matches('[ip, user]', line));
    assert.ok(matches('[..., status >= 400 && status < 500, bytes]', line));
    const m = compileFilterPattern('[ip, ..., status, bytes]')(line)!;
    assert.equal(m.value('$bytes'), '2326');
    assert.equal(m.value('$ip'), '127.0.0.1');
  });

  test('%regex% patterns', () => {
    assert.ok(matches('%user-[0-9]+%', 'by user-42'));
    assert.ok(!matches('%user-[0-9]+%', 'by user-x'));
  });

  test('malformed patterns are refused', () => {
    for (const p of ['{ $.a = ', '{ $.a = }', '{ a = 1 }', '[a, b = ]', '{ $.a ~ 1 }']) assert.throws(() => compileFilterPattern(p), FilterPatternInvalid, p);
    assert.throws(() => compileFilterPattern('{ $.a = 1'), /If a filter pattern starts with '\{' it must end with '\}'/);
  });
});

describe('Logs Insights queries', () => {
  const at = Date.UTC(2026, 0, 1, 12, 0, 0);
  const event = (i: number, message: string, stream = 's'): QueryEvent => ({
    id: String(i).padStart(56, '0'), timestamp: at + i * 60_000, message, ingestionTime: at, streamName: stream, group: '/aws/lambda/f', accountId: '000000000000',
  });
  const values = (query: string, events: QueryEvent[], limit = 1000) =>
    runQuery(parseQuery(query), events, limit).results.map((row) => Object.fromEntries(row.filter((f) => f.field !== '@ptr').map((f) => [f.field, f.value])));

  test("Lambda's REPORT lines carry @type, @duration, @billedDuration and memory in bytes", () => {
    const events = [
      event(0, 'START RequestId: r1 Version: $LATEST\n'),
      event(1, 'REPORT RequestId: r1\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\tInit Duration: 100.20 ms\t\n'),
      event(7, 'REPORT RequestId: r2\tDuration: 7.50 ms\tBilled Duration: 8 ms\tMemory Size: 128 MB\tMax Memory Used: 41 MB\t\n'),
    ];
    assert.deepEqual(values('filter @type = "REPORT" | stats avg(@duration) as avg, max(@maxMemoryUsed) as mem, count(*) as n by bin(5m)', events), [
      { 'bin(5m)': '2026-01-01 12:00:00.000', avg: '12.5', mem: '40000000', n: '1' },
      { 'bin(5m)': '2026-01-01 12:05:00.000', avg: '7.5', mem: '41000000', n: '1' },
    ]);
    assert.deepEqual(values('filter ispresent(@initDuration) | fields @requestId, @initDuration', events), [{ '@requestId': 'r1', '@initDuration': '100.2' }]);
  });

  test('default output is the newest events first with @timestamp and @message; limit caps it', () => {
    const rows = values('fields @timestamp, @message', [event(0, 'a'), event(1, 'b'), event(2, 'c')], 2);
    assert.deepEqual(rows.map((r) => r['@message']), ['c', 'b']);
  });

  test('pct, count_distinct, in [...], not, arithmetic in fields', () => {
    const events = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => event(n, JSON.stringify({ n, k: n % 3 })));
    assert.deepEqual(values('stats pct(n, 90) as p90, count_distinct(k) as ks', events), [{ p90: '9', ks: '3' }]);
    assert.deepEqual(values('filter k in [0, 1] and not n > 6 | fields n * 2 as double | sort double asc', events).map((r) => r.double), ['2', '6', '8', '12']);
  });

  test('malformed queries name where they stopped', () => {
    assert.throws(() => parseQuery('fields | |'), QueryMalformed);
    assert.throws(() => parseQuery('stats count(*) by'), QueryMalformed);
    assert.throws(() => parseQuery('limit x'), QueryMalformed);
    assert.throws(() => parseQuery('frobnicate @message'), /unexpected symbol found frobnicate at line 1 and position 1/);
  });
});
