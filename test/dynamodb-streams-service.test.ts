import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestContext } from '../src/contracts/request-context.js';
import { AwsError } from '../src/contracts/aws-error.js';
import { openStore, type Store } from '../src/store/database.js';
import { createStreamChangeWriter, type DynamodbStreamWriter } from '../src/services/dynamodb/streams/change-writer.js';
import { createDynamodbStreamsService } from '../src/services/dynamodb/streams/service.js';
import { ShardIterators } from '../src/services/dynamodb/streams/shard-iterators.js';
import { createDynamodbStreamReader } from '../src/services/dynamodb/streams/stream-reader.js';
import { RECORD_RETENTION_MS, SHARD_ITERATOR_TTL_MS } from '../src/services/dynamodb/streams/limits.js';
import { trimStreams } from '../src/services/dynamodb/streams/trim.js';
import type { ItemChange, TableStream, TableStreamCatalog } from '../src/services/dynamodb/stream-contract.js';

// The streams API against a catalog held in memory (the tables side's part); the SDK, CLI and
// the item write path drive it end to end in dynamodb-streams-api.test.ts.
const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/photos/stream/2024-01-01T00:00:00.000';
const OTHER = 'arn:aws:dynamodb:us-east-1:000000000000:table/owners/stream/2024-01-02T00:00:00.000';

function manualClock(start: number) {
  let now = start;
  return { now: () => now, setTimeout: () => ({ cancel() {} }), advance: (ms: number) => void (now += ms) };
}

async function setup() {
  const db: Store = await openStore({ kind: 'sqlite', dataDir: ':memory:' });
  const clock = manualClock(1_700_000_000_000);
  const streams = new Map<string, TableStream>();
  for (const [arn, tableName] of [[ARN, 'photos'], [OTHER, 'owners']] as const) {
    streams.set(arn, { streamArn: arn, label: arn.split('/stream/')[1]!, tableName, keySchema: { hash: { name: 'id', type: 'S' }, range: { name: 'n', type: 'N' } }, viewType: 'NEW_AND_OLD_IMAGES', status: 'ENABLED', createdMs: 1_690_000_000_000 });
  }
  const catalog: TableStreamCatalog = {
    list: async (table) => [...streams.values()].filter((s) => !table || s.tableName === table),
    find: async (arn) => streams.get(arn),
  };
  const writer: DynamodbStreamWriter = createStreamChangeWriter({ clock });
  const service = createDynamodbStreamsService({ db, clock, catalog, notifications: writer.notifications, iterators: new ShardIterators(Buffer.from('secret')) });
  const call = async (operation: string, input: Record<string, unknown>) => {
    const ctx = { headers: { 'x-amz-target': `DynamoDBStreams_20120810.${operation}` }, body: Buffer.from(JSON.stringify(input)) } as unknown as RequestContext;
    try {
      const res = await service.handle(ctx);
      return JSON.parse(String(res.body)) as Record<string, any>;
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      const res = service.serializeError(err);
      return { status: res.status, ...(JSON.parse(String(res.body)) as Record<string, any>) };
    }
  };
  const write = (arn: string, changes: ItemChange[]) => db.transaction().execute((tx) => writer.append(tx, streams.get(arn)!, changes));
  return { db, clock, streams, catalog, writer, call, write };
}

const put = (id: string, n: string, v: string): ItemChange => ({ eventName: 'INSERT', keys: { id: { S: id }, n: { N: n } }, newImage: { id: { S: id }, n: { N: n }, v: { S: v } } });

test('ListStreams pages by ExclusiveStartStreamArn and filters by table', async () => {
  const { call, db } = await setup();
  const all = await call('ListStreams', {});
  assert.deepEqual(all.Streams.map((s: { TableName: string }) => s.TableName), ['owners', 'photos']);
  assert.deepEqual(all.Streams[1], { StreamArn: ARN, TableName: 'photos', StreamLabel: '2024-01-01T00:00:00.000' });
  const first = await call('ListStreams', { Limit: 1 });
  assert.equal(first.Streams.length, 1);
  assert.equal(first.LastEvaluatedStreamArn, OTHER);
  const second = await call('ListStreams', { Limit: 1, ExclusiveStartStreamArn: first.LastEvaluatedStreamArn });
  assert.deepEqual(second.Streams.map((s: { StreamArn: string }) => s.StreamArn), [ARN]);
  assert.equal(second.LastEvaluatedStreamArn, undefined);
  assert.deepEqual((await call('ListStreams', { TableName: 'photos' })).Streams.length, 1);
  const bad = await call('ListStreams', { Limit: 0 });
  assert.equal(bad.__type, 'com.amazonaws.dynamodb.v20120810#ValidationException');
  assert.equal(bad.message, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  await db.destroy();
});

test('DescribeStream shows the open shard at once, the key schema, and AWS text for a missing stream', async () => {
  const { call, db } = await setup();
  const d = (await call('DescribeStream', { StreamArn: ARN })).StreamDescription;
  assert.equal(d.StreamStatus, 'ENABLED');
  assert.equal(d.StreamViewType, 'NEW_AND_OLD_IMAGES');
  assert.equal(d.TableName, 'photos');
  assert.equal(d.CreationRequestDateTime, 1_690_000_000);
  assert.deepEqual(d.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }]);
  assert.equal(d.Shards.length, 1);
  assert.match(d.Shards[0].ShardId, /^shardId-\d{20}-[0-9a-f]{8}$/);
  assert.equal(d.Shards[0].SequenceNumberRange.EndingSequenceNumber, undefined);
  const missing = ARN.replace('photos', 'nope');
  const err = await call('DescribeStream', { StreamArn: missing });
  assert.equal(err.status, 400);
  assert.equal(err.__type, 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException');
  assert.equal(err.message, `Requested resource not found: Stream: ${missing} not found`);
  await db.destroy();
});

test('GetShardIterator and GetRecords read in order from each position; a disabled stream ends its shard', async () => {
  const { call, write, streams, clock, db } = await setup();
  const shardId = (await call('DescribeStream', { StreamArn: ARN })).StreamDescription.Shards[0].ShardId;
  await write(ARN, [put('a', '1', 'x'), put('b', '2', 'y'), put('a', '1', 'z')]);
  const iterator = async (type: string, seq?: string) => (await call('GetShardIterator', { StreamArn: ARN, ShardId: shardId, ShardIteratorType: type, ...(seq ? { SequenceNumber: seq } : {}) })).ShardIterator as string;
  const all = await call('GetRecords', { ShardIterator: await iterator('TRIM_HORIZON') });
  assert.equal(all.Records.length, 3);
  const seqs = all.Records.map((r: { dynamodb: { SequenceNumber: string } }) => r.dynamodb.SequenceNumber);
  assert.deepEqual([...seqs].sort(), seqs);
  assert.deepEqual(all.Records[1].dynamodb.Keys, { id: { S: 'b' }, n: { N: '2' } });
  const paged = await call('GetRecords', { ShardIterator: await iterator('TRIM_HORIZON'), Limit: 2 });
  assert.equal(paged.Records.length, 2);
  const rest = await call('GetRecords', { ShardIterator: paged.NextShardIterator });
  assert.deepEqual(rest.Records.map((r: { dynamodb: { SequenceNumber: string } }) => r.dynamodb.SequenceNumber), [seqs[2]]);
  assert.equal((await call('GetRecords', { ShardIterator: await iterator('AT_SEQUENCE_NUMBER', seqs[1]) })).Records.length, 2);
  assert.equal((await call('GetRecords', { ShardIterator: await iterator('AFTER_SEQUENCE_NUMBER', seqs[1]) })).Records.length, 1);
  const latest = await iterator('LATEST');
  assert.equal((await call('GetRecords', { ShardIterator: latest })).Records.length, 0);
  await write(ARN, [put('c', '3', 'w')]);
  const afterLatest = await call('GetRecords', { ShardIterator: latest });
  assert.equal(afterLatest.Records.length, 1);
  assert.ok(afterLatest.NextShardIterator);

  // Disabled: the shard closes at its last record and the end of it has no next iterator.
  streams.set(ARN, { ...streams.get(ARN)!, status: 'DISABLED', disabledMs: clock.now() });
  const closed = (await call('DescribeStream', { StreamArn: ARN })).StreamDescription;
  assert.equal(closed.StreamStatus, 'DISABLED');
  assert.equal(closed.Shards[0].SequenceNumberRange.EndingSequenceNumber, afterLatest.Records[0].dynamodb.SequenceNumber);
  const end = await call('GetRecords', { ShardIterator: afterLatest.NextShardIterator });
  assert.deepEqual(end.Records, []);
  assert.equal(end.NextShardIterator, undefined);
  await db.destroy();
});

test('GetShardIterator and GetRecords errors: missing shard, sequence rules, bad and expired iterators, trimmed records', async () => {
  const { call, write, clock, catalog, writer, db } = await setup();
  const shardId = (await call('DescribeStream', { StreamArn: ARN })).StreamDescription.Shards[0].ShardId;
  await write(ARN, [put('a', '1', 'x'), put('b', '2', 'y')]);
  const noShard = await call('GetShardIterator', { StreamArn: ARN, ShardId: 'shardId-00000001700000000000-00000000', ShardIteratorType: 'LATEST' });
  assert.equal(noShard.message, 'Requested resource not found: Shard does not exist');
  const badType = await call('GetShardIterator', { StreamArn: ARN, ShardId: shardId, ShardIteratorType: 'AT_TIMESTAMP' });
  assert.equal(badType.message, "1 validation error detected: Value 'AT_TIMESTAMP' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]");
  const noSeq = await call('GetShardIterator', { StreamArn: ARN, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' });
  assert.equal(noSeq.__type, 'com.amazonaws.dynamodb.v20120810#ValidationException');
  const forged = await call('GetRecords', { ShardIterator: Buffer.from('x'.repeat(40)).toString('base64') });
  assert.equal(forged.__type, 'com.amazonaws.dynamodb.v20120810#ValidationException');
  const tooMany = await call('GetRecords', { ShardIterator: 'x', Limit: 1001 });
  assert.match(tooMany.message, /Member must have value less than or equal to 1000/);

  const it = (await call('GetShardIterator', { StreamArn: ARN, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator;
  clock.advance(SHARD_ITERATOR_TTL_MS + 1);
  const expired = await call('GetRecords', { ShardIterator: it });
  assert.equal(expired.__type, 'com.amazonaws.dynamodb.v20120810#ExpiredIteratorException');

  const first = (await call('GetRecords', { ShardIterator: (await call('GetShardIterator', { StreamArn: ARN, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator })).Records[0].dynamodb.SequenceNumber;
  // The first records were written just before the expired iterator; the held one is issued
  // shortly before they turn 24 hours old, and used shortly after.
  clock.advance(RECORD_RETENTION_MS - SHARD_ITERATOR_TTL_MS / 2 - SHARD_ITERATOR_TTL_MS - 1);
  await write(ARN, [put('c', '3', 'z')]);
  const held = (await call('GetShardIterator', { StreamArn: ARN, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: first })).ShardIterator;
  clock.advance(SHARD_ITERATOR_TTL_MS / 2 + 10);
  await trimStreams({ db, catalog, notifications: writer.notifications }, clock.now());
  const trimmed = await call('GetRecords', { ShardIterator: held });
  assert.equal(trimmed.__type, 'com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException');
  const again = await call('GetShardIterator', { StreamArn: ARN, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: first });
  assert.equal(again.__type, 'com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException');
  const horizon = await call('GetRecords', { ShardIterator: (await call('GetShardIterator', { StreamArn: ARN, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator });
  // The write a day later went to a child shard (the first rolled after four hours); the parent,
  // closed and trimmed, is read to its end at once.
  assert.deepEqual(horizon.Records, []);
  assert.equal(horizon.NextShardIterator, undefined);
  const shards = (await call('DescribeStream', { StreamArn: ARN })).StreamDescription.Shards;
  assert.equal(shards.length, 2);
  assert.equal(shards[1].ParentShardId, shardId);
  assert.ok(shards[0].SequenceNumberRange.EndingSequenceNumber);
  const child = await call('GetRecords', { ShardIterator: (await call('GetShardIterator', { StreamArn: ARN, ShardId: shards[1].ShardId, ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator });
  assert.deepEqual(child.Records.map((r: { dynamodb: { Keys: { id: { S: string } } } }) => r.dynamodb.Keys.id.S), ['c']);
  await db.destroy();
});

test('the in-process reader reads from a timestamp, wakes on commit and ends a closed shard', async () => {
  const { db, clock, catalog, writer, write, streams } = await setup();
  const reader = createDynamodbStreamReader({ db, clock, catalog, notifications: writer.notifications });
  const [shard] = await reader.listShards(ARN);
  await write(ARN, [put('a', '1', 'x')]);
  const since = clock.now() + 1;
  clock.advance(5);
  let woken = 0;
  const unsubscribe = reader.onRecords(ARN, () => woken++);
  await write(ARN, [put('a', '1', 'y'), put('b', '1', 'y')]);
  writer.committed(ARN);
  assert.equal(woken, 1);
  unsubscribe();
  const page = await reader.readShard(ARN, shard!.shardId, { type: 'AT_TIMESTAMP', timestampMs: since }, 100);
  assert.equal(page.records.length, 2);
  assert.equal(page.records[0]!.itemKey, JSON.stringify([{ S: 'a' }, { N: '1' }]));
  assert.ok(page.next);
  streams.set(ARN, { ...streams.get(ARN)!, status: 'DISABLED', disabledMs: clock.now() });
  const [closed] = await reader.listShards(ARN);
  assert.ok(closed!.endingSequenceNumber);
  assert.equal((await reader.readShard(ARN, shard!.shardId, page.next!, 100)).next, null);
  await assert.rejects(reader.listShards(ARN.replace('photos', 'nope')), /Requested resource not found: Stream/);
  await db.destroy();
});
