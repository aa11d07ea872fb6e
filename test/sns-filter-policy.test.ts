import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FilterPolicyInvalid, matchesFilterPolicy, validateFilterPolicy } from '../src/services/sns/filter-policy.js';

type Attrs = Record<string, { type: string; value: string }>;
const S = (value: string) => ({ type: 'String', value });
const N = (value: string) => ({ type: 'Number', value });
const A = (value: unknown[]) => ({ type: 'String.Array', value: JSON.stringify(value) });

/** [policy, attributes, expected] — attribute scope. */
const ATTRIBUTE_CASES: [string, Record<string, unknown>, Attrs, boolean][] = [
  ['exact string', { color: ['red', 'blue'] }, { color: S('red') }, true],
  ['exact string miss', { color: ['red', 'blue'] }, { color: S('green') }, false],
  ['absent attribute', { color: ['red'] }, {}, false],
  ['exact number', { size: [5] }, { size: N('5') }, true],
  ['exact number vs string', { size: [5] }, { size: S('5') }, false],
  ['prefix', { id: [{ prefix: 'ord-' }] }, { id: S('ord-1') }, true],
  ['prefix miss', { id: [{ prefix: 'ord-' }] }, { id: S('inv-1') }, false],
  ['suffix', { file: [{ suffix: '.png' }] }, { file: S('a.png') }, true],
  ['equals-ignore-case', { c: [{ 'equals-ignore-case': 'RED' }] }, { c: S('rEd') }, true],
  ['anything-but value', { c: [{ 'anything-but': 'red' }] }, { c: S('blue') }, true],
  ['anything-but value miss', { c: [{ 'anything-but': ['red', 'blue'] }] }, { c: S('blue') }, false],
  ['anything-but absent', { c: [{ 'anything-but': 'red' }] }, {}, false],
  ['anything-but prefix', { c: [{ 'anything-but': { prefix: 'r' } }] }, { c: S('red') }, false],
  ['anything-but prefix pass', { c: [{ 'anything-but': { prefix: 'r' } }] }, { c: S('blue') }, true],
  ['anything-but number', { n: [{ 'anything-but': [1, 2] }] }, { n: N('3') }, true],
  ['numeric range', { p: [{ numeric: ['>', 0, '<=', 100] }] }, { p: N('100') }, true],
  ['numeric range miss', { p: [{ numeric: ['>', 0, '<=', 100] }] }, { p: N('0') }, false],
  ['numeric equals', { p: [{ numeric: ['=', 3.5] }] }, { p: N('3.5') }, true],
  ['numeric on string', { p: [{ numeric: ['>', 0] }] }, { p: S('5') }, false],
  ['exists true', { k: [{ exists: true }] }, { k: S('x') }, true],
  ['exists true absent', { k: [{ exists: true }] }, {}, false],
  ['exists false', { k: [{ exists: false }] }, {}, true],
  ['exists false present', { k: [{ exists: false }] }, { k: S('x') }, false],
  ['string array any element', { tags: ['b'] }, { tags: A(['a', 'b']) }, true],
  ['string array none', { tags: ['c'] }, { tags: A(['a', 'b']) }, false],
  ['cidr v4', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: S('10.0.0.200') }, true],
  ['cidr v4 miss', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: S('10.0.1.1') }, false],
  ['cidr v6', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: S('2001:db8:1::1') }, true],
  ['all keys must match', { a: ['1'], b: ['2'] }, { a: S('1'), b: S('3') }, false],
  ['$or', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { b: S('2') }, true],
  ['$or none', { $or: [{ a: ['1'] }, { b: ['2'] }] }, { a: S('2') }, false],
  ['binary never equals', { b: ['x'] }, { b: { type: 'Binary', value: 'eA==' } }, false],
];

/** [policy, body, expected] — body scope. */
const BODY_CASES: [string, Record<string, unknown>, unknown, boolean][] = [
  ['nested exact', { order: { status: ['paid'] } }, { order: { status: 'paid' } }, true],
  ['nested miss', { order: { status: ['paid'] } }, { order: { status: 'open' } }, false],
  ['array in body', { items: ['b'] }, { items: ['a', 'b'] }, true],
  ['array of objects', { items: { sku: ['x'] } }, { items: [{ sku: 'y' }, { sku: 'x' }] }, true],
  ['numeric in body', { total: [{ numeric: ['>=', 10] }] }, { total: 12 }, true],
  ['boolean in body', { ok: [true] }, { ok: true }, true],
  ['null in body', { v: [null] }, { v: null }, true],
  ['exists false in body', { gone: [{ exists: false }] }, { here: 1 }, true],
  ['not JSON object', { a: ['1'] }, 'plain text', false],
  ['$or nested', { $or: [{ a: ['1'] }, { b: { c: ['2'] } }] }, { b: { c: '2' } }, true],
];

describe('SNS filter policies', () => {
  for (const [name, policy, attributes, expected] of ATTRIBUTE_CASES) {
    test(`attributes: ${name}`, () => {
      const parsed = validateFilterPolicy(JSON.stringify(policy), 'MessageAttributes');
      assert.equal(matchesFilterPolicy(parsed, { scope: 'MessageAttributes', attributes }), expected);
    });
  }
  for (const [name, policy, body, expected] of BODY_CASES) {
    test(`body: ${name}`, () => {
      const parsed = validateFilterPolicy(JSON.stringify(policy), 'MessageBody');
      assert.equal(matchesFilterPolicy(parsed, { scope: 'MessageBody', body: body as never }), expected);
    });
  }

  const INVALID: [string, string][] = [
    ['{"key":[["value"]]}', 'Match value must be String, number, true, false, or null'],
    ['{"key":[{"wrong-operator":true}]}', 'Unrecognized match type wrong-operator'],
    ['{"key":[{"suffix":"value","prefix":"value2"}]}', 'Only one key allowed in match expression'],
    ['{"key":[]}', 'Empty arrays are not allowed'],
    ['{"key":[{"suffix":100}]}', 'suffix match pattern must be a string'],
    ['{"key":{"suffix":"value"}}', '"suffix" must be an object or an array'],
    ['{"key":[{"cidr":"bad-filter"}]}', "Malformed CIDR, one '/' required"],
    ['{"key":[{"cidr":"xx.11.xx/8"}]}', 'Nonstandard IP address: xx.11.xx'],
    ['{"key":[{"numeric":[]}]}', 'Invalid member in numeric match: ]'],
    ['{"key":[{"numeric":["operator"]}]}', 'Unrecognized numeric range operator: operator'],
    ['{"key":[{"numeric":[1,"<="]}]}', 'Invalid member in numeric match: 1'],
    ['{"key":[{"numeric":["=","000"]}]}', 'Value of equals must be numeric'],
    ['{"key":[{"numeric":[">="]}]}', 'Value of >= must be numeric'],
    ['{"key":[{"numeric":["<",100,">",10]}]}', 'Too many elements in numeric expression'],
    ['{"key":[{"numeric":[">=",1,">",2]}]}', 'Bad numeric range operator: >'],
    ['{"key":[{"numeric":[">",3,"<",1]}]}', 'Bottom must be less than top'],
    ['{"key":[{"numeric":[">",20,"<",30,"<",50]}]}', 'Too many terms in numeric range expression'],
    ['{"key":[{"exists":"no"}]}', 'exists match pattern must be either true or false.'],
    ['{"key":[{"anything-but":{"suffix":"test"}}]}', 'Unsupported anything-but pattern: suffix'],
    ['{"key":[{"anything-but":{"wrong-operator":null}}]}', 'Unsupported anything-but pattern: wrong-operator'],
    ['{"a":[1],"b":[1],"c":[1],"d":[1],"e":[1],"f":[1]}', 'Filter policy can not have more than 5 keys'],
    [JSON.stringify({ a: Array.from({ length: 20 }, (_, i) => i), b: Array.from({ length: 10 }, (_, i) => i) }), 'Filter policy is too complex'],
  ];
  for (const [policy, message] of INVALID) {
    test(`invalid: ${policy.slice(0, 60)}`, () => {
      assert.throws(
        () => validateFilterPolicy(policy, 'MessageBody'),
        (err: unknown) => err instanceof FilterPolicyInvalid && (message === '' || err.message === message),
      );
    });
  }

  test('nested policies are refused for the MessageAttributes scope', () => {
    assert.throws(() => validateFilterPolicy('{"a":{"b":["c"]}}', 'MessageAttributes'), /does not support nested filter policy/);
  });
});
