import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileFilters, filterViewOfSqsRecord, matchesAny } from '../src/triggers/esm/filter.js';
import { failedItemIds } from '../src/triggers/esm/sqs-event.js';

const match = (patterns: unknown[], body: string, extra: Record<string, unknown> = {}) =>
  matchesAny(compileFilters({ Filters: patterns.map((p) => ({ Pattern: JSON.stringify(p) })) }), filterViewOfSqsRecord({ body, ...extra }));

describe('sqs mapping filters (Lambda ESM operator subset)', () => {
  test('exact values, lists, AND across keys, OR across filters', () => {
    assert.ok(match([{ body: { testItem: ['test24'] } }], '{"testItem":"test24"}'));
    assert.ok(!match([{ body: { testItem: ['test24'] } }], '{"testItem":"test25"}'));
    assert.ok(match([{ body: { testItem: ['test24', 'test45'] } }], '{"testItem":"test45"}'));
    assert.ok(!match([{ body: { testItem: ['test24'], test2: ['go'] } }], '{"testItem":"test24","test2":"stop"}'));
    assert.ok(match([{ body: { a: [1] } }, { body: { b: [2] } }], '{"b":2}'));
    assert.ok(match([{ body: { n: [null] } }], '{"n":null}'));
    assert.ok(match([{ body: { tags: ['x'] } }], '{"tags":["y","x"]}'));
  });

  test('prefix, suffix, equals-ignore-case, anything-but, numeric, exists', () => {
    assert.ok(match([{ body: { r: [{ prefix: 'us-1' }] } }], '{"r":"us-1-a"}'));
    assert.ok(!match([{ body: { r: [{ prefix: 'us-1' }] } }], '{"r":"eu-1"}'));
    assert.ok(match([{ body: { f: [{ suffix: '.png' }] } }], '{"f":"a.png"}'));
    assert.ok(match([{ body: { s: [{ 'equals-ignore-case': 'OK' }] } }], '{"s":"ok"}'));
    assert.ok(match([{ body: { s: [{ 'anything-but': ['a', 'b'] }] } }], '{"s":"c"}'));
    assert.ok(!match([{ body: { s: [{ 'anything-but': 'a' }] } }], '{"s":"a"}'));
    assert.ok(match([{ body: { s: [{ 'anything-but': { prefix: 'x' } }] } }], '{"s":"yz"}'));
    assert.ok(match([{ body: { n: [{ numeric: ['>=', 100, '<', 200] }] } }], '{"n":150}'));
    assert.ok(!match([{ body: { n: [{ numeric: ['>=', 100, '<', 200] }] } }], '{"n":200}'));
    assert.ok(!match([{ body: { n: [{ numeric: ['>', 100] }] } }], '{"n":"150"}'));
    assert.ok(match([{ body: { n: [{ numeric: ['=', 5] }] } }], '{"n":5}'));
    assert.ok(match([{ body: { k: [{ exists: true }] } }], '{"k":0}'));
    assert.ok(!match([{ body: { k: [{ exists: true }] } }], '{"j":0}'));
    assert.ok(match([{ body: { k: [{ exists: false }] } }], '{"j":0}'));
  });

  test('plain-text bodies match only string comparisons on body; metadata keys match too', () => {
    assert.ok(match([{ body: ['plain text'] }], 'plain text'));
    assert.ok(!match([{ body: { k: ['v'] } }], 'plain text'));
    assert.ok(match([{ attributes: { MessageGroupId: ['g1'] } }], '{}', { attributes: { MessageGroupId: 'g1' } }));
    assert.ok(matchesAny(null, { body: 'anything' }));
  });

  test('partial batch responses: success forms, failures, and what fails the whole batch', () => {
    const ids = new Set(['a', 'b']);
    assert.deepEqual(failedItemIds(Buffer.from(''), ids), new Set());
    assert.deepEqual(failedItemIds(Buffer.from('null'), ids), new Set());
    assert.deepEqual(failedItemIds(Buffer.from('{}'), ids), new Set());
    assert.deepEqual(failedItemIds(Buffer.from('{"batchItemFailures":[]}'), ids), new Set());
    assert.deepEqual(failedItemIds(Buffer.from('{"batchItemFailures":[{"itemIdentifier":"b"}]}'), ids), new Set(['b']));
    assert.equal(failedItemIds(Buffer.from('not json'), ids), null);
    assert.equal(failedItemIds(Buffer.from('{"batchItemFailures":[{"itemIdentifier":""}]}'), ids), null);
    assert.equal(failedItemIds(Buffer.from('{"batchItemFailures":[{"itemIdentifier":null}]}'), ids), null);
    assert.equal(failedItemIds(Buffer.from('{"batchItemFailures":[{"id":"a"}]}'), ids), null);
    assert.equal(failedItemIds(Buffer.from('{"batchItemFailures":[{"itemIdentifier":"zzz"}]}'), ids), null);
  });
});
