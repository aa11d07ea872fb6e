import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateStreamCommand, DescribeStreamConsumerCommand, KinesisClient, PutRecordCommand, RegisterStreamConsumerCommand, SplitShardCommand,
  SubscribeToShardCommand, type SubscribeToShardEvent,
} from '@aws-sdk/client-kinesis';
import { connect as http2Connect } from 'node:http2';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import cbor from 'cbor';
import { ShiftableClock } from '../src/clock.js';
import { rejectsWith } from './support/aws-errors.js';
import { waitForStatus } from './support/kinesis.js';
import { startTestServer, type TestServer } from './support/server.js';

const HALF = 170141183460469231731687303715884105728n;
const text = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('utf8');

interface StreamMessage {
  headers: Record<string, string>;
  payload: Buffer;
}

/** Splits `application/vnd.amazon.eventstream` bytes into messages (string headers only, as Kinesis sends). */
function eventStreamMessages(bytes: Buffer): StreamMessage[] {
  const out: StreamMessage[] = [];
  for (let at = 0; at + 16 <= bytes.length;) {
    const total = bytes.readUInt32BE(at);
    const headersLength = bytes.readUInt32BE(at + 4);
    const headers: Record<string, string> = {};
    for (let h = at + 12; h < at + 12 + headersLength;) {
      const nameLength = bytes.readUInt8(h);
      const name = bytes.subarray(h + 1, h + 1 + nameLength).toString('utf8');
      const valueLength = bytes.readUInt16BE(h + 2 + nameLength);
      headers[name] = bytes.subarray(h + 4 + nameLength, h + 4 + nameLength + valueLength).toString('utf8');
      h += 4 + nameLength + valueLength;
    }
    out.push({ headers, payload: bytes.subarray(at + 12 + headersLength, at + total - 4) });
    at += total;
  }
  return out;
}

/** SubscribeToShard in AWS's CBOR over a raw HTTP/2 stream, as the Java SDK sends it; the first `count` messages. */
async function cborSubscription(url: string, input: Record<string, unknown>, count: number): Promise<StreamMessage[]> {
  const { hostname, port, host } = new URL(url);
  const body = cbor.encode(input);
  const signer = new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'kinesis', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(new HttpRequest({
    method: 'POST', protocol: 'http:', hostname, port: Number(port), path: '/',
    headers: { host, 'content-type': 'application/x-amz-cbor-1.1', 'x-amz-target': 'Kinesis_20131202.SubscribeToShard' }, body,
  }));
  const { host: _host, ...headers } = signed.headers;
  const session = http2Connect(url);
  try {
    return await new Promise<StreamMessage[]>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': '/', ':authority': host, ...headers });
      let received = Buffer.alloc(0);
      stream.on('response', (h) => {
        if (h[':status'] !== 200 || h['content-type'] !== 'application/vnd.amazon.eventstream') reject(new Error(`answered ${h[':status']} ${h['content-type']}`));
      });
      stream.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const messages = eventStreamMessages(received);
        if (messages.length >= count) {
          stream.close();
          resolve(messages.slice(0, count));
        }
      });
      stream.on('error', reject);
      stream.end(body);
    });
  } finally {
    session.close();
  }
}

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

  test("in AWS's CBOR (the Java SDK's default), each event's payload is CBOR: records as byte strings", async () => {
    const arn = await createStream('cbor-push');
    await kinesis.send(new PutRecordCommand({ StreamName: 'cbor-push', PartitionKey: 'k', Data: Buffer.from([0, 1, 255]) }));
    const consumer = await activeConsumer(arn, 'java-like');
    const [initial, first] = await cborSubscription(server.url, { ConsumerARN: consumer, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'TRIM_HORIZON' } }, 2);
    assert.deepEqual(initial!.headers, { ':event-type': 'initial-response', ':content-type': 'application/x-amz-cbor-1.1', ':message-type': 'event' });
    assert.equal(first!.headers[':event-type'], 'SubscribeToShardEvent');
    assert.equal(first!.headers[':content-type'], 'application/x-amz-cbor-1.1');
    const event = cbor.decodeFirstSync(first!.payload) as { Records: Array<{ Data: Buffer; PartitionKey: string; ApproximateArrivalTimestamp: unknown }>; ContinuationSequenceNumber: string };
    assert.equal(event.Records.length, 1);
    assert.deepEqual([...event.Records[0]!.Data], [0, 1, 255]);
    assert.equal(event.Records[0]!.PartitionKey, 'k');
    assert.ok(event.Records[0]!.ApproximateArrivalTimestamp instanceof Date);
    assert.match(event.ContinuationSequenceNumber, /^\d{56}$/);
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
