import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePattern, matchesPattern, PatternError } from '../src/services/events/pattern/index.js';

// Cases from the EventBridge user guide ("Content filtering in Amazon EventBridge event patterns",
// "Event patterns", "Comparison operators") and the event-ruler README, restated as a table.
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    'source-ip-v6': '2001:db8::1:2',
    'eventVersion': '',
    'responseElements': null,
    filename: 'image.PNG',
    tags: ['blue', 'green'],
    'nested-list': [{ name: 'a', value: 1 }, { name: 'b', value: 2 }],
  },
};

type Case = [name: string, pattern: object, expected: boolean];

const cases: Case[] = [
  ['literal source', { source: ['aws.ec2'] }, true],
  ['literal is case-sensitive', { source: ['AWS.EC2'] }, false],
  ['values in a list are OR', { source: ['aws.s3', 'aws.ec2'] }, true],
  ['fields are AND', { source: ['aws.ec2'], 'detail-type': ['nope'] }, false],
  ['nested detail', { detail: { state: ['terminated'] } }, true],
  ['missing field does not match a literal', { detail: { missing: ['x'] } }, false],
  ['number literal', { detail: { 'c-count': [5] } }, true],
  ['number literal does not match its string', { detail: { 'c-count': ['5'] } }, false],
  ['event array matches any element', { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] }, true],
  ['event array of strings', { detail: { tags: ['green'] } }, true],
  ['null matches JSON null', { detail: { responseElements: [null] } }, true],
  ['null does not match a missing field', { detail: { missing: [null] } }, false],
  ['empty string', { detail: { eventVersion: [''] } }, true],
  ['empty string does not match null', { detail: { responseElements: [''] } }, false],
  ['prefix', { time: [{ prefix: '2017-12-22' }] }, true],
  ['prefix miss', { time: [{ prefix: '2018' }] }, false],
  ['prefix equals-ignore-case', { source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] }, true],
  ['suffix', { detail: { filename: [{ suffix: '.PNG' }] } }, true],
  ['suffix is case-sensitive', { detail: { filename: [{ suffix: '.png' }] } }, false],
  ['suffix equals-ignore-case', { detail: { filename: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, true],
  ['equals-ignore-case', { detail: { state: [{ 'equals-ignore-case': 'TERMINATED' }] } }, true],
  ['wildcard', { resources: [{ wildcard: 'arn:aws:ec2:*:instance/*' }] }, true],
  ['wildcard miss', { resources: [{ wildcard: 'arn:aws:s3:*' }] }, false],
  ['wildcard escaped star', { detail: { filename: [{ wildcard: 'image\\*' }] } }, false],
  ['anything-but string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
  ['anything-but string excluded', { detail: { state: [{ 'anything-but': 'terminated' }] } }, false],
  ['anything-but number', { detail: { 'c-count': [{ 'anything-but': 5 }] } }, false],
  ['anything-but list', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, true],
  ['anything-but list excluded', { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, false],
  ['anything-but numbers list', { detail: { 'c-count': [{ 'anything-but': [1, 2] }] } }, true],
  ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, true],
  ['anything-but prefix excluded', { detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }, false],
  ['anything-but suffix', { detail: { filename: [{ 'anything-but': { suffix: '.PNG' } }] } }, false],
  ['anything-but equals-ignore-case', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'TERMINATED'] } }] } }, false],
  ['anything-but equals-ignore-case string', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'Stopped' } }] } }, true],
  ['anything-but wildcard', { detail: { filename: [{ 'anything-but': { wildcard: '*.txt' } }] } }, true],
  ['anything-but wildcard list excluded', { detail: { filename: [{ 'anything-but': { wildcard: ['*.txt', 'image.*'] } }] } }, false],
  ['anything-but does not match a missing field', { detail: { missing: [{ 'anything-but': 'x' }] } }, false],
  ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, true],
  ['numeric below', { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, true],
  ['numeric equals exponent', { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, true],
  ['numeric excludes upper bound', { detail: { 'c-count': [{ numeric: ['>', 0, '<', 5] }] } }, false],
  ['numeric does not match strings', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
  ['cidr v4', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, true],
  ['cidr v4 miss', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, false],
  ['cidr v6', { detail: { 'source-ip-v6': [{ cidr: '2001:db8::/64' }] } }, true],
  ['cidr v6 miss', { detail: { 'source-ip-v6': [{ cidr: '2001:db9::/64' }] } }, false],
  ['exists true', { detail: { state: [{ exists: true }] } }, true],
  ['exists false on a missing field', { detail: { missing: [{ exists: false }] } }, true],
  ['exists false on a present field', { detail: { state: [{ exists: false }] } }, false],
  ['exists true on a missing field', { detail: { missing: [{ exists: true }] } }, false],
  ['exists true on null', { detail: { responseElements: [{ exists: true }] } }, true],
  ['exists is for leaves: an object field does not exist as a leaf', { detail: [{ exists: true }] }, false],
  ['exists false on a missing parent', { nothing: { here: [{ exists: false }] } }, true],
  ['$or one branch', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } }, true],
  ['$or no branch', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['>', 10] }] }] } }, false],
  ['$or at top level', { source: ['aws.ec2'], $or: [{ 'detail-type': ['x'] }, { detail: { state: ['terminated'] } }] }, true],
  ['array of objects: one element matches the whole sub-pattern', { detail: { 'nested-list': { name: ['a'], value: [1] } } }, true],
  ['array of objects: fields from different elements do not combine', { detail: { 'nested-list': { name: ['a'], value: [2] } } }, false],
  ['mixed matcher list', { detail: { state: [{ prefix: 'x' }, 'terminated'] } }, true],
  ['boolean literal does not match string', { detail: { state: [true] } }, false],
];

describe('event pattern operators (EventBridge documentation cases)', () => {
  for (const [name, pattern, expected] of cases) {
    it(`${name} → ${expected ? 'match' : 'no match'}`, () => {
      assert.equal(matchesPattern(compilePattern(JSON.stringify(pattern)), ec2Event), expected);
    });
  }

  it('dotted keys and nested keys name the same field, in patterns and in events', () => {
    assert.equal(matchesPattern(compilePattern({ detail: { 'state.status': ['running'] } }), { detail: { state: { status: 'running' } } }), true);
    assert.equal(matchesPattern(compilePattern({ detail: { state: { status: ['running'] } } }), { detail: { 'state.status': 'running' } }), true);
    assert.equal(matchesPattern(compilePattern({ detail: { 'state.status': ['stopped'] } }), { detail: { state: { status: 'running' } } }), false);
  });

  it('boolean literals match booleans', () => {
    assert.equal(matchesPattern(compilePattern({ detail: { ok: [true] } }), { detail: { ok: true } }), true);
    assert.equal(matchesPattern(compilePattern({ detail: { ok: [false] } }), { detail: { ok: true } }), false);
  });
});

const invalid: Array<[string, string]> = [
  ['{"source": "aws.ec2"}', '"source" must be an object or an array'],
  ['{"source": []}', 'Empty arrays are not allowed'],
  ['[1]', 'Filter is not an object'],
  ['{not json', 'Filter is not valid JSON'],
  ['{"a": [{"prefix": 1}]}', 'prefix match pattern must be a string'],
  ['{"a": [{"suffix": []}]}', 'suffix match pattern must be a string'],
  ['{"a": [{"equals-ignore-case": 5}]}', 'equals-ignore-case match pattern must be a string'],
  ['{"a": [{"exists": "yes"}]}', 'exists match pattern must be either true or false.'],
  ['{"a": [{"prefix": "x", "suffix": "y"}]}', 'Only one key allowed in match expression'],
  ['{"a": [{"bogus": 1}]}', 'Unrecognized match type bogus'],
  ['{"a": [[1]]}', 'Match value must be String, number, true, false, or null'],
  ['{"a": [{"numeric": 5}]}', 'Value of numeric must be an array.'],
  ['{"a": [{"numeric": ["!", 5]}]}', 'Unrecognized numeric range operator: !'],
  ['{"a": [{"numeric": [">", "5"]}]}', 'Value of > must be numeric'],
  ['{"a": [{"numeric": ["=", 5, "<", 6]}]}', 'Too many elements in numeric expression'],
  ['{"a": [{"numeric": [">", 5, ">", 6]}]}', 'Bad numeric range operator: >'],
  ['{"a": [{"numeric": [">", 6, "<", 5]}]}', 'Bottom must be less than top'],
  ['{"a": [{"cidr": "10.0.0.0"}]}', "Malformed CIDR, one '/' required"],
  ['{"a": [{"cidr": "10.0.0.0/x"}]}', 'Malformed CIDR, mask bits must be an integer'],
  ['{"a": [{"cidr": "10.0.0.300/24"}]}', 'Nonstandard IP address: 10.0.0.300'],
  ['{"a": [{"wildcard": "a**b"}]}', 'Consecutive wildcard characters at pos 2'],
  ['{"a": [{"wildcard": 3}]}', 'wildcard match pattern must be a string'],
  ['{"a": [{"anything-but": {"numeric": [">", 1]}}]}', 'Unsupported anything-but pattern: numeric'],
  ['{"a": [{"anything-but": [true]}]}', 'Inside anything but list, start|null|boolean is not supported.'],
  ['{"a": [{"anything-but": {"prefix": ""}}]}', 'Null prefix/suffix not allowed'],
  ['{"a": [{"anything-but": {"prefix": [123, "x"]}}]}', 'prefix/suffix match pattern must be a string'],
  ['{"a": [{"anything-but": {"wildcard": 123}}]}', 'wildcard match pattern must be a string'],
  ['{"a": [{"anything-but": {"equals-ignore-case": [1]}}]}', 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
];

describe('event pattern validation', () => {
  for (const [pattern, reason] of invalid) {
    it(`${pattern} → ${reason}`, () => {
      assert.throws(() => compilePattern(pattern), (err: unknown) => err instanceof PatternError && err.reason === reason);
    });
  }

  it('$or expanding past 1,000 combinations is rejected; 1,000 is accepted', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    assert.doesNotThrow(() => compilePattern({ a: values(10), b: values(10), $or: [{ c: values(5) }, { d: values(5) }] }));
    assert.throws(() => compilePattern({ a: values(10), b: values(10), $or: [{ c: values(5) }, { d: values(6) }] }), PatternError);
  });
});
