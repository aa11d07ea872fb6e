import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateStreamCommand, DescribeStreamConsumerCommand, KinesisClient, PutRecordCommand, RegisterStreamConsumerCommand, SplitShardCommand,
  SubscribeToShardCommand, type SubscribeToShardEvent,
} from '@aws-sdk/client-kinesis';
import { ShiftableClock } from '../src/clock.js';
import { rejectsWith } from './support/aws-errors.js';
import { waitForStatus } from './support/kinesis.js';
import { startTestServer, type TestServer } from './support/server.js';

const HALF = 170141183460469231731687303715884105728n;
const text = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('utf8');

describe('Kinesis SubscribeToShard (enhanced fan-out push) through the SDK over HTTP/2', () => {
  let server: TestServer;
  let kinesis: KinesisClient;

  const activeConsumer = async (streamArn: string, name: string): Promise<string> => {
    const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: name }));
    const deadline = Date.now() + 10_000;
    while ((await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN }))).ConsumerDescription?.ConsumerStatus !== 'ACTIVE') {
      if (Date.now() > deadline) throw new Error('consumer never became ACTIVE');
      await new Promise((r) => setTimeout(r, 25));
    }
    return Consumer!.ConsumerARN!;
  };
  const createStream = async (name: string): Promise<string> => {
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await waitForStatus(kinesis, name);
    return `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
  };

  before(async () => {
    server = await startTestServer();
    // The SDK's default handler: HTTP/2, which SubscribeToShard needs.
    kinesis = new KinesisClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
  });

  test('records already in the shard come first, then each new record is pushed as it is written', async () => {
    const arn = await createStream('pushed');
    const first = await kinesis.send(new PutRecordCommand({ StreamName: 'pushed', PartitionKey: 'k', Data: Buffer.from('one') }));
    await kinesis.send(new PutRecordCommand({ StreamName: 'pushed', PartitionKey: 'k', Data: Buffer.from('two') }));
    const consumer = await activeConsumer(arn, 'pusher');
    const { EventStream } = await kinesis.send(new SubscribeToShardCommand({
      ConsumerARN: consumer, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'TRIM_HORIZON' },
    }));
    const seen: string[] = [];
    let continuation: string | undefined;
    let putAt = 0;
    let pushDelayMs = Infinity;
    for await (const event of EventStream!) {
      const batch = event.SubscribeToShardEvent as SubscribeToShardEvent;
      assert.ok(batch, `unexpected event ${JSON.stringify(event)}`);
      for (const r of batch.Records ?? []) {
        seen.push(text(r.Data));
        assert.ok(r.ApproximateArrivalTimestamp instanceof Date);
        assert.equal(r.PartitionKey, 'k');
      }
      assert.equal(typeof batch.MillisBehindLatest, 'number');
      continuation = batch.ContinuationSequenceNumber;
      if (seen.length === 2 && putAt === 0) {
        assert.equal(seen[0], 'one');
        assert.ok(continuation && continuation > first.SequenceNumber!);
        putAt = Date.now();
        await kinesis.send(new PutRecordCommand({ StreamName: 'pushed', PartitionKey: 'k', Data: Buffer.from('three') }));
      }
      if (seen.length === 3) {
        pushDelayMs = Date.now() - putAt;
        break;
      }
    }
    assert.deepEqual(seen, ['one', 'two', 'three']);
    // Pushed on the write, not at the 5-second heartbeat.
    assert.ok(pushDelayMs < 2_000, `pushed after ${pushDelayMs} ms`);
  });

  test('a closed parent shard is read to its end, then a last event names the children and the stream ends', async () => {
    const arn = await createStream('split-push');
    await kinesis.send(new PutRecordCommand({ StreamName: 'split-push', PartitionKey: 'k', Data: Buffer.from('before') }));
    await kinesis.send(new SplitShardCommand({ StreamName: 'split-push', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: HALF.toString() }));
    await waitForStatus(kinesis, 'split-push');
    const consumer = await activeConsumer(arn, 'splitter');
    const { EventStream } = await kinesis.send(new SubscribeToShardCommand({
      ConsumerARN: consumer, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'TRIM_HORIZON' },
    }));
    const events: SubscribeToShardEvent[] = [];
    for await (const event of EventStream!) events.push(event.SubscribeToShardEvent!);
    const last = events[events.length - 1]!;
    assert.deepEqual(events.flatMap((e) => (e.Records ?? []).map((r) => text(r.Data))), ['before']);
    assert.equal(last.ContinuationSequenceNumber, undefined);
    assert.deepEqual(last.ChildShards?.map((c) => c.ShardId).sort(), ['shardId-000000000001', 'shardId-000000000002']);
  });

  test('a consumer that does not exist is ResourceNotFoundException', async () => {
    const arn = await createStream('no-consumer');
    await rejectsWith(kinesis.send(new SubscribeToShardCommand({
      ConsumerARN: `${arn}/consumer/ghost:1700000000`, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' },
    })), 'ResourceNotFoundException', 400, 'Consumer ghost under stream no-consumer under account 000000000000 not found.');
  });
});

describe('Kinesis SubscribeToShard while the consumer is still CREATING', () => {
  let server: TestServer;
  let kinesis: KinesisClient;
  before(async () => {
    server = await startTestServer({ LAMBKIN_PROVISIONING_DELAY_MS: '1500' });
    kinesis = new KinesisClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
  });

  test('is refused with ResourceInUseException until the consumer is ACTIVE', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'slow', ShardCount: 1 }));
    await waitForStatus(kinesis, 'slow', 'ACTIVE', 15_000);
    const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/slow', ConsumerName: 'early' }));
    assert.equal(Consumer?.ConsumerStatus, 'CREATING');
    await rejectsWith(kinesis.send(new SubscribeToShardCommand({
      ConsumerARN: Consumer!.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' },
    })), 'ResourceInUseException', 400,
    `Consumer early with creation timestamp ${Consumer!.ConsumerARN!.split(':').pop()} under stream: slow , account 000000000000 is not in ACTIVE status.`);
  });
});

describe('Kinesis SubscribeToShard: one subscription per consumer and shard', () => {
  let server: TestServer;
  let kinesis: KinesisClient;
  const clock = new ShiftableClock();
  before(async () => {
    server = await startTestServer({}, { kinesisClock: clock });
    kinesis = new KinesisClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
  });

  test('a second call within 5 s is refused; one 5 s later takes over and the first stream ends with ResourceInUseException', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'shared', ShardCount: 1 }));
    await waitForStatus(kinesis, 'shared');
    const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/shared', ConsumerName: 'twice' }));
    const consumer = Consumer!.ConsumerARN!;
    while ((await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumer }))).ConsumerDescription?.ConsumerStatus !== 'ACTIVE') {
      await new Promise((r) => setTimeout(r, 25));
    }
    const subscribe = () => kinesis.send(new SubscribeToShardCommand({ ConsumerARN: consumer, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'LATEST' } }));
    const first = await subscribe();
    await rejectsWith(subscribe(), 'ResourceInUseException', 400,
      'Another active subscription exists for this consumer: 000000000000:shared:shardId-000000000000:twice');

    clock.advance(5_001);
    const second = await subscribe();
    const firstEnded = (async () => {
      for await (const _event of first.EventStream!) {
        // the first read's (empty) event, then the takeover
      }
    })();
    await assert.rejects(firstEnded, (err: Error) => err.name === 'ResourceInUseException' && /Another active subscription exists/.test(err.message));
    const events = second.EventStream![Symbol.asyncIterator]();
    assert.ok((await events.next()).value?.SubscribeToShardEvent, 'the new subscription streams');
    await events.return?.();
  });
});
