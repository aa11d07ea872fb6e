import assert from 'node:assert/strict';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import type { AttributeValue, Item } from '../src/services/dynamodb/attribute-value.js';
import {
  AttributeValueInvalid,
  compareScalars,
  itemSize,
  keyOf,
  keyString,
  sortableKey,
  sortablePrefixRange,
  validateAttributeValue,
  validateItem,
  valuesEqual,
} from '../src/services/dynamodb/attribute-values.js';
import { Decimal } from 'decimal.js';
import { addNumbers, canonicalNumber, compareNumbers, decompose, subtractNumbers } from '../src/services/dynamodb/numbers.js';

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

test('numbers: canonical form as DynamoDB returns them', () => {
  const cases: Array<[string, string]> = [
    ['1.50', '1.5'],
    ['-0', '0'],
    ['0.000', '0'],
    ['1e3', '1000'],
    ['1E+3', '1000'],
    ['007', '7'],
    ['-00.0100', '-0.01'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['+12', '12'],
    ['1.23e-2', '0.0123'],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
    ['1000000000000000000000000000000000000000000', '1000000000000000000000000000000000000000000'],
    ['9.9999999999999999999999999999999999999E+125', '99999999999999999999999999999999999999' + '0'.repeat(88)],
    ['1E-130', '0.' + '0'.repeat(129) + '1'],
  ];
  for (const [input, expected] of cases) assert.equal(canonicalNumber(input), expected, input);
});

test('numbers: invalid ones are refused with AWS texts', () => {
  const cases: Array<[string, string]> = [
    ['', 'The parameter cannot be converted to a numeric value'],
    ['abc', 'The parameter cannot be converted to a numeric value: abc'],
    ['0x10', 'The parameter cannot be converted to a numeric value: 0x10'],
    ['Infinity', 'The parameter cannot be converted to a numeric value: Infinity'],
    ['NaN', 'The parameter cannot be converted to a numeric value: NaN'],
    [' 1', 'The parameter cannot be converted to a numeric value:  1'],
    ['1e', 'The parameter cannot be converted to a numeric value: 1e'],
    ['123456789012345678901234567890123456789', 'Attempting to store more than 38 significant digits in a Number'],
    ['-1.23456789012345678901234567890123456789', 'Attempting to store more than 38 significant digits in a Number'],
    ['1e126', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['-1e126', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['1e99999999999999999999', 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['1e-131', 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
    ['-1e-131', 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
    ['1e-99999999999999999999', 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => canonicalNumber(input), (e: unknown) => e instanceof AttributeValueInvalid && e.message === message && e.errorType === 'ValidationException', input);
  }
});

test('numbers: compare, add and subtract exactly, refusing results beyond 38 digits or the range', () => {
  assert.equal(compareNumbers('1.0', '1'), 0);
  assert.equal(compareNumbers('-2', '1e-130'), -1);
  assert.equal(compareNumbers('1e125', '99999999999999999999999999999999999999'), 1);
  assert.equal(addNumbers('0.1', '0.2'), '0.3');
  assert.equal(addNumbers('99999999999999999999999999999999999998', '1'), '99999999999999999999999999999999999999');
  assert.equal(subtractNumbers('1', '1.000'), '0');
  assert.equal(subtractNumbers('-5.5', '4.5'), '-10');
  assert.throws(() => addNumbers('99999999999999999999999999999999999999', '0.1'), { message: 'Attempting to store more than 38 significant digits in a Number' });
  assert.throws(() => addNumbers('9.9999999999999999999999999999999999999E+125', '1e88'), { message: /^Number overflow/ });
  assert.throws(() => subtractNumbers('1e-130', '9e-131'), { message: /^Number underflow/ });
});

// Numbers across sign, magnitude, exponent and digit count; every pair is checked.
const NUMBERS = [
  '0', '1', '-1', '2', '-2', '10', '-10', '9', '-9', '1.5', '-1.5', '1.05', '-1.05', '1.50001', '-1.50001',
  '0.1', '-0.1', '0.01', '-0.01', '0.09', '-0.09', '0.11', '-0.11', '100', '-100', '99', '-99', '101', '-101',
  '1e125', '-1e125', '9.9999999999999999999999999999999999999E+125', '-9.9999999999999999999999999999999999999E+125',
  '1e-130', '-1e-130', '1.1e-130', '-1.1e-130', '9e-131', '-9e-131', '12345678901234567890123456789012345678',
  '-12345678901234567890123456789012345678', '12345678901234567890123456789012345679', '1.2345678901234567890123456789012345678',
  '-1.2345678901234567890123456789012345678', '1.2345678901234567890123456789012345677', '123', '1234', '12', '120',
  '-12', '-120', '-123', '0.5', '-0.5', '5', '-5', '50', '-50', '1e10', '1e-10', '-1e10', '-1e-10', '3.14159', '-3.14159',
];

test('sortableKey orders numbers exactly as decimal comparison does, across signs, exponents and 38 digits', () => {
  const valid = NUMBERS.filter((n) => {
    try {
      canonicalNumber(n);
      return true;
    } catch {
      return false;
    }
  });
  assert.ok(valid.length >= NUMBERS.length - 2, 'only 9e-131 and its negative are out of range');
  for (const a of valid) {
    for (const b of valid) {
      const keyA = sortableKey({ N: a });
      const keyB = sortableKey({ N: b });
      assert.equal(sign(keyA < keyB ? -1 : keyA > keyB ? 1 : 0), compareNumbers(a, b), `${a} vs ${b}: ${keyA} vs ${keyB}`);
    }
  }
  assert.equal(sortableKey({ N: '1.50' }), sortableKey({ N: '1.5' }));
});

test('sortableKey orders pseudo-random numbers as decimal comparison does', () => {
  let seed = 42;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed);
  const numbers: string[] = [];
  for (let i = 0; i < 400; i++) {
    const digits = Array.from({ length: 1 + (next() % 38) }, () => String(next() % 10)).join('');
    const exponent = (next() % 200) - 100;
    numbers.push(`${next() % 2 ? '-' : ''}${digits}e${exponent}`);
  }
  const byKey = [...numbers].sort((a, b) => (sortableKey({ N: a }) < sortableKey({ N: b }) ? -1 : 1));
  for (let i = 1; i < byKey.length; i++) assert.ok(compareNumbers(byKey[i - 1]!, byKey[i]!) <= 0, `${byKey[i - 1]} before ${byKey[i]}`);
});

const STRINGS = ['', 'a', 'A', 'ab', 'b', 'a\u0000', 'é', 'z', '\u00ff', '\u0100', '\uffff', '\u{10000}', '\u{1f600}', '\ue000', 'ä', 'ab\u{1f600}', 'abc'];

test('strings order by UTF-8 bytes, not UTF-16 code units, in compareScalars, sortableKey and SQLite', () => {
  const utf8Order = [...STRINGS].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  // The UTF-16 order differs: U+E000 and U+FFFF come after the surrogate pairs there.
  assert.notDeepEqual(utf8Order, [...STRINGS].sort());
  assert.deepEqual([...STRINGS].sort((a, b) => compareScalars({ S: a }, { S: b })!), utf8Order);
  assert.deepEqual([...STRINGS].sort((a, b) => (sortableKey({ S: a }) < sortableKey({ S: b }) ? -1 : 1)), utf8Order);

  const db = new SqliteDatabase(':memory:');
  db.exec('CREATE TABLE k (v TEXT, sk TEXT)');
  const insert = db.prepare('INSERT INTO k VALUES (?, ?)');
  for (const s of STRINGS) insert.run(s, sortableKey({ S: s }));
  assert.deepEqual(db.prepare('SELECT v FROM k ORDER BY sk').all().map((r) => (r as { v: string }).v), utf8Order);
  const prefix = sortablePrefixRange({ S: 'ab' });
  assert.deepEqual(db.prepare('SELECT v FROM k WHERE sk >= ? AND sk < ? ORDER BY sk').all(prefix.from, prefix.below).map((r) => (r as { v: string }).v), ['ab', 'abc', 'ab\u{1f600}']);
  db.close();
});

test('numbers sort in SQLite by their sortable keys as DynamoDB sorts them', () => {
  const valid = NUMBERS.filter((n) => !n.includes('e-131'));
  const db = new SqliteDatabase(':memory:');
  db.exec('CREATE TABLE k (v TEXT, sk TEXT)');
  const insert = db.prepare('INSERT INTO k VALUES (?, ?)');
  for (const n of valid) insert.run(n, sortableKey({ N: n }));
  const sorted = db.prepare('SELECT v FROM k ORDER BY sk').all().map((r) => (r as { v: string }).v);
  for (let i = 1; i < sorted.length; i++) assert.ok(compareNumbers(sorted[i - 1]!, sorted[i]!) < 0, `${sorted[i - 1]} before ${sorted[i]}`);
  db.close();
});

test('binaries order bytewise', () => {
  const values = [[], [0], [0, 0], [1], [0x7f], [0x80], [0xff], [0xff, 0]].map((bytes) => Buffer.from(bytes).toString('base64'));
  const sorted = [...values].sort((a, b) => Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64')));
  assert.deepEqual([...values].reverse().sort((a, b) => compareScalars({ B: a }, { B: b })!), sorted);
  assert.deepEqual([...values].reverse().sort((a, b) => (sortableKey({ B: a }) < sortableKey({ B: b }) ? -1 : 1)), sorted);
});

test('compareScalars: different or non-scalar types cannot be ordered', () => {
  assert.equal(compareScalars({ S: '1' }, { N: '1' }), null);
  assert.equal(compareScalars({ BOOL: true }, { BOOL: true }), null);
  assert.equal(compareScalars({ N: '10' }, { N: '9' }), 1);
});

test('item sizes: UTF-8 names and strings, packed numbers, decoded binaries, container overheads', () => {
  const cases: Array<[Item, number]> = [
    [{ a: { S: 'héllo' } }, 1 + 6],
    [{ n: { N: '0' } }, 1 + 1],
    [{ n: { N: '1' } }, 1 + 2],
    [{ n: { N: '12' } }, 1 + 2],
    [{ n: { N: '1.2' } }, 1 + 3],
    [{ n: { N: '-1.2' } }, 1 + 4],
    [{ n: { N: '123' } }, 1 + 3],
    [{ n: { N: '12345678901234567890123456789012345678' } }, 1 + 20],
    [{ b: { B: Buffer.from('abcd').toString('base64') } }, 1 + 4],
    [{ t: { BOOL: true }, z: { NULL: true } }, 2 + 2],
    [{ ss: { SS: ['ab', 'c'] } }, 2 + 3],
    [{ ns: { NS: ['1', '12'] } }, 2 + 4],
    [{ l: { L: [{ BOOL: true }, { NULL: true }] } }, 1 + 3 + 2 + 2],
    [{ m: { M: { ab: { S: 'x' } } } }, 1 + 3 + 1 + 3],
    [{ 'ключ': { S: '' } }, 8],
  ];
  for (const [item, size] of cases) assert.equal(itemSize(item), size, JSON.stringify(item));
});

test('validation: AWS texts for malformed attribute values', () => {
  const prefix = 'One or more parameter values were invalid: ';
  const cases: Array<[unknown, string, string?]> = [
    [{}, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
    [{ X: 'a' }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
    [{ M: { a: {} } }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
    [{ S: 'a', BOOL: true }, 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'],
    [{ S: 'a', N: 'b' }, 'The parameter cannot be converted to a numeric value: b'],
    [{ NULL: false }, `${prefix}Null attribute value types must have the value of true`],
    [{ SS: [] }, `${prefix}An string set  may not be empty`],
    [{ NS: [] }, `${prefix}An number set  may not be empty`],
    [{ BS: [] }, `${prefix}Binary sets should not be empty`],
    [{ SS: ['a', 'a'] }, `${prefix}Input collection [a, a] contains duplicates.`],
    [{ NS: ['1', '1.0'] }, 'Input collection contains duplicates'],
    [{ NS: ['1', 'b'] }, 'The parameter cannot be converted to a numeric value: b'],
    [{ BS: ['Yg==', 'Yg=='] }, `${prefix}Input collection [Yg==, Yg==]of type BS contains duplicates.`],
    [{ B: 'abc' }, 'Base64 encoded length is expected a multiple of 4 bytes but found: 3', 'SerializationException'],
    [{ B: 'Yh==' }, 'Invalid last non-pad Base64 character dectected', 'SerializationException'],
    [{ S: 5 }, 'NUMBER_VALUE cannot be converted to String', 'SerializationException'],
    [{ L: [{ N: '1e200' }] }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
  ];
  for (const [value, message, errorType = 'ValidationException'] of cases) {
    assert.throws(
      () => validateAttributeValue(value),
      (e: unknown) => e instanceof AttributeValueInvalid && e.message === message && e.errorType === errorType,
      JSON.stringify(value),
    );
  }
});

test('validation: 31 nested maps or lists are accepted, a 32nd is refused', () => {
  const nest = (levels: number): AttributeValue => {
    let value: AttributeValue = { S: 'leaf' };
    for (let i = 0; i < levels; i++) value = i % 2 ? { M: { x: value } } : { L: [value] };
    return value;
  };
  assert.doesNotThrow(() => validateItem({ a: nest(31) }));
  assert.throws(() => validateItem({ a: nest(32) }), { message: 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit' });
});

test('validation normalises numbers everywhere and keeps everything else as given', () => {
  const item = validateItem({
    n: { N: '1.50' },
    ns: { NS: ['1e2', '-0'] },
    l: { L: [{ N: '007' }, { S: '007' }] },
    m: { M: { x: { N: '2.0e1' }, skip: null } },
    b: { B: '' },
    s: { S: '' },
  });
  assert.deepEqual(item, {
    n: { N: '1.5' },
    ns: { NS: ['100', '0'] },
    l: { L: [{ N: '7' }, { S: '007' }] },
    m: { M: { x: { N: '20' } } },
    b: { B: '' },
    s: { S: '' },
  });
});

test('equality: numbers by value, sets unordered, lists ordered, maps by key', () => {
  const equal: Array<[AttributeValue, AttributeValue]> = [
    [{ N: '1' }, { N: '1.0' }],
    [{ NS: ['1', '2'] }, { NS: ['2.0', '1'] }],
    [{ SS: ['a', 'b'] }, { SS: ['b', 'a'] }],
    [{ BS: ['AQ==', 'Ag=='] }, { BS: ['Ag==', 'AQ=='] }],
    [{ M: { a: { N: '1' }, b: { L: [] } } }, { M: { b: { L: [] }, a: { N: '1.00' } } }],
    [{ NULL: true }, { NULL: true }],
  ];
  const different: Array<[AttributeValue, AttributeValue]> = [
    [{ N: '1' }, { S: '1' }],
    [{ L: [{ N: '1' }, { N: '2' }] }, { L: [{ N: '2' }, { N: '1' }] }],
    [{ SS: ['a'] }, { SS: ['a', 'b'] }],
    [{ M: { a: { N: '1' } } }, { M: { b: { N: '1' } } }],
    [{ BOOL: true }, { BOOL: false }],
    [{ SS: ['a'] }, { L: [{ S: 'a' }] }],
  ];
  for (const [a, b] of equal) assert.ok(valuesEqual(a, b) && valuesEqual(b, a), JSON.stringify([a, b]));
  for (const [a, b] of different) assert.ok(!valuesEqual(a, b) && !valuesEqual(b, a), JSON.stringify([a, b]));
});

test('keyOf picks the key attributes; keyString identifies a key by value, whatever the attribute order', () => {
  const schema = { hash: { name: 'pk', type: 'S' as const }, range: { name: 'sk', type: 'N' as const } };
  assert.deepEqual(keyOf({ pk: { S: 'a' }, sk: { N: '1' }, other: { S: 'x' } }, schema), { pk: { S: 'a' }, sk: { N: '1' } });
  assert.equal(keyOf({ pk: { S: 'a' } }, schema), undefined);
  assert.deepEqual(keyOf({ pk: { S: 'a' } }, { hash: schema.hash }), { pk: { S: 'a' } });
  assert.equal(keyString({ pk: { S: 'a' }, sk: { N: '1.0' } }), keyString({ sk: { N: '1' }, pk: { S: 'a' } }));
  assert.notEqual(keyString({ pk: { S: 'a' }, sk: { N: '1' } }), keyString({ pk: { S: 'a' }, sk: { N: '2' } }));
  assert.notEqual(keyString({ pk: { S: 'ab' } }), keyString({ pk: { B: Buffer.from('ab').toString('base64') } }));
});

test('numbers: plain integers take a short path that agrees with the decimal arithmetic, sign, digits and exponent', () => {
  const integers = ['0', '7', '-7', '10', '-1000', '17', '120', '99999999999999999999999999999999999999', '-10000000000000000000000000000000000000', '123456789012345678901234567890'];
  for (let i = 0; i < 500; i++) {
    const length = 1 + Math.floor(Math.random() * 38);
    let digits = String(1 + Math.floor(Math.random() * 9));
    for (let d = 1; d < length; d++) digits += Math.random() < 0.3 ? '0' : String(Math.floor(Math.random() * 10));
    integers.push(Math.random() < 0.5 ? `-${digits}` : digits);
  }
  for (const text of integers) {
    const reference = new Decimal(text);
    assert.equal(canonicalNumber(text), reference.isZero() ? '0' : reference.toFixed(), text);
    const parts = decompose(text);
    if (reference.isZero()) {
      assert.equal(parts, null);
      continue;
    }
    const [mantissa] = reference.abs().toExponential().split('e');
    assert.deepEqual(parts, { negative: reference.isNegative(), digits: mantissa!.replace('.', ''), exponent: reference.e }, text);
  }
});
