import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DeleteStreamCommand,
  DeregisterStreamConsumerCommand,
  DescribeLimitsCommand,
  DescribeStreamCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand,
  type KinesisClient,
  ListStreamConsumersCommand,
  ListStreamsCommand,
  ListTagsForResourceCommand,
  ListTagsForStreamCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  RemoveTagsFromStreamCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateShardCountCommand,
  waitUntilStreamExists,
  waitUntilStreamNotExists,
} from '@aws-sdk/client-kinesis';
import { rejectsWith } from './support/aws-errors.js';
import { ACCOUNT, kinesisClient, waitForStatus } from './support/kinesis.js';
import { startTestServer, type TestServer } from './support/server.js';

const HALF = 170141183460469231731687303715884105728n;
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('utf8');

describe('Kinesis API through the AWS SDK', () => {
  let server: TestServer;
  let kinesis: KinesisClient;

  const createActive = async (name: string, shards = 1) => {
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    await waitForStatus(kinesis, name);
  };
  const iterator = async (name: string, shardId: string, type: 'TRIM_HORIZON' | 'LATEST' = 'TRIM_HORIZON') =>
    (await kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shardId, ShardIteratorType: type }))).ShardIterator!;

  before(async () => {
    server = await startTestServer({ LAMBKIN_PROVISIONING_DELAY_MS: '300' });
    kinesis = kinesisClient(server.url);
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
  });

  describe('streams', () => {
    test('a new stream is CREATING, then ACTIVE for the StreamExists waiter, with uniform hash key ranges', async () => {
      await kinesis.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 2 }));
      const creating = await kinesis.send(new DescribeStreamCommand({ StreamName: 'orders' }));
      assert.equal(creating.StreamDescription?.StreamStatus, 'CREATING');
      const waited = await waitUntilStreamExists({ client: kinesis, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StreamName: 'orders' });
      assert.equal(waited.state, 'SUCCESS');
      const { StreamDescription: d } = await kinesis.send(new DescribeStreamCommand({ StreamName: 'orders' }));
      assert.equal(d?.StreamStatus, 'ACTIVE');
      assert.equal(d?.StreamARN, `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/orders`);
      assert.equal(d?.RetentionPeriodHours, 24);
      assert.equal(d?.EncryptionType, 'NONE');
      assert.equal(d?.StreamModeDetails?.StreamMode, 'PROVISIONED');
      assert.equal(d?.HasMoreShards, false);
      assert.ok(d?.StreamCreationTimestamp instanceof Date && Math.abs(d.StreamCreationTimestamp.getTime() - Date.now()) < 60_000);
      assert.deepEqual(
        d?.Shards?.map((s) => [s.ShardId, s.HashKeyRange?.StartingHashKey, s.HashKeyRange?.EndingHashKey]),
        [
          ['shardId-000000000000', '0', (HALF - 1n).toString()],
          ['shardId-000000000001', HALF.toString(), (2n * HALF - 1n).toString()],
        ],
      );
      for (const shard of d?.Shards ?? []) {
        assert.match(shard.SequenceNumberRange?.StartingSequenceNumber ?? '', /^\d{56}$/);
        assert.equal(shard.SequenceNumberRange?.EndingSequenceNumber, undefined);
      }
      const page = await kinesis.send(new DescribeStreamCommand({ StreamName: 'orders', Limit: 1 }));
      assert.deepEqual(page.StreamDescription?.Shards?.map((s) => s.ShardId), ['shardId-000000000000']);
      assert.equal(page.StreamDescription?.HasMoreShards, true);
      const rest = await kinesis.send(new DescribeStreamCommand({ StreamName: 'orders', ExclusiveStartShardId: 'shardId-000000000000' }));
      assert.deepEqual(rest.StreamDescription?.Shards?.map((s) => s.ShardId), ['shardId-000000000001']);
      const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamARN: d?.StreamARN }));
      assert.equal(summary.StreamDescriptionSummary?.OpenShardCount, 2);
      assert.equal(summary.StreamDescriptionSummary?.ConsumerCount, 0);
    });

    test('without a shard count the stream is on-demand with 4 shards, and refuses UpdateShardCount', async () => {
      await kinesis.send(new CreateStreamCommand({ StreamName: 'od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
      await waitForStatus(kinesis, 'od');
      const { StreamDescription: d } = await kinesis.send(new DescribeStreamCommand({ StreamName: 'od' }));
      assert.equal(d?.StreamModeDetails?.StreamMode, 'ON_DEMAND');
      assert.equal(d?.Shards?.length, 4);
      await rejectsWith(kinesis.send(new UpdateShardCountCommand({ StreamName: 'od', TargetShardCount: 8, ScalingType: 'UNIFORM_SCALING' })), 'ValidationException', 400);
      const limits = await kinesis.send(new DescribeLimitsCommand({}));
      assert.equal(limits.ShardLimit, 500);
      assert.ok((limits.OpenShardCount ?? 0) >= 4);
      assert.equal(limits.OnDemandStreamCount, 1);
      assert.equal(limits.OnDemandStreamCountLimit, 50);
    });

    test('ListStreams pages by Limit with NextToken and ExclusiveStartStreamName', async () => {
      for (const name of ['list-a', 'list-b', 'list-c']) await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
      const all = await kinesis.send(new ListStreamsCommand({}));
      assert.ok(['list-a', 'list-b', 'list-c'].every((n) => all.StreamNames?.includes(n)));
      assert.equal(all.HasMoreStreams, false);
      const first = await kinesis.send(new ListStreamsCommand({ ExclusiveStartStreamName: 'list-', Limit: 1 }));
      assert.deepEqual(first.StreamNames, ['list-a']);
      assert.equal(first.HasMoreStreams, true);
      assert.equal(first.StreamSummaries?.[0]?.StreamARN, `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/list-a`);
      assert.ok(first.StreamSummaries?.[0]?.StreamCreationTimestamp instanceof Date);
      const second = await kinesis.send(new ListStreamsCommand({ NextToken: first.NextToken, Limit: 1 }));
      assert.deepEqual(second.StreamNames, ['list-b']);
      const third = await kinesis.send(new ListStreamsCommand({ ExclusiveStartStreamName: 'list-b', Limit: 1 }));
      assert.deepEqual(third.StreamNames, ['list-c']);
    });

    test('errors: a duplicate name, a missing stream, a bad name, a busy stream', async () => {
      await createActive('dup');
      await rejectsWith(kinesis.send(new CreateStreamCommand({ StreamName: 'dup', ShardCount: 1 })), 'ResourceInUseException', 400, `Stream dup under account ${ACCOUNT} already exists.`);
      await rejectsWith(kinesis.send(new DescribeStreamCommand({ StreamName: 'nope' })), 'ResourceNotFoundException', 400, `Stream nope under account ${ACCOUNT} not found.`);
      await rejectsWith(
        kinesis.send(new CreateStreamCommand({ StreamName: 'bad name!', ShardCount: 1 })),
        'ValidationException',
        400,
        "1 validation error detected: Value 'bad name!' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
      );
      await rejectsWith(kinesis.send(new CreateStreamCommand({ StreamName: 'zero', ShardCount: 0 })), 'ValidationException', 400, /at 'shardCount'/);
      await rejectsWith(kinesis.send(new CreateStreamCommand({ StreamName: 'too-many', ShardCount: 501 })), 'LimitExceededException', 400, /would exceed the shard limit for the account/);
      await kinesis.send(new CreateStreamCommand({ StreamName: 'busy', ShardCount: 1 }));
      await rejectsWith(
        kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'busy', RetentionPeriodHours: 48 })),
        'ResourceInUseException',
        400,
        `Stream busy under account ${ACCOUNT} not ACTIVE, instead in state CREATING`,
      );
    });

    test('DeleteStream: DELETING, then gone for the StreamNotExists waiter, records and all', async () => {
      await createActive('doomed');
      await kinesis.send(new PutRecordCommand({ StreamName: 'doomed', PartitionKey: 'k', Data: bytes('x') }));
      await kinesis.send(new DeleteStreamCommand({ StreamName: 'doomed' }));
      const deleting = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'doomed' }));
      assert.equal(deleting.StreamDescriptionSummary?.StreamStatus, 'DELETING');
      await rejectsWith(kinesis.send(new PutRecordCommand({ StreamName: 'doomed', PartitionKey: 'k', Data: bytes('x') })), 'ResourceNotFoundException', 400);
      const waited = await waitUntilStreamNotExists({ client: kinesis, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StreamName: 'doomed' });
      assert.equal(waited.state, 'SUCCESS');
      const names = (await kinesis.send(new ListStreamsCommand({}))).StreamNames ?? [];
      assert.ok(!names.includes('doomed'));
      const left = await server.lambkin.store.selectFrom('kinesis_streams').select('id').where('name', '=', 'doomed').execute();
      assert.deepEqual(left, []);
      // The name is free again, and the new stream starts empty.
      await createActive('doomed');
      const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator('doomed', 'shardId-000000000000') }));
      assert.deepEqual(Records, []);
    });
  });

  describe('records', () => {
    before(() => createActive('events', 2));

    test('PutRecord routes by the MD5 of the partition key; sequence numbers rise; GetRecords returns the bytes in order', async () => {
      const key = 'user-42';
      const hash = BigInt(`0x${createHash('md5').update(key).digest('hex')}`);
      const expectedShard = hash < HALF ? 'shardId-000000000000' : 'shardId-000000000001';
      const put = [];
      for (const body of ['one', 'two', 'three']) put.push(await kinesis.send(new PutRecordCommand({ StreamName: 'events', PartitionKey: key, Data: bytes(body) })));
      assert.ok(put.every((p) => p.ShardId === expectedShard));
      assert.ok(put.every((p) => /^\d{56}$/.test(p.SequenceNumber!)));
      assert.ok(put[0]!.SequenceNumber! < put[1]!.SequenceNumber! && put[1]!.SequenceNumber! < put[2]!.SequenceNumber!);
      assert.equal(put[0]!.EncryptionType, 'NONE');
      const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator('events', expectedShard) }));
      assert.deepEqual(got.Records?.map((r) => text(r.Data)), ['one', 'two', 'three']);
      assert.deepEqual(got.Records?.map((r) => r.SequenceNumber), put.map((p) => p.SequenceNumber));
      assert.ok(got.Records?.every((r) => r.PartitionKey === key && r.ApproximateArrivalTimestamp instanceof Date && Math.abs(r.ApproximateArrivalTimestamp.getTime() - Date.now()) < 60_000));
      assert.equal(got.MillisBehindLatest, 0);
      assert.ok(got.NextShardIterator);
      const again = await kinesis.send(new GetRecordsCommand({ ShardIterator: got.NextShardIterator }));
      assert.deepEqual(again.Records, []);
      assert.ok(again.NextShardIterator);

      // Limit pages, and the page after the first starts after its last record.
      const limited = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator('events', expectedShard), Limit: 2 }));
      assert.deepEqual(limited.Records?.map((r) => text(r.Data)), ['one', 'two']);
      assert.ok((limited.MillisBehindLatest ?? -1) >= 0);
      const next = await kinesis.send(new GetRecordsCommand({ ShardIterator: limited.NextShardIterator, Limit: 2 }));
      assert.deepEqual(next.Records?.map((r) => text(r.Data)), ['three']);

      const at = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'events', ShardId: expectedShard, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: put[1]!.SequenceNumber }));
      assert.deepEqual((await kinesis.send(new GetRecordsCommand({ ShardIterator: at.ShardIterator }))).Records?.map((r) => text(r.Data)), ['two', 'three']);
      const afterSeq = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'events', ShardId: expectedShard, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: put[1]!.SequenceNumber }));
      assert.deepEqual((await kinesis.send(new GetRecordsCommand({ ShardIterator: afterSeq.ShardIterator }))).Records?.map((r) => text(r.Data)), ['three']);
    });

    test('LATEST sees only what arrives after it; AT_TIMESTAMP starts at the first record at or after the time', async () => {
      const shard = 'shardId-000000000000';
      const hashKey = '1';
      await kinesis.send(new PutRecordCommand({ StreamName: 'events', PartitionKey: 'p', ExplicitHashKey: hashKey, Data: bytes('old') }));
      const latest = await iterator('events', shard, 'LATEST');
      await new Promise((resolve) => setTimeout(resolve, 20));
      const since = new Date();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const fresh = await kinesis.send(new PutRecordCommand({ StreamName: 'events', PartitionKey: 'p', ExplicitHashKey: hashKey, Data: bytes('new') }));
      assert.equal(fresh.ShardId, shard);
      assert.deepEqual((await kinesis.send(new GetRecordsCommand({ ShardIterator: latest }))).Records?.map((r) => text(r.Data)), ['new']);
      const atTime = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'events', ShardId: shard, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: since }));
      assert.deepEqual((await kinesis.send(new GetRecordsCommand({ ShardIterator: atTime.ShardIterator }))).Records?.map((r) => text(r.Data)), ['new']);
    });

    test('ExplicitHashKey picks the shard; SequenceNumberForOrdering orders after the given number', async () => {
      const upper = await kinesis.send(new PutRecordCommand({ StreamName: 'events', PartitionKey: 'x', ExplicitHashKey: HALF.toString(), Data: bytes('u') }));
      assert.equal(upper.ShardId, 'shardId-000000000001');
      const lower = await kinesis.send(new PutRecordCommand({ StreamName: 'events', PartitionKey: 'x', ExplicitHashKey: (HALF - 1n).toString(), Data: bytes('l') }));
      assert.equal(lower.ShardId, 'shardId-000000000000');
      const ordered = await kinesis.send(
        new PutRecordCommand({ StreamName: 'events', PartitionKey: 'x', ExplicitHashKey: '0', Data: bytes('o'), SequenceNumberForOrdering: upper.SequenceNumber }),
      );
      assert.ok(ordered.SequenceNumber! > upper.SequenceNumber!);
      await rejectsWith(
        kinesis.send(new PutRecordCommand({ StreamName: 'events', PartitionKey: 'x', ExplicitHashKey: (1n << 128n).toString(), Data: bytes('o') })),
        'InvalidArgumentException',
        400,
        `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${(1n << 128n).toString()}`,
      );
      await rejectsWith(
        kinesis.send(new PutRecordCommand({ StreamName: 'events', PartitionKey: 'x', Data: bytes('o'), SequenceNumberForOrdering: '12' })),
        'InvalidArgumentException',
        400,
        `ExclusiveMinimumSequenceNumber 12 used in PutRecord on stream events under account ${ACCOUNT} is invalid.`,
      );
      await rejectsWith(kinesis.send(new PutRecordCommand({ StreamName: 'events', PartitionKey: '', Data: bytes('o') })), 'ValidationException', 400, /at 'partitionKey'/);
      await rejectsWith(kinesis.send(new PutRecordCommand({ StreamName: 'nope', PartitionKey: 'k', Data: bytes('o') })), 'ResourceNotFoundException', 400, `Stream nope under account ${ACCOUNT} not found.`);
    });

    test('PutRecords: per-record results in order, 500 records at most, 1 MiB a record, 5 MiB a call', async () => {
      const records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `k${i}`, Data: bytes(`r${i}`) }));
      const out = await kinesis.send(new PutRecordsCommand({ StreamName: 'events', Records: records }));
      assert.equal(out.FailedRecordCount, 0);
      assert.equal(out.Records?.length, 500);
      assert.ok(out.Records?.every((r) => /^shardId-00000000000[01]$/.test(r.ShardId!) && /^\d{56}$/.test(r.SequenceNumber!) && r.ErrorCode === undefined));
      assert.equal(out.EncryptionType, 'NONE');
      await rejectsWith(kinesis.send(new PutRecordsCommand({ StreamName: 'events', Records: [...records, { PartitionKey: 'k', Data: bytes('x') }] })), 'ValidationException', 400, /at 'records'.*less than or equal to 500/);
      await rejectsWith(
        kinesis.send(new PutRecordsCommand({ StreamName: 'events', Records: [{ PartitionKey: 'k', Data: new Uint8Array(1024 * 1024) }] })),
        'InvalidArgumentException',
        400,
        /exceeds the maximum record size of 1048576 bytes/,
      );
      const big = Array.from({ length: 6 }, (_, i) => ({ PartitionKey: `b${i}`, Data: new Uint8Array(1000 * 1000) }));
      await rejectsWith(kinesis.send(new PutRecordsCommand({ StreamName: 'events', Records: big })), 'InvalidArgumentException', 400, 'Records size exceeds 5 MB limit');
      await rejectsWith(kinesis.send(new PutRecordsCommand({ StreamName: 'events', Records: [] })), 'ValidationException', 400, /at 'records'/);
    });

    test('GetShardIterator and GetRecords errors', async () => {
      const shard = 'shardId-000000000000';
      const put = await kinesis.send(new PutRecordCommand({ StreamName: 'events', PartitionKey: 'e', ExplicitHashKey: '5', Data: bytes('e') }));
      const other = await kinesis.send(new PutRecordCommand({ StreamName: 'events', PartitionKey: 'e', ExplicitHashKey: HALF.toString(), Data: bytes('e') }));
      const send = (input: Record<string, unknown>) => kinesis.send(new GetShardIteratorCommand({ StreamName: 'events', ShardId: shard, ShardIteratorType: 'TRIM_HORIZON', ...input }));
      await rejectsWith(send({ ShardIteratorType: 'AT_SEQUENCE_NUMBER' }), 'InvalidArgumentException', 400, /Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber\.$/);
      await rejectsWith(send({ StartingSequenceNumber: put.SequenceNumber }), 'InvalidArgumentException', 400, /Request specified TRIM_HORIZON and also a StartingSequenceNumber\.$/);
      await rejectsWith(
        send({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: other.SequenceNumber }),
        'InvalidArgumentException',
        400,
        'Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to a shard with shardId-000000000000',
      );
      await rejectsWith(
        send({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: '123' }),
        'InvalidArgumentException',
        400,
        `StartingSequenceNumber 123 used in GetShardIterator on shard shardId-000000000000 in stream events under account ${ACCOUNT} is invalid.`,
      );
      await rejectsWith(send({ ShardId: 'shardId-000000000009' }), 'ResourceNotFoundException', 400, `Shard shardId-000000000009 in stream events under account ${ACCOUNT} does not exist`);
      await rejectsWith(send({ ShardIteratorType: 'AT_TIMESTAMP' }), 'InvalidArgumentException', 400, /Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP/);
      await rejectsWith(send({ ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(Date.now() + 3_600_000) }), 'InvalidArgumentException', 400, /^The timestampInMillis parameter cannot be greater than the currentTimestampInMillis/);
      await rejectsWith(send({ ShardIteratorType: 'SIDEWAYS' }), 'ValidationException', 400, /Member must satisfy enum value set/);
      await rejectsWith(kinesis.send(new GetRecordsCommand({ ShardIterator: Buffer.from('not an iterator at all').toString('base64') })), 'InvalidArgumentException', 400, 'Invalid ShardIterator.');
      const good = await iterator('events', shard);
      const tampered = Buffer.from(good, 'base64');
      tampered[tampered.length - 3] ^= 1;
      await rejectsWith(kinesis.send(new GetRecordsCommand({ ShardIterator: tampered.toString('base64') })), 'InvalidArgumentException', 400, 'Invalid ShardIterator.');
      await rejectsWith(kinesis.send(new GetRecordsCommand({ ShardIterator: good, Limit: 10_001 })), 'ValidationException', 400, /at 'limit'/);
    });
  });

  describe('retention, tags and ARNs', () => {
    before(() => createActive('kept'));

    test('retention rises to 8760 hours and falls to 24, never past either bound or the wrong way', async () => {
      await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'kept', RetentionPeriodHours: 168 }));
      assert.equal((await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'kept' }))).StreamDescriptionSummary?.RetentionPeriodHours, 168);
      await rejectsWith(
        kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'kept', RetentionPeriodHours: 48 })),
        'InvalidArgumentException',
        400,
        'Requested retention period (48 hours) for stream kept can not be shorter than existing retention period (168 hours). Use DecreaseRetentionPeriod API.',
      );
      await rejectsWith(
        kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'kept', RetentionPeriodHours: 200 })),
        'InvalidArgumentException',
        400,
        'Requested retention period (200 hours) for stream kept can not be longer than existing retention period (168 hours). Use IncreaseRetentionPeriod API.',
      );
      await rejectsWith(
        kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'kept', RetentionPeriodHours: 8761 })),
        'InvalidArgumentException',
        400,
        'Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.',
      );
      await rejectsWith(
        kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'kept', RetentionPeriodHours: 23 })),
        'InvalidArgumentException',
        400,
        'Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.',
      );
      await kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'kept', RetentionPeriodHours: 24 }));
      assert.equal((await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'kept' }))).StreamDescriptionSummary?.RetentionPeriodHours, 24);
    });

    test('tags by stream name and by ARN; StreamARN works wherever StreamName does', async () => {
      const arn = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/kept`;
      await kinesis.send(new AddTagsToStreamCommand({ StreamName: 'kept', Tags: { team: 'data', env: 'dev' } }));
      await kinesis.send(new TagResourceCommand({ ResourceARN: arn, Tags: { cost: '42' } }));
      const listed = await kinesis.send(new ListTagsForStreamCommand({ StreamARN: arn }));
      assert.deepEqual(listed.Tags, [
        { Key: 'cost', Value: '42' },
        { Key: 'env', Value: 'dev' },
        { Key: 'team', Value: 'data' },
      ]);
      assert.equal(listed.HasMoreTags, false);
      const paged = await kinesis.send(new ListTagsForStreamCommand({ StreamName: 'kept', Limit: 1, ExclusiveStartTagKey: 'cost' }));
      assert.deepEqual(paged.Tags, [{ Key: 'env', Value: 'dev' }]);
      assert.equal(paged.HasMoreTags, true);
      await kinesis.send(new RemoveTagsFromStreamCommand({ StreamName: 'kept', TagKeys: ['env'] }));
      await kinesis.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['cost'] }));
      assert.deepEqual((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags, [{ Key: 'team', Value: 'data' }]);
      const tooMany = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
      await rejectsWith(
        kinesis.send(new AddTagsToStreamCommand({ StreamName: 'kept', Tags: tooMany })),
        'InvalidArgumentException',
        400,
        `Failed to add tags to stream kept under account ${ACCOUNT} because a given stream cannot have more than 50 tags associated with it.`,
      );
      await rejectsWith(kinesis.send(new AddTagsToStreamCommand({ StreamName: 'kept', Tags: { 'bad*key': 'v' } })), 'InvalidArgumentException', 400, /Some tags contain invalid characters/);
      await rejectsWith(kinesis.send(new ListTagsForResourceCommand({ ResourceARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/ghost` })), 'ResourceNotFoundException', 400);

      const put = await kinesis.send(new PutRecordCommand({ StreamARN: arn, PartitionKey: 'k', Data: bytes('by-arn') }));
      const it = await kinesis.send(new GetShardIteratorCommand({ StreamARN: arn, ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
      const got = await kinesis.send(new GetRecordsCommand({ StreamARN: arn, ShardIterator: it.ShardIterator }));
      assert.deepEqual(got.Records?.map((r) => text(r.Data)), ['by-arn']);
      assert.equal((await kinesis.send(new DescribeStreamCommand({ StreamARN: arn }))).StreamDescription?.StreamName, 'kept');
    });
    test('tags added at once to one stream are all kept', async () => {
      await createActive('tags-at-once');
      const ResourceARN = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/tags-at-once`;
      const kept: string[] = [];
      for (let round = 0; round < 3; round++) {
        const keys = ['a', 'b', 'c', 'd', 'e', 'f'].map((k) => `${k}${round}`);
        await Promise.all(keys.map((k, i) => (i % 2 === 0
          ? kinesis.send(new AddTagsToStreamCommand({ StreamName: 'tags-at-once', Tags: { [k]: k } }))
          : kinesis.send(new TagResourceCommand({ ResourceARN, Tags: { [k]: k } })))));
        kept.push(...keys);
        const { Tags } = await kinesis.send(new ListTagsForResourceCommand({ ResourceARN }));
        assert.deepEqual(Tags?.map((t) => t.Key), [...kept].sort(), `round ${round}`);
      }
    });
  });

  describe('registered consumers', () => {
    before(() => createActive('fanout'));

    test('register (CREATING → ACTIVE), describe by ARN or by name, list, deregister (DELETING → gone)', async () => {
      const streamArn = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/fanout`;
      const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'app-1' }));
      assert.equal(Consumer?.ConsumerStatus, 'CREATING');
      assert.match(Consumer?.ConsumerARN ?? '', new RegExp(`^${streamArn}/consumer/app-1:\\d{10}$`));
      assert.ok(Consumer?.ConsumerCreationTimestamp instanceof Date);
      await rejectsWith(kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'app-1' })), 'ResourceInUseException', 400);
      await new Promise((resolve) => setTimeout(resolve, 600));
      const byArn = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer?.ConsumerARN }));
      assert.equal(byArn.ConsumerDescription?.ConsumerStatus, 'ACTIVE');
      assert.equal(byArn.ConsumerDescription?.StreamARN, streamArn);
      const byName = await kinesis.send(new DescribeStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'app-1' }));
      assert.equal(byName.ConsumerDescription?.ConsumerARN, Consumer?.ConsumerARN);
      await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: 'app-2' }));
      const page = await kinesis.send(new ListStreamConsumersCommand({ StreamARN: streamArn, MaxResults: 1 }));
      assert.deepEqual(page.Consumers?.map((c) => c.ConsumerName), ['app-1']);
      const rest = await kinesis.send(new ListStreamConsumersCommand({ StreamARN: streamArn, NextToken: page.NextToken }));
      assert.deepEqual(rest.Consumers?.map((c) => c.ConsumerName), ['app-2']);
      assert.equal((await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'fanout' }))).StreamDescriptionSummary?.ConsumerCount, 2);

      await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: Consumer?.ConsumerARN }));
      assert.equal((await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer?.ConsumerARN }))).ConsumerDescription?.ConsumerStatus, 'DELETING');
      await new Promise((resolve) => setTimeout(resolve, 600));
      await rejectsWith(kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer?.ConsumerARN })), 'ResourceNotFoundException', 400);

      await rejectsWith(
        kinesis.send(new DeleteStreamCommand({ StreamName: 'fanout' })),
        'ResourceInUseException',
        400,
        `Stream fanout under account ${ACCOUNT} has registered consumers. Set EnforceConsumerDeletion to delete it with them.`,
      );
      await kinesis.send(new DeleteStreamCommand({ StreamName: 'fanout', EnforceConsumerDeletion: true }));
      await waitUntilStreamNotExists({ client: kinesis, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { StreamName: 'fanout' });
      assert.deepEqual(await server.lambkin.store.selectFrom('kinesis_consumers').selectAll().execute(), []);
    });
  });
});

describe('Kinesis throughput limits, when enforced', () => {
  let server: TestServer;
  let kinesis: KinesisClient;
  before(async () => {
    server = await startTestServer({ LAMBKIN_KINESIS_ENFORCE_THROUGHPUT: '1' });
    kinesis = kinesisClient(server.url);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'tight', ShardCount: 1 }));
    await waitForStatus(kinesis, 'tight');
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
  });

  test('a shard takes 1 MiB of writes a second: the rest of the call fails per record', async () => {
    const records = [0, 1].map((i) => ({ PartitionKey: `k${i}`, Data: new Uint8Array(600 * 1024) }));
    const out = await kinesis.send(new PutRecordsCommand({ StreamName: 'tight', Records: records }));
    assert.equal(out.FailedRecordCount, 1);
    assert.ok(out.Records?.[0]?.SequenceNumber);
    assert.equal(out.Records?.[1]?.ErrorCode, 'ProvisionedThroughputExceededException');
    assert.equal(out.Records?.[1]?.ErrorMessage, `Rate exceeded for shard shardId-000000000000 in stream tight under account ${ACCOUNT}.`);
  });

  test('a shard answers 5 GetRecords calls a second', async () => {
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'tight', ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }));
    let throttled = 0;
    for (let i = 0; i < 11; i++) {
      try {
        await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      } catch (err) {
        assert.equal((err as Error).name, 'ProvisionedThroughputExceededException');
        throttled++;
      }
    }
    assert.ok(throttled >= 1, 'at least one of 11 quick calls is over the limit');
  });
});
