import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../src/store/database.js';
import { hashKeyOfPartitionKey, MAX_HASH_KEY, parseHashKey, uniformRanges } from '../src/services/kinesis/hash-keys.js';
import { expireRecords } from '../src/services/kinesis/retention.js';
import { ceilingAt, floorAt, formatSequence, parseSequence } from '../src/services/kinesis/sequence-numbers.js';
import { ShardIterators } from '../src/services/kinesis/shard-iterators.js';
import { consumerTransition, streamTransition, type ConsumerEvent, type ConsumerStatus, type StreamEvent, type StreamStatus } from '../src/services/kinesis/stream-states.js';
import { shardIdOf, shardIndexOf } from '../src/services/kinesis/arns.js';
import { TransitionNotAllowed } from '../src/lifecycle.js';

test('sequence numbers: 56 digits, ordered by arrival time then counter, with floors and ceilings per shard', () => {
  const a = formatSequence({ timeMs: 1_700_000_000_000, shardIndex: 3, counter: 9 });
  const b = formatSequence({ timeMs: 1_700_000_000_000, shardIndex: 3, counter: 10 });
  const c = formatSequence({ timeMs: 1_700_000_000_001, shardIndex: 3, counter: 1 });
  for (const s of [a, b, c]) assert.match(s, /^4\d{55}$/);
  assert.ok(a < b && b < c);
  assert.deepEqual(parseSequence(b), { timeMs: 1_700_000_000_000, shardIndex: 3, counter: 10 });
  assert.ok(floorAt(1_700_000_000_000, 3) < a && ceilingAt(1_700_000_000_001, 3) > c);
  assert.equal(parseSequence('49590338271490256608559692538361571095921575989136588898'), null);
  assert.equal(parseSequence('123'), null);
});

test('hash keys: MD5 as a 128-bit integer, uniform ranges covering the key space without gaps', () => {
  assert.equal(hashKeyOfPartitionKey('a'), BigInt('0x0cc175b9c0f1b6a831c399e269772661'));
  for (const n of [1, 2, 3, 7]) {
    const ranges = uniformRanges(n);
    assert.equal(ranges[0]!.start, 0n);
    assert.equal(ranges[n - 1]!.end, MAX_HASH_KEY);
    for (let i = 1; i < n; i++) assert.equal(ranges[i]!.start, ranges[i - 1]!.end + 1n);
  }
  assert.equal(parseHashKey(MAX_HASH_KEY.toString()), MAX_HASH_KEY);
  assert.equal(parseHashKey((MAX_HASH_KEY + 1n).toString()), null);
  assert.equal(parseHashKey('01'), null);
  assert.equal(shardIdOf(7), 'shardId-000000000007');
  assert.equal(shardIndexOf('shardId-000000000007'), 7);
  assert.equal(shardIndexOf('7'), 7);
  assert.equal(shardIndexOf('shard id'), null);
});

test('shard iterators round-trip, stay under 512 characters, and refuse any other key or a change', () => {
  const iterators = new ShardIterators(Buffer.alloc(32, 1));
  const state = { streamId: 4_000_000_000, streamName: 'n'.repeat(128), shardIndex: 2_147_483_647, position: { sequence: formatSequence({ timeMs: 1, shardIndex: 1, counter: 1 }), inclusive: false }, issuedAt: 1_700_000_000_000 };
  const token = iterators.encode(state);
  assert.ok(token.length <= 512, `${token.length} characters`);
  assert.deepEqual(iterators.decode(token), state);
  assert.equal(new ShardIterators(Buffer.alloc(32, 2)).decode(token), null);
  assert.equal(iterators.decode('AAAA'), null);
});

const STREAM_STATES: StreamStatus[] = ['CREATING', 'ACTIVE', 'UPDATING', 'DELETING', 'DELETED'];
const STREAM_EVENTS: StreamEvent[] = ['settle', 'reshard', 'delete'];
const STREAM_ALLOWED: Array<[StreamStatus, StreamEvent, StreamStatus]> = [
  ['CREATING', 'settle', 'ACTIVE'],
  ['ACTIVE', 'reshard', 'UPDATING'],
  ['ACTIVE', 'delete', 'DELETING'],
  ['UPDATING', 'settle', 'ACTIVE'],
  ['UPDATING', 'delete', 'DELETING'],
  ['DELETING', 'settle', 'DELETED'],
];
const CONSUMER_STATES: ConsumerStatus[] = ['CREATING', 'ACTIVE', 'DELETING', 'DELETED'];
const CONSUMER_EVENTS: ConsumerEvent[] = ['settle', 'deregister'];
const CONSUMER_ALLOWED: Array<[ConsumerStatus, ConsumerEvent, ConsumerStatus]> = [
  ['CREATING', 'settle', 'ACTIVE'],
  ['CREATING', 'deregister', 'DELETING'],
  ['ACTIVE', 'deregister', 'DELETING'],
  ['DELETING', 'settle', 'DELETED'],
];

test('stream and consumer lifecycles allow exactly the listed transitions', () => {
  for (const from of STREAM_STATES) {
    for (const event of STREAM_EVENTS) {
      const allowed = STREAM_ALLOWED.find(([a, e]) => a === from && e === event);
      if (allowed) assert.equal(streamTransition(from, event), allowed[2]);
      else assert.throws(() => streamTransition(from, event), (e: unknown) => e instanceof TransitionNotAllowed && e.machine === 'stream' && e.state === from && e.event === event);
    }
  }
  for (const from of CONSUMER_STATES) {
    for (const event of CONSUMER_EVENTS) {
      const allowed = CONSUMER_ALLOWED.find(([a, e]) => a === from && e === event);
      if (allowed) assert.equal(consumerTransition(from, event), allowed[2]);
      else assert.throws(() => consumerTransition(from, event), (e: unknown) => e instanceof TransitionNotAllowed && e.machine === 'consumer' && e.state === from && e.event === event);
    }
  }
});

test('expireRecords deletes records older than the retention period, and closed shards older than it', async () => {
  const db = await openStore({ kind: 'sqlite', dataDir: ':memory:' });
  const now = 100 * 3_600_000;
  const { id } = await db
    .insertInto('kinesis_streams')
    .values({ account_id: 'a', region: 'r', name: 's', mode: 'PROVISIONED', status: 'ACTIVE', status_until: null, retention_hours: 24, tags: '{}', next_shard_index: 2, created_at: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const shard = (index: number, closedAt: number | null) => ({
    stream_id: id, shard_index: index, parent_index: null, adjacent_parent_index: null, starting_hash_key: '0', ending_hash_key: '1',
    starting_sequence_number: floorAt(0, index), ending_sequence_number: closedAt === null ? null : ceilingAt(closedAt, index), created_at: 0, closed_at: closedAt,
    last_arrival_ms: 0, last_counter: 0, last_sequence_number: null,
  });
  await db.insertInto('kinesis_shards').values([shard(0, now - 25 * 3_600_000), shard(1, null)]).execute();
  const record = (index: number, at: number, counter: number) => ({ stream_id: id, shard_index: index, sequence_number: formatSequence({ timeMs: at, shardIndex: index, counter }), partition_key: 'k', data: Buffer.from('x'), arrival_ms: at });
  await db.insertInto('kinesis_records').values([record(0, now - 30 * 3_600_000, 1), record(1, now - 25 * 3_600_000, 1), record(1, now - 23 * 3_600_000, 2)]).execute();
  assert.deepEqual(await expireRecords(db, now), { records: 2, shards: 1 });
  const left = await db.selectFrom('kinesis_records').select(['shard_index', 'arrival_ms']).execute();
  assert.deepEqual(left, [{ shard_index: 1, arrival_ms: now - 23 * 3_600_000 }]);
  assert.deepEqual((await db.selectFrom('kinesis_shards').select('shard_index').execute()).map((r) => r.shard_index), [1]);
  await db.destroy();
});
