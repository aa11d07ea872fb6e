import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordsCommand,
  type Shard,
  SplitShardCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { rejectsWith } from './support/aws-errors.js';
import { ACCOUNT, kinesisClient, waitForStatus } from './support/kinesis.js';
import { startTestServer, type TestServer } from './support/server.js';

const MAX = (1n << 128n) - 1n;
const HALF = 1n << 127n;
const bytes = (s: string) => new TextEncoder().encode(s);

describe('Kinesis resharding', () => {
  let server: TestServer;
  let kinesis: KinesisClient;
  const arnOf = (name: string) => `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`;
  const createActive = async (name: string, shards: number) => {
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    await waitForStatus(kinesis, name);
  };
  const shards = async (name: string, filter?: Record<string, unknown>): Promise<Shard[]> =>
    (await kinesis.send(new ListShardsCommand({ StreamName: name, ...(filter ? { ShardFilter: filter as never } : {}) }))).Shards ?? [];

  before(async () => {
    server = await startTestServer({ LAMBKIN_PROVISIONING_DELAY_MS: '300' });
    kinesis = kinesisClient(server.url);
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
  });

  test('records put before a split are all read from the parent before the children', async () => {
    await createActive('split-me', 1);
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
    await kinesis.send(new PutRecordsCommand({ StreamName: 'split-me', Records: keys.map((k) => ({ PartitionKey: k, Data: bytes(`before:${k}`) })) }));
    await kinesis.send(new SplitShardCommand({ StreamName: 'split-me', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: HALF.toString() }));
    assert.equal((await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'split-me' }))).StreamDescriptionSummary?.StreamStatus, 'UPDATING');
    await waitForStatus(kinesis, 'split-me');
    await kinesis.send(new PutRecordsCommand({ StreamName: 'split-me', Records: keys.map((k) => ({ PartitionKey: k, Data: bytes(`after:${k}`) })) }));

    const listed = await shards('split-me');
    assert.deepEqual(
      listed.map((s) => [s.ShardId, s.ParentShardId, s.HashKeyRange?.StartingHashKey, s.HashKeyRange?.EndingHashKey]),
      [
        ['shardId-000000000000', undefined, '0', MAX.toString()],
        ['shardId-000000000001', 'shardId-000000000000', '0', (HALF - 1n).toString()],
        ['shardId-000000000002', 'shardId-000000000000', HALF.toString(), MAX.toString()],
      ],
    );
    const parent = listed[0]!;
    assert.match(parent.SequenceNumberRange?.EndingSequenceNumber ?? '', /^\d{56}$/);
    assert.ok(listed[1]!.SequenceNumberRange!.StartingSequenceNumber! >= parent.SequenceNumberRange!.StartingSequenceNumber!);

    // A reader follows the lineage: the parent to its end (null iterator, ChildShards), then each child.
    const order: string[] = [];
    const queue = ['shardId-000000000000'];
    const done = new Set<string>();
    while (queue.length > 0) {
      const shardId = queue.shift()!;
      if (done.has(shardId)) continue;
      done.add(shardId);
      let it = (await kinesis.send(new GetShardIteratorCommand({ StreamName: 'split-me', ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      while (it) {
        const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: it, Limit: 7 }));
        for (const r of page.Records ?? []) order.push(Buffer.from(r.Data!).toString());
        if (!page.NextShardIterator) {
          assert.deepEqual(page.ChildShards?.map((c) => [c.ShardId, c.ParentShards]), [
            ['shardId-000000000001', ['shardId-000000000000']],
            ['shardId-000000000002', ['shardId-000000000000']],
          ]);
          queue.push(...(page.ChildShards ?? []).map((c) => c.ShardId!));
        }
        if ((page.Records ?? []).length === 0 && page.NextShardIterator) break;
        it = page.NextShardIterator;
      }
    }
    assert.equal(order.length, 80);
    const firstAfter = order.findIndex((s) => s.startsWith('after:'));
    assert.ok(order.slice(0, firstAfter).every((s) => s.startsWith('before:')) && firstAfter === 40, 'every record from before the split comes first');
    for (const k of keys) assert.ok(order.indexOf(`before:${k}`) < order.indexOf(`after:${k}`), `${k} in order`);

    await rejectsWith(
      kinesis.send(new SplitShardCommand({ StreamName: 'split-me', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: '5' })),
      'InvalidArgumentException',
      400,
      `Shard shardId-000000000000 in stream split-me under account ${ACCOUNT} has already been merged or split, and thus is not eligible for merging or splitting.`,
    );
    await rejectsWith(
      kinesis.send(new SplitShardCommand({ StreamName: 'split-me', ShardToSplit: 'shardId-000000000001', NewStartingHashKey: '1' })),
      'InvalidArgumentException',
      400,
      /^NewStartingHashKey 1 used in SplitShard\(\) on shard shardId-000000000001 in stream split-me under account 000000000000 is not both greater than one plus/,
    );
    await rejectsWith(
      kinesis.send(new SplitShardCommand({ StreamName: 'split-me', ShardToSplit: 'shardId-000000000042', NewStartingHashKey: '100' })),
      'ResourceNotFoundException',
      400,
      `Could not find shard shardId-000000000042 in stream split-me under account ${ACCOUNT}.`,
    );
  });

  test('MergeShards: adjacent shards become one child with both parents; non-adjacent ones are refused', async () => {
    await createActive('merge-me', 3);
    await rejectsWith(
      kinesis.send(new MergeShardsCommand({ StreamName: 'merge-me', ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000002' })),
      'InvalidArgumentException',
      400,
      `Shards shardId-000000000000 and shardId-000000000002 in stream merge-me under account ${ACCOUNT} are not an adjacent pair of shards eligible for merging`,
    );
    await kinesis.send(new MergeShardsCommand({ StreamName: 'merge-me', ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000000' }));
    await rejectsWith(
      kinesis.send(new MergeShardsCommand({ StreamName: 'merge-me', ShardToMerge: 'shardId-000000000002', AdjacentShardToMerge: 'shardId-000000000003' })),
      'ResourceInUseException',
      400,
      `Stream merge-me under account ${ACCOUNT} not ACTIVE, instead in state UPDATING`,
    );
    await waitForStatus(kinesis, 'merge-me');
    const open = await shards('merge-me', { Type: 'AT_LATEST' });
    assert.deepEqual(open.map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId]), [
      ['shardId-000000000002', undefined, undefined],
      ['shardId-000000000003', 'shardId-000000000000', 'shardId-000000000001'],
    ]);
    assert.equal(open[1]!.HashKeyRange?.StartingHashKey, '0');
    const closed = (await shards('merge-me')).filter((s) => s.SequenceNumberRange?.EndingSequenceNumber);
    assert.deepEqual(closed.map((s) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001']);
    assert.deepEqual((await shards('merge-me', { Type: 'AT_TRIM_HORIZON' })).map((s) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    assert.deepEqual((await shards('merge-me', { Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000001' })).map((s) => s.ShardId), ['shardId-000000000002', 'shardId-000000000003']);
    assert.equal((await shards('merge-me', { Type: 'FROM_TRIM_HORIZON' })).length, 4);
    assert.deepEqual((await shards('merge-me', { Type: 'FROM_TIMESTAMP', Timestamp: new Date() })).map((s) => s.ShardId), ['shardId-000000000002', 'shardId-000000000003']);
    assert.equal((await shards('merge-me', { Type: 'AT_TIMESTAMP', Timestamp: new Date(Date.now() - 60_000) })).length, 3);
  });

  test('UpdateShardCount scales uniformly through splits and merges, each shard with at most two parents', async () => {
    await createActive('scale-me', 2);
    const up = await kinesis.send(new UpdateShardCountCommand({ StreamName: 'scale-me', TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }));
    assert.deepEqual([up.CurrentShardCount, up.TargetShardCount, up.StreamARN], [2, 3, arnOf('scale-me')]);
    await waitForStatus(kinesis, 'scale-me');
    const byHashKey = (list: Shard[]) => [...list].sort((a, b) => (BigInt(a.HashKeyRange!.StartingHashKey!) < BigInt(b.HashKeyRange!.StartingHashKey!) ? -1 : 1));
    const open = byHashKey(await shards('scale-me', { Type: 'AT_LATEST' }));
    assert.equal(open.length, 3);
    const third = (MAX + 1n) / 3n;
    assert.deepEqual(
      open.map((s) => [s.HashKeyRange?.StartingHashKey, s.HashKeyRange?.EndingHashKey]),
      [
        ['0', (third - 1n).toString()],
        [third.toString(), (2n * third - 1n).toString()],
        [(2n * third).toString(), MAX.toString()],
      ],
    );
    const all = await shards('scale-me');
    const ids = new Set(all.map((s) => s.ShardId));
    for (const s of all) for (const p of [s.ParentShardId, s.AdjacentParentShardId]) if (p) assert.ok(ids.has(p), `${s.ShardId}'s parent ${p} is listed`);
    await rejectsWith(
      kinesis.send(new UpdateShardCountCommand({ StreamName: 'scale-me', TargetShardCount: 7, ScalingType: 'UNIFORM_SCALING' })),
      'LimitExceededException',
      400,
      /Current open shard count: 3\. Target shard count: 7\./,
    );
    const down = await kinesis.send(new UpdateShardCountCommand({ StreamName: 'scale-me', TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }));
    assert.equal(down.CurrentShardCount, 3);
    await waitForStatus(kinesis, 'scale-me');
    assert.deepEqual(
      byHashKey(await shards('scale-me', { Type: 'AT_LATEST' })).map((s) => s.HashKeyRange?.StartingHashKey),
      ['0', HALF.toString()],
    );
  });

  test('ListShards pages with MaxResults and NextToken, which cannot be combined with StreamName', async () => {
    await createActive('paged', 5);
    const first = await kinesis.send(new ListShardsCommand({ StreamName: 'paged', MaxResults: 2 }));
    assert.deepEqual(first.Shards?.map((s) => s.ShardId), ['shardId-000000000000', 'shardId-000000000001']);
    const second = await kinesis.send(new ListShardsCommand({ NextToken: first.NextToken, MaxResults: 2 }));
    assert.deepEqual(second.Shards?.map((s) => s.ShardId), ['shardId-000000000002', 'shardId-000000000003']);
    const third = await kinesis.send(new ListShardsCommand({ NextToken: second.NextToken, MaxResults: 2 }));
    assert.deepEqual(third.Shards?.map((s) => s.ShardId), ['shardId-000000000004']);
    assert.equal(third.NextToken, undefined);
    const fromId = await kinesis.send(new ListShardsCommand({ StreamARN: arnOf('paged'), ExclusiveStartShardId: 'shardId-000000000003' }));
    assert.deepEqual(fromId.Shards?.map((s) => s.ShardId), ['shardId-000000000004']);
    await rejectsWith(kinesis.send(new ListShardsCommand({ StreamName: 'paged', NextToken: first.NextToken })), 'InvalidArgumentException', 400, 'NextToken and StreamName cannot be provided together.');
    await rejectsWith(kinesis.send(new ListShardsCommand({})), 'InvalidArgumentException', 400, 'Either NextToken or StreamName should be provided.');
  });

  test('the in-process stream reader lists lineage, reads from a position and wakes on arrival', async () => {
    const reader = server.lambkin.kinesisStreams;
    await createActive('polled', 1);
    const arn = arnOf('polled');
    assert.deepEqual(await reader.describeStream(arn), { streamArn: arn, status: 'ACTIVE', retentionPeriodHours: 24 });
    assert.equal(await reader.describeStream(arnOf('absent')), null);
    const [shard] = await reader.listShards(arn);
    assert.equal(shard?.shardId, 'shardId-000000000000');

    const tip = await reader.readShard(arn, 'shardId-000000000000', { type: 'LATEST' }, 10);
    assert.deepEqual(tip.records, []);
    assert.equal(tip.next?.type, 'AFTER_SEQUENCE_NUMBER');
    const arrived = new Promise<void>((resolve) => {
      const stop = reader.onRecords(arn, 'shardId-000000000000', () => {
        stop();
        resolve();
      });
    });
    await kinesis.send(new PutRecordsCommand({ StreamName: 'polled', Records: ['a', 'b', 'c'].map((d) => ({ PartitionKey: d, Data: bytes(d) })) }));
    await arrived;
    const page = await reader.readShard(arn, 'shardId-000000000000', tip.next!, 2);
    assert.deepEqual(page.records.map((r) => r.data.toString()), ['a', 'b']);
    assert.ok(page.records.every((r) => /^\d{56}$/.test(r.sequenceNumber) && Math.abs(r.approximateArrivalTimestamp - Date.now()) < 60_000));
    const rest = await reader.readShard(arn, 'shardId-000000000000', page.next!, 10);
    assert.deepEqual(rest.records.map((r) => r.data.toString()), ['c']);
    const fromStart = await reader.readShard(arn, 'shardId-000000000000', { type: 'TRIM_HORIZON' }, 10);
    assert.equal(fromStart.records.length, 3);
    const atTime = await reader.readShard(arn, 'shardId-000000000000', { type: 'AT_TIMESTAMP', timestampMs: Date.now() + 1000 }, 10);
    assert.deepEqual(atTime.records, []);

    // A split closes the shard: its readers are woken, read it to the end and get the children.
    const closed = new Promise<void>((resolve) => {
      const stop = reader.onRecords(arn, 'shardId-000000000000', () => {
        stop();
        resolve();
      });
    });
    await kinesis.send(new SplitShardCommand({ StreamName: 'polled', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: HALF.toString() }));
    await closed;
    const end = await reader.readShard(arn, 'shardId-000000000000', rest.next!, 10);
    assert.equal(end.next, null);
    assert.deepEqual(end.childShards.map((c) => [c.shardId, c.parentShardId]), [
      ['shardId-000000000001', 'shardId-000000000000'],
      ['shardId-000000000002', 'shardId-000000000000'],
    ]);
    const lineage = await reader.listShards(arn);
    assert.ok(lineage[0]?.endingSequenceNumber);
  });
});
