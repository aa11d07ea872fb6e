import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateEventSourceMappingCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { RegisterStreamConsumerCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ShiftableClock } from '../src/clock.js';
import { kinesisClient } from './support/kinesis.js';
import { startRecorder, type Recorder } from './support/recorder.js';
import { startTestServer, type TestServer } from './support/server.js';
import { sqsClient } from './support/sqs.js';
import { ACCOUNT, createActiveStream, createStreamFunction, dataOf, invocationsOf, putRecords, sleep } from './support/stream-mappings.js';

const queueArn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

interface Harness {
  server: TestServer;
  lambda: LambdaClient;
  kinesis: KinesisClient;
  sqs: SQSClient;
}

async function harness(options: { kinesisClock?: ShiftableClock } = {}): Promise<Harness> {
  const server = await startTestServer({}, options);
  return { server, lambda: server.lambda(), kinesis: kinesisClient(server.url), sqs: sqsClient(server.url) };
}

async function queue(h: Harness, name: string): Promise<{ url: string; arn: string }> {
  const url = (await h.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl as string;
  return { url, arn: queueArn(name) };
}

async function receiveOne(h: Harness, url: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Messages } = await h.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    if (Messages?.[0]) return JSON.parse(Messages[0].Body ?? '') as Record<string, unknown>;
    if (Date.now() > deadline) throw new Error('no OnFailure record arrived');
  }
}

describe('kinesis mappings: errors, partial batches and tumbling windows', () => {
  let h: Harness;
  let recorder: Recorder;
  before(async () => {
    // Functions reach a host sink only if it listens before the server starts (support/host-ports.ts).
    recorder = await startRecorder();
    h = await harness();
  });
  after(async () => {
    h.kinesis.destroy();
    await h.server.stop();
    await recorder.close();
  });

  test('a failing batch blocks its shard, is retried MaximumRetryAttempts times, then goes to OnFailure as AWS shapes it', async () => {
    const arn = await createActiveStream(h.kinesis, 'failing');
    const { url, arn: dlq } = await queue(h, 'failing-dlq');
    const fn = await createStreamFunction(h.lambda, 'kin-fail', recorder.url);
    const sequences = await putRecords(h.kinesis, 'failing', [{ key: 'a', data: { i: 1 } }, { key: 'b', data: { i: 2, fail: true } }, { key: 'a', data: { i: 3 } }]);
    await h.lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', BatchSize: 10, MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: dlq } },
    }));
    await recorder.waitFor(() => invocationsOf(recorder, fn).length >= 1);
    await putRecords(h.kinesis, 'failing', [{ key: 'a', data: { i: 4 } }]);
    const record = await receiveOne(h, url);
    await recorder.waitFor(() => dataOf(recorder, fn).some((d) => (d as { i: number }).i === 4));
    const invocations = invocationsOf(recorder, fn).map((i) => i.data.map((d) => (d as { i: number }).i));
    assert.deepEqual(invocations, [[1, 2, 3], [1, 2, 3], [1, 2, 3], [4]], 'the shard waited for the failing batch');

    assert.deepEqual(Object.keys(record), ['requestContext', 'responseContext', 'version', 'timestamp', 'KinesisBatchInfo']);
    const requestContext = record.requestContext as Record<string, unknown>;
    assert.match(String(requestContext.requestId), /^[0-9a-f-]{36}$/);
    assert.deepEqual({ ...requestContext, requestId: '' }, {
      requestId: '', functionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${fn}`, condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3,
    });
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    assert.equal(record.version, '1.0');
    assert.match(String(record.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const info = record.KinesisBatchInfo as Record<string, unknown>;
    assert.deepEqual(Object.keys(info), ['shardId', 'startSequenceNumber', 'endSequenceNumber', 'approximateArrivalOfFirstRecord', 'approximateArrivalOfLastRecord', 'batchSize', 'streamArn']);
    assert.equal(info.shardId, 'shardId-000000000000');
    assert.equal(info.startSequenceNumber, sequences[0]);
    assert.equal(info.endSequenceNumber, sequences[2]);
    assert.match(String(info.approximateArrivalOfFirstRecord), /Z$/);
    assert.equal(info.batchSize, 3);
    assert.equal(info.streamArn, arn);
  });

  test('BisectBatchOnFunctionError converges on the poison record: the rest delivered, it alone to OnFailure', async () => {
    const arn = await createActiveStream(h.kinesis, 'bisect');
    const { url, arn: dlq } = await queue(h, 'bisect-dlq');
    const fn = await createStreamFunction(h.lambda, 'kin-bisect', recorder.url);
    const data = Array.from({ length: 8 }, (_, i) => ({ key: `k${i}`, data: i === 5 ? { i, fail: true } : { i } }));
    const sequences = await putRecords(h.kinesis, 'bisect', data);
    await h.lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', BatchSize: 8, BisectBatchOnFunctionError: true, MaximumRetryAttempts: 1,
      DestinationConfig: { OnFailure: { Destination: dlq } },
    }));
    const record = await receiveOne(h, url);
    const info = record.KinesisBatchInfo as Record<string, unknown>;
    assert.equal(info.batchSize, 1);
    assert.equal(info.startSequenceNumber, sequences[5]);
    assert.equal(info.endSequenceNumber, sequences[5]);
    const succeeded = () => invocationsOf(recorder, fn).filter((i) => !i.data.some((d) => (d as { fail?: boolean }).fail)).flatMap((i) => i.data.map((d) => (d as { i: number }).i));
    await recorder.waitFor(() => succeeded().length >= 7);
    await sleep(200);
    assert.deepEqual(succeeded().sort(), [0, 1, 2, 3, 4, 6, 7]);
    const batchSizes = invocationsOf(recorder, fn).map((i) => i.data.length);
    assert.deepEqual(batchSizes.slice(0, 3), [8, 4, 4], 'the failed batch was split in halves');
  });

  test('ReportBatchItemFailures checkpoints before the lowest failed record; an unknown identifier fails the whole batch', async () => {
    const arn = await createActiveStream(h.kinesis, 'partial');
    const fn = await createStreamFunction(h.lambda, 'kin-partial', recorder.url, { MODE: 'partial' });
    await putRecords(h.kinesis, 'partial', Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, data: i === 2 || i === 4 ? { i, badOnce: true } : { i } })));
    await h.lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'],
    }));
    await recorder.waitFor(() => invocationsOf(recorder, fn).length >= 2);
    await sleep(300);
    const batches = invocationsOf(recorder, fn).map((i) => i.data.map((d) => (d as { i: number }).i));
    assert.deepEqual(batches, [[0, 1, 2, 3, 4, 5], [2, 3, 4, 5]]);

    const invalidArn = await createActiveStream(h.kinesis, 'partial-invalid');
    const invalid = await createStreamFunction(h.lambda, 'kin-invalid', recorder.url, { MODE: 'invalid' });
    await putRecords(h.kinesis, 'partial-invalid', [{ key: 'a', data: { i: 0 } }, { key: 'b', data: { i: 1 } }]);
    await h.lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: invalid, EventSourceArn: invalidArn, StartingPosition: 'TRIM_HORIZON', FunctionResponseTypes: ['ReportBatchItemFailures'], MaximumRetryAttempts: 1,
    }));
    await recorder.waitFor(() => invocationsOf(recorder, invalid).length >= 2);
    await putRecords(h.kinesis, 'partial-invalid', [{ key: 'a', data: { i: 2 } }]);
    await recorder.waitFor(() => invocationsOf(recorder, invalid).length >= 3);
    const invalidBatches = invocationsOf(recorder, invalid).map((i) => i.data.map((d) => (d as { i: number }).i));
    assert.deepEqual(invalidBatches, [[0, 1], [0, 1], [2]]);
  });

  test('a mapping tagged with a remote endpoint reads the stream there through the SDK client', async () => {
    const arn = await createActiveStream(h.kinesis, 'remote');
    const fn = await createStreamFunction(h.lambda, 'kin-remote', recorder.url);
    await putRecords(h.kinesis, 'remote', [{ key: 'a', data: { i: 0 } }, { key: 'b', data: { i: 1 } }]);
    const { Consumer } = await h.kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: 'efo' }));
    await h.lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: Consumer!.ConsumerARN!, StartingPosition: 'TRIM_HORIZON', BatchSize: 10,
      Tags: { 'lambkin:sqs-endpoint': h.server.url },
    }));
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 2);
    await putRecords(h.kinesis, 'remote', [{ key: 'a', data: { i: 2 } }]);
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 3);
    assert.deepEqual(dataOf(recorder, fn), [{ i: 0 }, { i: 1 }, { i: 2 }]);
    assert.equal(invocationsOf(recorder, fn)[0]?.event.Records[0]?.eventSourceARN, arn);
  });

  test('tumbling windows: state carried from invocation to invocation, then a final invocation for the window', async () => {
    const arn = await createActiveStream(h.kinesis, 'windowed');
    const fn = await createStreamFunction(h.lambda, 'kin-window', recorder.url, { MODE: 'window' });
    await h.lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', BatchSize: 2, TumblingWindowInSeconds: 2,
    }));
    await putRecords(h.kinesis, 'windowed', Array.from({ length: 5 }, (_, i) => ({ key: 'k', data: { i } })));
    await recorder.waitFor(() => invocationsOf(recorder, fn).some((i) => i.event.isFinalInvokeForWindow === true && dataOf(recorder, fn).length >= 5), 15_000);
    const byWindow = new Map<string, typeof invocations>();
    const invocations = invocationsOf(recorder, fn);
    for (const inv of invocations) {
      const window = inv.event.window as { start: string; end: string };
      assert.match(window.start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(Date.parse(window.end) - Date.parse(window.start), 2000);
      assert.equal(inv.event.shardId, 'shardId-000000000000');
      assert.equal(inv.event.eventSourceARN, arn);
      assert.equal(inv.event.isWindowTerminatedEarly, false);
      byWindow.set(window.start, [...(byWindow.get(window.start) ?? []), inv]);
    }
    let total = 0;
    for (const [start, list] of byWindow) {
      let count = 0;
      for (const inv of list) {
        assert.deepEqual(inv.event.state, count === 0 ? {} : { count }, `window ${start}`);
        count += inv.event.Records.length;
        if (inv.event.isFinalInvokeForWindow) {
          assert.equal(inv.event.Records.length, 0);
          assert.equal(inv, list[list.length - 1]);
        }
      }
      total += count;
    }
    assert.equal(total, 5);
    const first = [...byWindow.values()][0] ?? [];
    assert.equal(first[first.length - 1]?.event.isFinalInvokeForWindow, true, 'the first window ended with its final invocation');
  });
});

describe('kinesis mappings: MaximumRecordAgeInSeconds', () => {
  let h: Harness;
  let recorder: Recorder;
  // Records arrive 58 s in the past: a minute old within two seconds of being put.
  const kinesisClock = new ShiftableClock(Date.now() - 58_000);
  before(async () => {
    // Functions reach a host sink only if it listens before the server starts (support/host-ports.ts).
    recorder = await startRecorder();
    h = await harness({ kinesisClock });
  });
  after(async () => {
    h.kinesis.destroy();
    await h.server.stop();
    await recorder.close();
  });

  test('records older than the maximum age are skipped with a RecordAgeExceeded record; the shard moves on', async () => {
    const arn = await createActiveStream(h.kinesis, 'aging');
    const { url, arn: dlq } = await queue(h, 'aging-dlq');
    const fn = await createStreamFunction(h.lambda, 'kin-age', recorder.url);
    const [sequence] = await putRecords(h.kinesis, 'aging', [{ key: 'a', data: { i: 0, fail: true } }]);
    await h.lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', MaximumRecordAgeInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: dlq } },
    }));
    const record = await receiveOne(h, url);
    const requestContext = record.requestContext as Record<string, unknown>;
    assert.equal(requestContext.condition, 'RecordAgeExceeded');
    assert.ok(Number(requestContext.approximateInvokeCount) >= 1);
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    assert.equal((record.KinesisBatchInfo as Record<string, unknown>).startSequenceNumber, sequence);
    await putRecords(h.kinesis, 'aging', [{ key: 'a', data: { i: 1 } }]);
    await recorder.waitFor(() => dataOf(recorder, fn).some((d) => (d as { i: number }).i === 1));
  });
});
