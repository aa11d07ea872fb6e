import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, ListShardsCommand, PutRecordsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { ShiftableClock } from '../src/clock.js';
import { rejectsWith } from './support/aws-errors.js';
import { kinesisClient, waitForStatus } from './support/kinesis.js';
import { startTestServer, type TestServer } from './support/server.js';

const HOUR = 3_600_000;
const bytes = (s: string) => new TextEncoder().encode(s);

describe('Kinesis durability across a restart', () => {
  let server: TestServer;
  let kinesis: KinesisClient;
  before(async () => {
    server = await startTestServer();
    kinesis = kinesisClient(server.url);
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
  });

  test('acknowledged records, shards, statuses and iterators survive a stop and start on the same data', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'kept', ShardCount: 2 }));
    await waitForStatus(kinesis, 'kept');
    const put = await kinesis.send(new PutRecordsCommand({ StreamName: 'kept', Records: Array.from({ length: 20 }, (_, i) => ({ PartitionKey: `k${i}`, Data: bytes(`r${i}`) })) }));
    const shardId = put.Records![0]!.ShardId!;
    const iterator = (await kinesis.send(new GetShardIteratorCommand({ StreamName: 'kept', ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    // A stream left CREATING is finished after the restart.
    await kinesis.send(new CreateStreamCommand({ StreamName: 'half-made', ShardCount: 1 }));
    await server.restart();

    const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
    const expected = put.Records!.map((r, i) => ({ r, i })).filter(({ r }) => r.ShardId === shardId);
    assert.deepEqual(got.Records?.map((r) => Buffer.from(r.Data!).toString()), expected.map(({ i }) => `r${i}`));
    assert.deepEqual(got.Records?.map((r) => r.SequenceNumber), expected.map(({ r }) => r.SequenceNumber));
    await waitForStatus(kinesis, 'half-made');
    // Numbering continues above what was acknowledged before the restart.
    const more = await kinesis.send(new PutRecordsCommand({ StreamName: 'kept', Records: [{ PartitionKey: 'k0', Data: bytes('later') }] }));
    assert.ok(more.Records![0]!.SequenceNumber! > put.Records![0]!.SequenceNumber!);
  });
});

describe('Kinesis retention and iterator expiry on an injected clock', () => {
  let server: TestServer;
  let kinesis: KinesisClient;
  const clock = new ShiftableClock();
  before(async () => {
    server = await startTestServer({}, { kinesisClock: clock });
    kinesis = kinesisClient(server.url);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'aging', ShardCount: 1 }));
    await waitForStatus(kinesis, 'aging');
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
  });

  test('an iterator older than 5 minutes is refused with ExpiredIteratorException', async () => {
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'aging', ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }));
    clock.advance(300_001);
    await rejectsWith(
      kinesis.send(new GetRecordsCommand({ ShardIterator })),
      'ExpiredIteratorException',
      400,
      /^Iterator expired\. The iterator was created at time \w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4} while right now it is \w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4} which is further in the future than the tolerated delay of 300000 milliseconds\.$/,
    );
  });

  test('records past the retention period are no longer returned and are deleted in the background; closed shards past it are dropped', async () => {
    await kinesis.send(new PutRecordsCommand({ StreamName: 'aging', Records: [{ PartitionKey: 'a', Data: bytes('old') }] }));
    await kinesis.send(new SplitShardCommand({ StreamName: 'aging', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (1n << 127n).toString() }));
    await waitForStatus(kinesis, 'aging');
    clock.advance(23 * HOUR);
    await kinesis.send(new PutRecordsCommand({ StreamName: 'aging', Records: [{ PartitionKey: 'a', ExplicitHashKey: '0', Data: bytes('young') }] }));
    clock.advance(2 * HOUR);

    const read = async (shardId: string) => {
      const it = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'aging', ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
      return ((await kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }))).Records ?? []).map((r) => Buffer.from(r.Data!).toString());
    };
    assert.deepEqual(await read('shardId-000000000001'), ['young']);
    const listed = (await kinesis.send(new ListShardsCommand({ StreamName: 'aging' }))).Shards?.map((s) => s.ShardId);
    assert.deepEqual(listed, ['shardId-000000000001', 'shardId-000000000002']);

    const db = server.lambkin.store;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const rows = await db.selectFrom('kinesis_records').select('data').execute();
      const shards = await db.selectFrom('kinesis_shards').select('shard_index').execute();
      if (rows.length === 1 && shards.length === 2) {
        assert.equal(Buffer.from(rows[0]!.data).toString(), 'young');
        break;
      }
      assert.ok(Date.now() < deadline, `the sweep left ${rows.length} records and ${shards.length} shards`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
