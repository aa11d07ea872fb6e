import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../src/store/database.js';
import { createStreamChangeWriter } from '../src/services/dynamodb/streams/change-writer.js';
import { itemSize } from '../src/services/dynamodb/item-size.js';
import { FIRST_SEQUENCE, isSequenceNumber, nextSequence } from '../src/services/dynamodb/streams/sequence-numbers.js';
import { RECORD_RETENTION_MS, SHARD_ROLL_MS } from '../src/services/dynamodb/streams/limits.js';
import { trimStreams } from '../src/services/dynamodb/streams/trim.js';
import type { StreamRecord } from '../src/services/dynamodb/streams/stream-record.js';
import type { TableStream, TableStreamCatalog } from '../src/services/dynamodb/stream-contract.js';

const ARN = 'arn:aws:dynamodb:us-east-1:000000000000:table/photos/stream/2024-01-01T00:00:00.000';

function tableStream(viewType: TableStream['viewType'], extra: Partial<TableStream> = {}): TableStream {
  return {
    streamArn: ARN, label: '2024-01-01T00:00:00.000', tableName: 'photos',
    keySchema: { hash: { name: 'id', type: 'S' } }, viewType, status: 'ENABLED', createdMs: 0, ...extra,
  };
}

function manualClock(start: number) {
  let now = start;
  return { now: () => now, setTimeout: () => ({ cancel() {} }), advance: (ms: number) => void (now += ms) };
}

test('item sizes match the SizeBytes AWS recorded (strings, binaries, numbers)', () => {
  assert.equal(itemSize({ id: { S: 'id_value' } }), 10);
  assert.equal(itemSize({ binary_key: { B: Buffer.from('foobar').toString('base64') }, my_partition_key: { S: 'hello world' } }), 43);
  // 39 recorded for Keys {id: id_value_1} + NewImage {numericFilter: 42, id: id_value_1}.
  assert.equal(itemSize({ id: { S: 'id_value_1' } }) * 2 + itemSize({ numericFilter: { N: '42' } }), 39);
});

test('sequence numbers: 21 digits, increasing, ordered as strings', () => {
  assert.ok(isSequenceNumber(FIRST_SEQUENCE));
  const a = nextSequence(FIRST_SEQUENCE);
  assert.ok(isSequenceNumber(a) && a > FIRST_SEQUENCE);
  assert.equal(isSequenceNumber('123'), false);
});

test('append writes one record per change in order, trimmed to the view type, in the caller transaction', async () => {
  const db = await openStore({ kind: 'sqlite', dataDir: ':memory:' });
  const clock = manualClock(1_700_000_000_500);
  const writer = createStreamChangeWriter({ clock });
  let woken = 0;
  writer.notifications.subscribe(ARN, () => woken++);
  const stream = tableStream('NEW_AND_OLD_IMAGES');
  await db.transaction().execute(async (tx) => {
    await writer.append(tx, stream, [
      { eventName: 'INSERT', keys: { id: { S: 'id_value' } }, newImage: { id: { S: 'id_value' } } },
      { eventName: 'MODIFY', keys: { id: { S: 'id_value' } }, oldImage: { id: { S: 'id_value' } }, newImage: { id2: { S: 'id2_new_value' }, id: { S: 'id_value' } } },
    ]);
  });
  writer.committed(ARN);
  assert.equal(woken, 1);
  // A rolled-back write leaves no record.
  await assert.rejects(db.transaction().execute(async (tx) => {
    await writer.append(tx, stream, [{ eventName: 'REMOVE', keys: { id: { S: 'id_value' } }, oldImage: { id: { S: 'x' } } }]);
    throw new Error('rollback');
  }));
  const rows = await db.selectFrom('dynamodb_stream_records').selectAll().orderBy('sequence_number').execute();
  assert.equal(rows.length, 2);
  const [insert, modify] = rows.map((r) => JSON.parse(r.record) as StreamRecord);
  assert.deepEqual(Object.keys(insert!), ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb']);
  assert.match(insert!.eventID, /^[0-9a-f]{32}$/);
  assert.equal(insert!.awsRegion, 'us-east-1');
  assert.deepEqual(insert!.dynamodb, {
    ApproximateCreationDateTime: 1_700_000_000, Keys: { id: { S: 'id_value' } }, NewImage: { id: { S: 'id_value' } },
    SequenceNumber: FIRST_SEQUENCE, SizeBytes: 20, StreamViewType: 'NEW_AND_OLD_IMAGES',
  });
  assert.deepEqual(Object.keys(modify!.dynamodb), ['ApproximateCreationDateTime', 'Keys', 'NewImage', 'OldImage', 'SequenceNumber', 'SizeBytes', 'StreamViewType']);
  assert.equal(modify!.dynamodb.SizeBytes, 46);
  assert.equal(modify!.dynamodb.SequenceNumber, nextSequence(FIRST_SEQUENCE));
  assert.equal(rows[0]!.item_key, rows[1]!.item_key);
  assert.equal(rows[0]!.shard_id, rows[1]!.shard_id);
  assert.match(rows[0]!.shard_id, /^shardId-\d{20}-[0-9a-f]{8}$/);
  await db.destroy();
});

test('view types keep only their images; a TTL deletion carries userIdentity', async () => {
  const db = await openStore({ kind: 'sqlite', dataDir: ':memory:' });
  const writer = createStreamChangeWriter({ clock: manualClock(1_700_000_000_000) });
  const change = { eventName: 'REMOVE' as const, keys: { id: { S: 'a' } }, oldImage: { id: { S: 'a' }, n: { N: '1' } }, byTimeToLive: true };
  const seen: Record<string, StreamRecord> = {};
  for (const viewType of ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const) {
    const stream = tableStream(viewType, { streamArn: `${ARN}-${viewType}` });
    await db.transaction().execute((tx) => writer.append(tx, stream, [change]));
    const row = await db.selectFrom('dynamodb_stream_records').select('record').where('stream_arn', '=', stream.streamArn).executeTakeFirstOrThrow();
    seen[viewType] = JSON.parse(row.record) as StreamRecord;
  }
  assert.equal(seen.KEYS_ONLY!.dynamodb.OldImage, undefined);
  assert.equal(seen.NEW_IMAGE!.dynamodb.OldImage, undefined);
  assert.deepEqual(seen.OLD_IMAGE!.dynamodb.OldImage, change.oldImage);
  assert.equal(seen.KEYS_ONLY!.dynamodb.SizeBytes, 3);
  assert.equal(seen.OLD_IMAGE!.dynamodb.SizeBytes, 3 + 3 + 3);
  assert.deepEqual(seen.KEYS_ONLY!.userIdentity, { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
  await db.destroy();
});

test('the open shard rolls after four hours into a child; the trim closes a disabled stream shard and deletes day-old records', async () => {
  const db = await openStore({ kind: 'sqlite', dataDir: ':memory:' });
  const clock = manualClock(1_700_000_000_000);
  const writer = createStreamChangeWriter({ clock });
  const stream = tableStream('KEYS_ONLY');
  const put = (id: string) => db.transaction().execute((tx) => writer.append(tx, stream, [{ eventName: 'INSERT', keys: { id: { S: id } } }]));
  await put('a');
  clock.advance(SHARD_ROLL_MS);
  await put('b');
  const shards = await db.selectFrom('dynamodb_stream_shards').selectAll().orderBy('starting_sequence_number').execute();
  assert.equal(shards.length, 2);
  assert.equal(shards[0]!.ending_sequence_number, FIRST_SEQUENCE);
  assert.equal(shards[1]!.parent_shard_id, shards[0]!.shard_id);
  assert.equal(shards[1]!.starting_sequence_number, nextSequence(FIRST_SEQUENCE));
  assert.equal(shards[1]!.closed_ms, null);

  let disabled = false;
  const catalog: TableStreamCatalog = {
    list: async () => [disabled ? { ...stream, status: 'DISABLED', disabledMs: clock.now() } : stream],
    find: async () => stream,
  };
  const deps = { db, catalog, notifications: writer.notifications };
  clock.advance(RECORD_RETENTION_MS - SHARD_ROLL_MS + 1);
  assert.deepEqual(await trimStreams(deps, clock.now()), { records: 1, shards: 0, closed: 0 });
  disabled = true;
  let woken = 0;
  writer.notifications.subscribe(ARN, () => woken++);
  assert.deepEqual(await trimStreams(deps, clock.now()), { records: 0, shards: 0, closed: 1 });
  assert.equal(woken, 1);
  const open = await db.selectFrom('dynamodb_stream_shards').selectAll().where('closed_ms', 'is', null).execute();
  assert.equal(open.length, 0);
  await db.destroy();
});
