import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AttributeValue, Item, KeySchema } from '../src/services/dynamodb/attribute-value.js';
import {
  conditionFromExpected,
  conditionFromFilter,
  ExpressionInvalid,
  expressionEngine,
  keyConditionFromLegacy,
  projectionFromAttributesToGet,
  rejectMixedParameters,
  updateFromAttributeUpdates,
  type ExpressionInputs,
  type RequestExpressions,
} from '../src/services/dynamodb/expressions/index.js';

const engine = expressionEngine;

function refused(expressions: RequestExpressions, inputs: ExpressionInputs, message: string, keySchema?: KeySchema): void {
  assert.throws(
    () => engine.compile(expressions, inputs, keySchema),
    (e: unknown) => {
      if (!(e instanceof ExpressionInvalid)) throw e;
      assert.equal(e.message, message, JSON.stringify(expressions));
      return true;
    },
  );
}

const v = (values: Record<string, AttributeValue>) => ({ values });

test('bad expressions are refused with AWS texts', () => {
  const cases: Array<[RequestExpressions, ExpressionInputs, string]> = [
    [{ condition: '' }, {}, 'Invalid ConditionExpression: The expression can not be empty;'],
    [{ condition: 'a =' }, {}, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="'],
    [{ condition: 'attribute_exists(car_id) AND NOT #has_air_conditioner' }, { names: { '#has_air_conditioner': 'x' } }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "#has_air_conditioner"'],
    [{ keyCondition: '()' }, {}, 'Invalid KeyConditionExpression: Syntax error; token: ")", near: "()"'],
    [{ condition: 'a = = :v' }, v({ ':v': { S: 'x' } }), 'Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"'],
    [{ condition: 'a = :v AND' }, v({ ':v': { S: 'x' } }), 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"'],
    [{ condition: 'a ! :v' }, v({ ':v': { S: 'x' } }), 'Invalid ConditionExpression: Syntax error; token: "!", near: "a ! :v"'],
    [{ condition: '((a = :v))' }, v({ ':v': { S: 'x' } }), 'Invalid ConditionExpression: The expression has redundant parentheses;'],
    [{ condition: 'foo(a)' }, {}, 'Invalid ConditionExpression: Invalid function name; function: foo'],
    [{ condition: 'size(a)' }, {}, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size'],
    [{ condition: 'begins_with(a, :v) = :v' }, v({ ':v': { S: 'x' } }), 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: begins_with'],
    [{ condition: 'status = :v' }, v({ ':v': { S: 'x' } }), 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status'],
    [{ update: 'SET Name = :v' }, v({ ':v': { S: 'x' } }), 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Name'],
    [{ condition: '#n = :v' }, v({ ':v': { S: 'x' } }), 'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #n'],
    [{ condition: 'a = :v' }, { names: { '#n': 'a' } }, 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v'],
    [{ condition: 'a = :v' }, v({ ':v': { S: 'x' }, ':w': { S: 'y' } }), 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}'],
    [{ condition: 'a = :v' }, { names: { '#n': 'a', '#m': 'b' }, values: { ':v': { S: 'x' } } }, 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#n, #m}'],
    [{ condition: 'a = :v' }, v({}), 'ExpressionAttributeValues must not be empty'],
    [{ condition: 'a = #n' }, { names: {} }, 'ExpressionAttributeNames must not be empty'],
    [{ condition: 'a = :v' }, v({ v: { S: 'x' } }), 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"'],
    [{ condition: 'a = :v' }, v({ ':v': { SS: [] } }), 'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v'],
    [{ condition: 'size(a, b) = :v' }, v({ ':v': { N: '1' } }), 'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: size, number of operands: 2'],
    [{ condition: 'a = a' }, {}, 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]'],
    [{ condition: 'contains(#x.y, x.y)' }, { names: { '#x': 'x' } }, 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [x, y]'],
    [{ condition: 'attribute_exists(:v)' }, v({ ':v': { S: 'x' } }), 'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists'],
    [{ condition: 'begins_with(a, :v)' }, v({ ':v': { N: '1' } }), 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
    [{ condition: 'attribute_type(a, :v)' }, v({ ':v': { S: 'X' } }), 'Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'],
    [{ condition: 'a BETWEEN :hi AND :lo' }, v({ ':lo': { N: '1' }, ':hi': { N: '2' } }), 'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}'],
    [{ condition: 'a BETWEEN :lo AND :s' }, v({ ':lo': { N: '1' }, ':s': { S: '2' } }), 'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:2}'],
    [{ update: 'ADD a :v' }, v({ ':v': { S: 'x' } }), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING'],
    [{ update: 'DELETE a :v' }, v({ ':v': { N: '1' } }), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER'],
    [{ update: 'SET a = :v REMOVE b SET c = :v' }, v({ ':v': { N: '1' } }), 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'],
    [{ update: 'SET a = :v REMOVE a.b' }, v({ ':v': { N: '1' } }), 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'],
    [{ update: 'SET a[0] = :v REMOVE a.b' }, v({ ':v': { N: '1' } }), 'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]'],
    [{ update: 'SET a = b + :v' }, v({ ':v': { S: 'x' } }), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S'],
    [{ update: 'SET a = list_append(a, :v)' }, v({ ':v': { N: '1' } }), 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: N'],
    [{ update: 'SET a = if_not_exists(:v, :v)' }, v({ ':v': { N: '1' } }), 'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists'],
    [{ update: 'SET a = size(b)' }, {}, 'Invalid UpdateExpression: Invalid function name; function: size'],
    [{ update: 'SET a' }, {}, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a"'],
    [{ projection: 'a, a.b' }, {}, 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'],
    [{ projection: 'a, #n' }, {}, 'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #n'],
  ];
  for (const [expressions, inputs, message] of cases) refused(expressions, inputs, message);
});

const ITEM: Item = {
  pk: { S: 'p' },
  n: { N: '10' },
  s: { S: 'hello' },
  b: { B: Buffer.from([1, 2, 3]).toString('base64') },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '2.5'] },
  l: { L: [{ S: 'x' }, { N: '3' }, { M: { deep: { BOOL: true } } }] },
  m: { M: { inside: { N: '7' }, items: { L: [{ S: 'y' }] } } },
  t: { BOOL: true },
  z: { NULL: true },
};

test('conditions evaluate as DynamoDB evaluates them', () => {
  const values = {
    ':ten': { N: '10.0' }, ':nine': { N: '9' }, ':eleven': { N: '11' }, ':tenS': { S: '10' }, ':he': { S: 'he' }, ':a': { S: 'a' },
    ':one': { N: '1' }, ':x': { S: 'x' }, ':three': { N: '3' }, ':S': { S: 'S' }, ':NS': { S: 'NS' }, ':b12': { B: Buffer.from([1, 2]).toString('base64') },
    ':five': { N: '5' }, ':true': { BOOL: true }, ':seven': { N: '7' }, ':two': { N: '2' },
  } satisfies Record<string, AttributeValue>;
  const cases: Array<[string, boolean]> = [
    ['n = :ten', true],
    ['n <> :ten', false],
    ['n = :tenS', false],
    ['n <> :tenS', true],
    ['absent = :ten', false],
    ['absent <> :ten', true],
    ['n > :nine AND n < :eleven', true],
    ['n >= :ten AND n <= :ten', true],
    ['n < :tenS', false],
    ['n BETWEEN :nine AND :ten', true],
    ['n BETWEEN :ten AND :eleven', true],
    ['n BETWEEN :eleven AND :eleven', false],
    ['n IN (:one, :ten)', true],
    ['n IN (:one, :nine)', false],
    ['begins_with(s, :he)', true],
    ['begins_with(n, :he)', false],
    ['begins_with(b, :b12)', true],
    ['contains(s, :he)', true],
    ['contains(ss, :a)', true],
    ['contains(ns, :one)', true],
    ['contains(ns, :two)', false],
    ['contains(l, :x)', true],
    ['contains(l, :three)', true],
    ['attribute_exists(m.inside)', true],
    ['attribute_exists(m.nothing)', false],
    ['attribute_not_exists(absent)', true],
    ['attribute_exists(l[2].deep)', true],
    ['attribute_exists(l[3])', false],
    ['attribute_type(s, :S)', true],
    ['attribute_type(ns, :NS)', true],
    ['attribute_type(n, :S)', false],
    ['size(s) = :five', true],
    ['size(l) = :three', true],
    ['size(ss) = :two', true],
    ['size(m) = :two', true],
    ['size(n) = :two', false],
    ['size(absent) < :five', false],
    ['NOT n = :ten', false],
    ['NOT n = :nine OR n = :nine', true],
    ['n = :nine OR n = :ten AND s = :he', false],
    ['(n = :nine OR n = :ten) AND s = :he', false],
    ['(n = :nine OR n = :ten) AND begins_with(s, :he)', true],
    ['t = :true', true],
    ['m.inside = :seven', true],
    ['(n) = :ten', true],
    ['n = :ten AND (s = :he OR attribute_exists(z))', true],
  ];
  for (const [condition, expected] of cases) {
    const used = Object.fromEntries(Object.entries(values).filter(([k]) => new RegExp(`${k}(?![A-Za-z0-9_])`).test(condition)));
    const compiled = engine.compile({ condition }, { values: Object.keys(used).length ? used : undefined });
    assert.equal(engine.evaluate(compiled.condition!, ITEM), expected, condition);
  }
  const exists = engine.compile({ condition: 'attribute_not_exists(pk)' }, {});
  assert.equal(engine.evaluate(exists.condition!, undefined), true);
});

function updated(update: string, inputs: ExpressionInputs, existing: Item | undefined): Item {
  const compiled = engine.compile({ update }, inputs);
  return engine.applyUpdate(compiled.update!, existing);
}

test('updates: SET with arithmetic, nested paths, list_append, if_not_exists; REMOVE shifts lists; ADD and DELETE on sets', () => {
  const base: Item = { n: { N: '1' }, l: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] }, m: { M: { x: { N: '1' } } }, ss: { SS: ['a', 'b'] } };
  assert.deepEqual(updated('SET n = n + :d', v({ ':d': { N: '0.5' } }), base).n, { N: '1.5' });
  assert.deepEqual(updated('SET n = :d - n', v({ ':d': { N: '0.5' } }), base).n, { N: '-0.5' });
  assert.deepEqual(updated('SET m.y.z = :d', v({ ':d': { N: '1' } }), { m: { M: { y: { M: {} } } } }).m, { M: { y: { M: { z: { N: '1' } } } } });
  assert.deepEqual(updated('SET l = list_append(l, :more)', v({ ':more': { L: [{ S: 'd' }] } }), base).l!, { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }] });
  assert.deepEqual(updated('SET l = list_append(:more, l)', v({ ':more': { L: [{ S: 'z' }] } }), base).l!, { L: [{ S: 'z' }, { S: 'a' }, { S: 'b' }, { S: 'c' }] });
  assert.deepEqual(updated('SET c = if_not_exists(c, :zero) + :one', v({ ':zero': { N: '0' }, ':one': { N: '1' } }), base).c, { N: '1' });
  assert.deepEqual(updated('SET n = if_not_exists(n, :zero)', v({ ':zero': { N: '0' } }), base).n, { N: '1' });
  assert.deepEqual(updated('SET l[10] = :v', v({ ':v': { S: 'end' } }), base).l!, { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'end' }] });
  assert.deepEqual(updated('SET l[1] = :v', v({ ':v': { S: 'B' } }), base).l!, { L: [{ S: 'a' }, { S: 'B' }, { S: 'c' }] });
  assert.deepEqual(updated('REMOVE l[0], l[2]', {}, base).l!, { L: [{ S: 'b' }] });
  assert.deepEqual(updated('REMOVE m.x, absent', {}, base).m, { M: {} });
  assert.deepEqual(updated('ADD ss :s', v({ ':s': { SS: ['b', 'c'] } }), base).ss, { SS: ['a', 'b', 'c'] });
  assert.deepEqual(updated('ADD newset :s', v({ ':s': { NS: ['1'] } }), base).newset, { NS: ['1'] });
  assert.deepEqual(updated('ADD tally :one', v({ ':one': { N: '1' } }), undefined), { tally: { N: '1' } });
  assert.deepEqual(updated('ADD n :one', v({ ':one': { N: '-1' } }), base).n, { N: '0' });
  assert.deepEqual(updated('DELETE ss :s', v({ ':s': { SS: ['a'] } }), base).ss, { SS: ['b'] });
  assert.equal(updated('DELETE ss :s', v({ ':s': { SS: ['a', 'b'] } }), base).ss, undefined);
  assert.deepEqual(updated('SET a = :v, b = a', v({ ':v': { S: 'new' } }), { a: { S: 'old' } }), { a: { S: 'new' }, b: { S: 'old' } });
  assert.deepEqual(updated('set a = :v remove b', v({ ':v': { S: 'x' } }), { b: { S: 'gone' } }), { a: { S: 'x' } });
  assert.deepEqual(base.l, { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] }, 'the existing item is left as it was');
});

test('updates: 38-digit arithmetic is exact and refuses a 39th digit; run-time type errors use AWS texts', () => {
  const big = '99999999999999999999999999999999999998';
  assert.deepEqual(updated('SET n = n + :one', v({ ':one': { N: '1' } }), { n: { N: big } }).n, { N: '99999999999999999999999999999999999999' });
  const cases: Array<[string, ExpressionInputs, Item | undefined, string]> = [
    ['SET n = n + :tenth', v({ ':tenth': { N: '0.1' } }), { n: { N: big } }, 'Attempting to store more than 38 significant digits in a Number'],
    ['SET n = n + :one', v({ ':one': { N: '1' } }), {}, 'The provided expression refers to an attribute that does not exist in the item'],
    ['SET n = n + :one', v({ ':one': { N: '1' } }), { n: { S: '1' } }, 'An operand in the update expression has an incorrect data type'],
    ['ADD s :one', v({ ':one': { N: '1' } }), { s: { S: 'x' } }, 'An operand in the update expression has an incorrect data type'],
    ['DELETE s :set', v({ ':set': { SS: ['x'] } }), { s: { NS: ['1'] } }, 'An operand in the update expression has an incorrect data type'],
    ['SET a.b = :one', v({ ':one': { N: '1' } }), {}, 'The document path provided in the update expression is invalid for update'],
    ['SET l = list_append(l, :l)', v({ ':l': { L: [] } }), { l: { S: 'x' } }, 'An operand in the update expression has an incorrect data type'],
  ];
  for (const [update, inputs, existing, message] of cases) {
    assert.throws(() => updated(update, inputs, existing), (e: unknown) => e instanceof ExpressionInvalid && e.message === message, update);
  }
});

test('projection keeps the named nested paths and list positions', () => {
  const compiled = engine.compile({ projection: 'pk, m.inside, l[2].deep, l[0], #s, absent' }, { names: { '#s': 's' } });
  assert.deepEqual(engine.project(ITEM, compiled.projection!), {
    pk: { S: 'p' },
    m: { M: { inside: { N: '7' } } },
    l: { L: [{ S: 'x' }, { M: { deep: { BOOL: true } } }] },
    s: { S: 'hello' },
  });
});

test('key conditions: partition equality and one sort condition, checked against the key schema', () => {
  const schema: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } };
  const values = { ':p': { S: 'p' }, ':lo': { N: '1' }, ':hi': { N: '5' } };
  assert.deepEqual(engine.compile({ keyCondition: 'pk = :p' }, v({ ':p': { S: 'p' } }), schema).keyCondition, { hashValue: { S: 'p' } });
  assert.deepEqual(engine.compile({ keyCondition: 'pk = :p AND sk BETWEEN :lo AND :hi' }, v(values), schema).keyCondition, { hashValue: { S: 'p' }, range: { op: 'BETWEEN', low: { N: '1' }, high: { N: '5' } } });
  assert.deepEqual(engine.compile({ keyCondition: ':lo < sk AND :p = pk' }, v({ ':p': { S: 'p' }, ':lo': { N: '1' } }), schema).keyCondition, { hashValue: { S: 'p' }, range: { op: '>', value: { N: '1' } } });
  const strings: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'S' } };
  assert.deepEqual(engine.compile({ keyCondition: 'pk = :p AND begins_with(sk, :p)' }, v({ ':p': { S: 'p' } }), strings).keyCondition, { hashValue: { S: 'p' }, range: { op: 'begins_with', prefix: { S: 'p' } } });

  const cases: Array<[string, Record<string, AttributeValue>, string]> = [
    ['sk = :lo', { ':lo': { N: '1' } }, 'Query condition missed key schema element: pk'],
    ['pk = :p AND nonkey = :lo', { ':p': { S: 'p' }, ':lo': { N: '1' } }, 'Query condition missed key schema element: sk'],
    ['pk < :p', { ':p': { S: 'p' } }, 'Query key condition not supported'],
    ['pk = :lo', { ':lo': { N: '1' } }, 'One or more parameter values were invalid: Condition parameter type does not match schema type'],
    ['pk = :p OR sk = :lo', { ':p': { S: 'p' }, ':lo': { N: '1' } }, 'Invalid operator used in KeyConditionExpression: OR'],
    ['pk = :p AND sk <> :lo', { ':p': { S: 'p' }, ':lo': { N: '1' } }, 'Invalid operator used in KeyConditionExpression: <>'],
    ['pk = :p AND attribute_exists(sk)', { ':p': { S: 'p' } }, 'Invalid operator used in KeyConditionExpression: attribute_exists'],
    ['pk = :p AND pk = :p', { ':p': { S: 'p' } }, 'KeyConditionExpressions must only contain one condition per key'],
    ['pk.x = :p', { ':p': { S: 'p' } }, 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['pk = :p AND size(sk) = :lo', { ':p': { S: 'p' }, ':lo': { N: '1' } }, 'KeyConditionExpressions cannot contain nested operations'],
  ];
  for (const [keyCondition, values, message] of cases) refused({ keyCondition }, v(values), message, schema);
  refused({ keyCondition: 'pk = :p AND sk = :p' }, v({ ':p': { S: 'p' } }), 'Query key condition not supported', { hash: { name: 'pk', type: 'S' } });
});

test('names and values are counted as used across all expressions of a request', () => {
  const compiled = engine.compile(
    { condition: 'attribute_exists(#k)', update: 'SET #a = :v', projection: '#p' },
    { names: { '#k': 'pk', '#a': 'a', '#p': 'p' }, values: { ':v': { N: '1.50' } } },
  );
  assert.deepEqual(engine.applyUpdate(compiled.update!, { pk: { S: 'x' } }), { pk: { S: 'x' }, a: { N: '1.5' } });
});

function refusedWith(run: () => unknown, message: string): void {
  assert.throws(run, (e: unknown) => {
    if (!(e instanceof ExpressionInvalid)) throw e;
    assert.equal(e.message, message);
    return true;
  });
}

test('legacy Expected and filters become conditions with the same evaluation', () => {
  const item: Item = { a: { N: '5' }, s: { S: 'hello' }, ss: { SS: ['x'] } };
  const cases: Array<[ReturnType<typeof conditionFromExpected>, boolean]> = [
    [conditionFromExpected({ a: { Value: { N: '5.0' } } }), true],
    [conditionFromExpected({ a: { Exists: false } }), false],
    [conditionFromExpected({ b: { Exists: false }, a: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '4' }] } }), true],
    [conditionFromExpected({ b: { Exists: false }, a: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '6' }] } }, 'OR'), true],
    [conditionFromFilter({ a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '5' }] } }), true],
    [conditionFromFilter({ s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'he' }] } }), true],
    [conditionFromFilter({ ss: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'x' }] } }), true],
    [conditionFromFilter({ ss: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'x' }] } }), false],
    [conditionFromFilter({ b: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'x' }] } }), false],
    [conditionFromFilter({ b: { ComparisonOperator: 'NULL' } }), true],
    [conditionFromFilter({ a: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '1' }, { N: '5' }] } }), true],
    [conditionFromFilter({ a: { ComparisonOperator: 'NE', AttributeValueList: [{ N: '5' }] } }), false],
    [conditionFromFilter({}), true],
  ];
  cases.forEach(([condition, expected], i) => assert.equal(engine.evaluate(condition, item), expected, `case ${i}`));
});

test('legacy parameters are refused with AWS texts', () => {
  const p = 'One or more parameter values were invalid: ';
  refusedWith(() => conditionFromExpected({ a: { Exists: true } }), `${p}Value must be provided when Exists is true for Attribute: a`);
  refusedWith(() => conditionFromExpected({ a: {} }), `${p}Value must be provided when Exists is null for Attribute: a`);
  refusedWith(() => conditionFromExpected({ a: { Exists: false, Value: { S: 'x' } } }), `${p}Value cannot be used when Exists is false for Attribute: a`);
  refusedWith(() => conditionFromExpected({ a: { Exists: true, ComparisonOperator: 'EQ', Value: { S: 'x' } } }), `${p}Exists and ComparisonOperator cannot be used together for Attribute: a`);
  refusedWith(() => conditionFromFilter({ a: { ComparisonOperator: 'EQ', AttributeValueList: [] } }), `${p}Invalid number of argument(s) for the EQ ComparisonOperator`);
  refusedWith(() => conditionFromFilter({ a: { ComparisonOperator: 'LT', AttributeValueList: [{ SS: ['x'] }] } }), `${p}ComparisonOperator LT is not valid for SS AttributeValue type`);
  refusedWith(() => conditionFromFilter({ a: { ComparisonOperator: 'IN', AttributeValueList: [{ S: 'x' }, { N: '1' }] } }), `${p}AttributeValues inside AttributeValueList must be of same type`);
  refusedWith(() => conditionFromFilter({ a: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '2' }, { N: '1' }] } }), 'The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  refusedWith(() => updateFromAttributeUpdates({ a: { Action: 'PUT' } }), `${p}Only DELETE action is allowed when no attribute value is specified`);
  refusedWith(() => updateFromAttributeUpdates({ a: { Action: 'ADD', Value: { S: 'x' } } }), `${p}ADD action is not supported for the type S`);
  refusedWith(() => updateFromAttributeUpdates({ a: { Action: 'DELETE', Value: { N: '1' } } }), `${p}DELETE action with value is not supported for the type N`);
  refusedWith(
    () => rejectMixedParameters({ Expected: {}, ConditionExpression: 'a = :v' }, ['ConditionExpression'], ['Expected']),
    'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}',
  );
  assert.doesNotThrow(() => rejectMixedParameters({ KeyConditions: {}, FilterExpression: 'a = :v' }, ['KeyConditionExpression', 'FilterExpression'], ['KeyConditions', 'QueryFilter']));
});

test('legacy AttributeUpdates, KeyConditions and AttributesToGet', () => {
  const update = updateFromAttributeUpdates({
    put: { Value: { S: 'new' } },
    gone: { Action: 'DELETE' },
    n: { Action: 'ADD', Value: { N: '2' } },
    l: { Action: 'ADD', Value: { L: [{ S: 'b' }] } },
    ss: { Action: 'DELETE', Value: { SS: ['a'] } },
  });
  assert.deepEqual(engine.applyUpdate(update, { gone: { S: 'x' }, n: { N: '1' }, l: { L: [{ S: 'a' }] }, ss: { SS: ['a', 'b'] } }), {
    put: { S: 'new' },
    n: { N: '3' },
    l: { L: [{ S: 'a' }, { S: 'b' }] },
    ss: { SS: ['b'] },
  });
  refusedWith(() => engine.applyUpdate(updateFromAttributeUpdates({ n: { Action: 'ADD', Value: { N: '1' } } }), { n: { S: 'x' } }), 'Type mismatch for attribute to update');
  const schema: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } };
  assert.deepEqual(
    keyConditionFromLegacy({ pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, sk: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '2' }] } }, schema),
    { hashValue: { S: 'p' }, range: { op: '>=', value: { N: '2' } } },
  );
  refusedWith(() => keyConditionFromLegacy({ pk: { ComparisonOperator: 'NE', AttributeValueList: [{ S: 'p' }] } }, schema), 'Attempted conditional constraint is not an indexable operation');
  assert.deepEqual(engine.project({ a: { S: '1' }, b: { S: '2' } }, projectionFromAttributesToGet(['b', 'c'])), { b: { S: '2' } });
});
