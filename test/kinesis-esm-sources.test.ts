import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateEventSourceMappingCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { DeregisterStreamConsumerCommand, DescribeStreamConsumerCommand, RegisterStreamConsumerCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { rejectsWith } from './support/aws-errors.js';
import { kinesisClient } from './support/kinesis.js';
import { startRecorder, type Recorder } from './support/recorder.js';
import { s3Client } from './support/s3.js';
import { startTestServer, type TestServer } from './support/server.js';
import { createActiveStream, createStreamFunction, dataOf, invocationsOf, putRecords, sleep, streamArn } from './support/stream-mappings.js';

async function activeConsumer(kinesis: KinesisClient, stream: string, name: string): Promise<string> {
  const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: stream, ConsumerName: name }));
  const consumerArn = Consumer!.ConsumerARN!;
  const deadline = Date.now() + 10_000;
  while ((await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }))).ConsumerDescription?.ConsumerStatus !== 'ACTIVE') {
    if (Date.now() > deadline) throw new Error(`consumer ${name} never became ACTIVE`);
    await sleep(25);
  }
  return consumerArn;
}

describe('kinesis mappings: consumers (enhanced fan-out), missing sources, S3 failure destinations', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let kinesis: KinesisClient;
  let s3: S3Client;
  let recorder: Recorder;
  before(async () => {
    // Functions reach a host sink only if it listens before the server starts (support/host-ports.ts).
    recorder = await startRecorder();
    server = await startTestServer();
    lambda = server.lambda();
    kinesis = kinesisClient(server.url);
    s3 = s3Client(server);
  });
  after(async () => {
    kinesis.destroy();
    await server.stop();
    await recorder.close();
  });

  test("a mapping on a registered consumer's ARN delivers its stream's records, in order, naming the stream", async () => {
    const stream = await createActiveStream(kinesis, 'fan-out');
    const consumer = await activeConsumer(kinesis, stream, 'efo-reader');
    const fn = await createStreamFunction(lambda, 'kin-efo', recorder.url);
    await putRecords(kinesis, 'fan-out', [{ key: 'a', data: { i: 0 } }, { key: 'b', data: { i: 1 } }]);
    const mapping = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: consumer, StartingPosition: 'TRIM_HORIZON', BatchSize: 10,
    }));
    assert.equal(mapping.EventSourceArn, consumer);
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 2);
    await putRecords(kinesis, 'fan-out', [{ key: 'a', data: { i: 2 } }]);
    await recorder.waitFor(() => dataOf(recorder, fn).length >= 3);
    assert.deepEqual(dataOf(recorder, fn), [{ i: 0 }, { i: 1 }, { i: 2 }]);
    // AWS's records name the stream, not the consumer, as their source.
    assert.equal(invocationsOf(recorder, fn)[0]?.event.Records[0]?.eventSourceARN, stream);
  });

  test('a stream or consumer that does not exist is "Stream not found", as AWS answers', async () => {
    const fn = await createStreamFunction(lambda, 'kin-missing', recorder.url);
    const missingStream = streamArn('never-created');
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: missingStream, StartingPosition: 'LATEST' })),
      'InvalidParameterValueException', 400, `Stream not found: ${missingStream}`);

    const stream = await createActiveStream(kinesis, 'consumers-come-and-go');
    const unregistered = `${stream}/consumer/nobody:1700000000`;
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: unregistered, StartingPosition: 'LATEST' })),
      'InvalidParameterValueException', 400, `Stream not found: ${unregistered}`);

    const gone = await activeConsumer(kinesis, stream, 'short-lived');
    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: gone }));
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: gone }));
      } catch {
        break;
      }
      if (Date.now() > deadline) throw new Error('consumer never went away');
      await sleep(25);
    }
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: gone, StartingPosition: 'LATEST' })),
      'InvalidParameterValueException', 400, `Stream not found: ${gone}`);
  });

  test('OnFailure to an S3 bucket writes the failure record with the whole event under AWS\'s key', async () => {
    const stream = await createActiveStream(kinesis, 's3-failures');
    await s3.send(new CreateBucketCommand({ Bucket: 'stream-failures' }));
    const fn = await createStreamFunction(lambda, 'kin-s3-dest', recorder.url);
    const sequences = await putRecords(kinesis, 's3-failures', [{ key: 'p', data: { i: 0, fail: true } }, { key: 'p', data: { i: 1 } }]);
    const mapping = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: stream, StartingPosition: 'TRIM_HORIZON', BatchSize: 10, MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::stream-failures' } },
    }));
    const prefix = `aws/lambda/${mapping.UUID}/shardId-000000000000/`;
    let keys: string[] = [];
    const deadline = Date.now() + 30_000;
    while (keys.length === 0) {
      if (Date.now() > deadline) throw new Error('no failure record was written to the bucket');
      await sleep(100);
      keys = ((await s3.send(new ListObjectsV2Command({ Bucket: 'stream-failures', Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);
    }
    assert.equal(keys.length, 1);
    assert.match(keys[0]!.slice(prefix.length), /^\d{4}\/\d\d\/\d\d\/\d{4}-\d\d-\d\dT\d\d\.\d\d\.\d\d-[0-9a-f-]{36}$/);
    const object = await s3.send(new GetObjectCommand({ Bucket: 'stream-failures', Key: keys[0]! }));
    assert.equal(object.ContentType, 'application/json');
    const record = JSON.parse(await object.Body!.transformToString()) as Record<string, any>;
    assert.equal(record.requestContext.condition, 'RetryAttemptsExhausted');
    assert.equal(record.requestContext.approximateInvokeCount, 1);
    assert.equal(record.responseContext.functionError, 'Unhandled');
    assert.equal(record.version, '1.0');
    assert.deepEqual({ ...record.KinesisBatchInfo, approximateArrivalOfFirstRecord: 'date', approximateArrivalOfLastRecord: 'date' }, {
      shardId: 'shardId-000000000000', startSequenceNumber: sequences[0], endSequenceNumber: sequences[1],
      approximateArrivalOfFirstRecord: 'date', approximateArrivalOfLastRecord: 'date', batchSize: 2, streamArn: stream,
    });
    // Only S3 gets the records themselves: the event the function was given.
    const sent = invocationsOf(recorder, fn)[0]!.event;
    assert.deepEqual(record.payload, { Records: sent.Records });
  });
});
