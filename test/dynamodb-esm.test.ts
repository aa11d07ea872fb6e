import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateEventSourceMappingCommand, CreateFunctionCommand, GetEventSourceMappingCommand, GetFunctionConfigurationCommand, UpdateEventSourceMappingCommand, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { BatchWriteItemCommand, DeleteItemCommand, PutItemCommand, UpdateItemCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createStreamTable, dynamodbClient } from './support/dynamodb-streams.js';
import { startRecorder, type Recorder } from './support/recorder.js';
import { startTestServer, type TestServer } from './support/server.js';
import { sqsClient } from './support/sqs.js';
import { sleep, waitForMappingState } from './support/stream-mappings.js';
import { makeZip, ROLE } from './support/zip.js';

/**
 * POSTs `{fn, at, event}` to RECORDER_URL, waits DELAY_MS, then throws when a record's NewImage has `fail`; MODE
 * `partial` reports (by `dynamodb.SequenceNumber`) records whose NewImage has `badOnce` the first
 * time this environment sees them.
 */
const HANDLER = `
const tries = {};
exports.handler = async (event) => {
  await fetch(process.env.RECORDER_URL, { method: 'POST', body: JSON.stringify({ fn: process.env.TAG, at: Date.now(), event }) });
  if (process.env.DELAY_MS) await new Promise((r) => setTimeout(r, Number(process.env.DELAY_MS)));
  const image = (r) => (r.dynamodb && r.dynamodb.NewImage) || {};
  if (event.Records.some((r) => image(r).fail)) throw new Error('told to fail');
  if (process.env.MODE === 'partial') {
    const bad = event.Records.filter((r) => image(r).badOnce && !tries[r.dynamodb.SequenceNumber]);
    for (const r of bad) tries[r.dynamodb.SequenceNumber] = true;
    return { batchItemFailures: bad.map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })) };
  }
  return {};
};
`;

const queueArn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

interface DdbRecord {
  eventID: string;
  eventName: string;
  dynamodb: { Keys: Record<string, { S?: string }>; NewImage?: Record<string, { S?: string; N?: string }>; OldImage?: Record<string, unknown>; SequenceNumber: string };
  userIdentity?: unknown;
  [k: string]: unknown;
}

describe('DynamoDB stream event source mappings', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let ddb: DynamoDBClient;
  let sqs: SQSClient;
  let recorder: Recorder;
  before(async () => {
    // Functions reach a host sink only if it listens before the server starts (support/host-ports.ts).
    recorder = await startRecorder();
    // TTL deletions within a second, so the TTL case does not wait the default 30 s sweep.
    server = await startTestServer({ LAMBKIN_DYNAMODB_TTL_SWEEP_SECONDS: '1' });
    lambda = server.lambda();
    ddb = dynamodbClient(server.url);
    sqs = sqsClient(server.url);
  });
  after(async () => {
    ddb.destroy();
    sqs.destroy();
    await server.stop();
    await recorder.close();
  });

  const invocationsOf = (fn: string) =>
    (recorder.events as unknown as Array<{ fn: string; at: number; event: { Records: DdbRecord[] } }>).filter((e) => e.fn === fn);
  const recordsOf = (fn: string): DdbRecord[] => invocationsOf(fn).flatMap((e) => e.event.Records);
  const idsOf = (fn: string) => recordsOf(fn).map((r) => `${r.eventName}:${r.dynamodb.Keys.id!.S}`);

  async function createFunction(name: string, env: Record<string, string> = {}): Promise<string> {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 5,
      Code: { ZipFile: makeZip({ 'index.js': HANDLER }) }, Environment: { Variables: { RECORDER_URL: recorder.url, TAG: name, ...env } },
    }));
    const deadline = Date.now() + 10_000;
    while ((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).State !== 'Active') {
      if (Date.now() > deadline) throw new Error(`function ${name} never became Active`);
      await sleep(25);
    }
    return name;
  }
  const put = (table: string, id: string, extra: Record<string, { S: string } | { BOOL: boolean }> = {}) =>
    ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: id }, ...extra } }));

  test('PutItem, UpdateItem and DeleteItem reach the function as INSERT, MODIFY and REMOVE in the §4.7 shape', async () => {
    const arn = await createStreamTable(ddb, 'esm-shape');
    const fn = await createFunction('ddb-shape');
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: arn, StartingPosition: 'LATEST', BatchSize: 10 }));
    await put('esm-shape', 'a', { v: { S: 'one' } });
    await ddb.send(new UpdateItemCommand({ TableName: 'esm-shape', Key: { id: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'two' } } }));
    await ddb.send(new DeleteItemCommand({ TableName: 'esm-shape', Key: { id: { S: 'a' } } }));
    await recorder.waitFor(() => recordsOf(fn).length >= 3);
    assert.deepEqual(idsOf(fn), ['INSERT:a', 'MODIFY:a', 'REMOVE:a']);
    const [insert, modify, remove] = recordsOf(fn);
    assert.deepEqual(Object.keys(insert!), ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
    assert.equal(insert!.eventVersion, '1.1');
    assert.equal(insert!.eventSource, 'aws:dynamodb');
    assert.equal(insert!.awsRegion, 'us-east-1');
    assert.equal(insert!.eventSourceARN, arn);
    assert.deepEqual(Object.keys(insert!.dynamodb), ['ApproximateCreationDateTime', 'Keys', 'NewImage', 'SequenceNumber', 'SizeBytes', 'StreamViewType']);
    assert.equal(typeof (insert!.dynamodb as unknown as { ApproximateCreationDateTime: unknown }).ApproximateCreationDateTime, 'number');
    assert.deepEqual(modify!.dynamodb.OldImage, { id: { S: 'a' }, v: { S: 'one' } });
    assert.deepEqual(modify!.dynamodb.NewImage, { id: { S: 'a' }, v: { S: 'two' } });
    assert.equal(remove!.dynamodb.NewImage, undefined);
    const deadline = Date.now() + 5000;
    while ((await lambda.send(new GetEventSourceMappingCommand({ UUID }))).LastProcessingResult !== 'OK') {
      assert.ok(Date.now() < deadline, 'LastProcessingResult never became OK');
      await sleep(50);
    }
  });

  test('CreateEventSourceMapping refuses AT_TIMESTAMP and a missing stream with AWS text', async () => {
    const arn = await createStreamTable(ddb, 'esm-rules');
    const fn = await createFunction('ddb-rules');
    await assert.rejects(
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: arn, StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date() })),
      (err: Error) => err.name === 'InvalidParameterValueException' && err.message === `Unsupported starting position for arn type: ${arn}`,
    );
    const missing = 'arn:aws:dynamodb:us-east-1:000000000000:table/nope/stream/2024-01-01T00:00:00.000';
    await assert.rejects(
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: missing, StartingPosition: 'TRIM_HORIZON' })),
      (err: Error) => err.name === 'InvalidParameterValueException' && err.message === `Stream not found: ${missing}`,
    );
  });

  test('FilterCriteria on eventName and NewImage: records no pattern matches are skipped', async () => {
    const arn = await createStreamTable(ddb, 'esm-filter');
    const fn = await createFunction('ddb-filter');
    await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['photo'] } } } }) }] },
    }));
    await put('esm-filter', 'skip-me', { kind: { S: 'video' } });
    await put('esm-filter', 'keep-me', { kind: { S: 'photo' } });
    await ddb.send(new DeleteItemCommand({ TableName: 'esm-filter', Key: { id: { S: 'keep-me' } } }));
    await put('esm-filter', 'keep-too', { kind: { S: 'photo' } });
    await recorder.waitFor(() => recordsOf(fn).length >= 2);
    await sleep(300);
    assert.deepEqual(idsOf(fn), ['INSERT:keep-me', 'INSERT:keep-too']);
  });

  test('ReportBatchItemFailures retries from the failed dynamodb.SequenceNumber', async () => {
    const arn = await createStreamTable(ddb, 'esm-partial');
    const fn = await createFunction('ddb-partial', { MODE: 'partial' });
    await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', BatchSize: 10, MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    }));
    await put('esm-partial', 'a');
    await put('esm-partial', 'b', { badOnce: { BOOL: true } });
    await put('esm-partial', 'c');
    await recorder.waitFor(() => recordsOf(fn).length >= 5);
    await sleep(300);
    // First batch a, b, c; b failed, so b and c come again.
    assert.deepEqual(idsOf(fn), ['INSERT:a', 'INSERT:b', 'INSERT:c', 'INSERT:b', 'INSERT:c']);
  });

  test('a poison record bisected down and sent to the SQS on-failure destination with DDBStreamBatchInfo', async () => {
    const arn = await createStreamTable(ddb, 'esm-poison');
    const fn = await createFunction('ddb-poison');
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'ddb-poison-dlq' }))).QueueUrl!;
    await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', BatchSize: 4, MaximumBatchingWindowInSeconds: 1,
      BisectBatchOnFunctionError: true, MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: queueArn('ddb-poison-dlq') } },
    }));
    for (const id of ['p1', 'p2', 'p3']) await put('esm-poison', id);
    await put('esm-poison', 'poison', { fail: { BOOL: true } });
    const deadline = Date.now() + 30_000;
    let message: Record<string, any> | undefined;
    while (!message) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
      if (Messages?.[0]) message = JSON.parse(Messages[0].Body!) as Record<string, any>;
      assert.ok(Date.now() < deadline, 'no OnFailure record arrived');
    }
    const poison = recordsOf(fn).find((r) => r.dynamodb.Keys.id!.S === 'poison')!;
    const info = message.DDBStreamBatchInfo;
    assert.equal(info.batchSize, 1);
    assert.equal(info.startSequenceNumber, poison.dynamodb.SequenceNumber);
    assert.equal(info.endSequenceNumber, poison.dynamodb.SequenceNumber);
    assert.equal(info.streamArn, arn);
    assert.match(info.shardId, /^shardId-\d{20}-[0-9a-f]{8}$/);
    assert.match(info.approximateArrivalOfFirstRecord, /^\d{4}-\d\d-\d\dT/);
    assert.match(info.approximateArrivalOfLastRecord, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(Object.keys(info), ['shardId', 'startSequenceNumber', 'endSequenceNumber', 'approximateArrivalOfFirstRecord', 'approximateArrivalOfLastRecord', 'batchSize', 'streamArn']);
    assert.deepEqual(Object.keys(message), ['requestContext', 'responseContext', 'version', 'timestamp', 'DDBStreamBatchInfo']);
    assert.equal(message.requestContext.condition, 'RetryAttemptsExhausted');
    assert.equal(message.requestContext.functionArn, `arn:aws:lambda:us-east-1:000000000000:function:${fn}`);
    assert.deepEqual(message.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    // The failure record describes the records; it never carries them.
    assert.equal(JSON.stringify(message).includes('NewImage'), false);
    // Every good record reached the function in a batch that succeeded.
    for (const id of ['p1', 'p2', 'p3']) assert.ok(idsOf(fn).includes(`INSERT:${id}`));
  });

  test('a TTL deletion reaches the function as a REMOVE with the service userIdentity, and filters can select it', async () => {
    const arn = await createStreamTable(ddb, 'esm-ttl');
    await ddb.send(new UpdateTimeToLiveCommand({ TableName: 'esm-ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
    const all = await createFunction('ddb-ttl-all');
    const archive = await createFunction('ddb-ttl-archive');
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: all, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON' }));
    // AWS's documented pattern for archiving what TTL deleted.
    await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: archive, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON',
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] } }) }] },
    }));
    const past = String(Math.floor(Date.now() / 1000) - 60);
    await ddb.send(new PutItemCommand({ TableName: 'esm-ttl', Item: { id: { S: 'expired' }, expiresAt: { N: past } } }));
    await put('esm-ttl', 'by-hand');
    await ddb.send(new DeleteItemCommand({ TableName: 'esm-ttl', Key: { id: { S: 'by-hand' } } }));
    await recorder.waitFor(() => recordsOf(all).length >= 4 && recordsOf(archive).length >= 1, 15_000);
    await sleep(300);
    // The sweep may run at any point after the first put: only the expired item's own order is fixed.
    assert.deepEqual([...idsOf(all)].sort(), ['INSERT:by-hand', 'INSERT:expired', 'REMOVE:by-hand', 'REMOVE:expired']);
    assert.ok(idsOf(all).indexOf('INSERT:expired') < idsOf(all).indexOf('REMOVE:expired'));
    const byTtl = recordsOf(all)[idsOf(all).indexOf('REMOVE:expired')]!;
    assert.deepEqual(byTtl.userIdentity, { type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    assert.deepEqual(Object.keys(byTtl), ['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'userIdentity', 'eventSourceARN']);
    assert.deepEqual(byTtl.dynamodb.OldImage, { id: { S: 'expired' }, expiresAt: { N: past } });
    for (const r of recordsOf(all)) if (r !== byTtl) assert.equal(r.userIdentity, undefined);
    assert.deepEqual(idsOf(archive), ['REMOVE:expired']);
  });

  test('ParallelizationFactor: batches of the one shard run concurrently, each item\'s changes in order', async () => {
    const arn = await createStreamTable(ddb, 'esm-parallel');
    const fn = await createFunction('ddb-parallel', { DELAY_MS: '100' });
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON', ParallelizationFactor: 5, BatchSize: 10 }));
    const ITEMS = 50;
    const ROUNDS = 4;
    for (let n = 0; n < ROUNDS; n++) {
      for (let i = 0; i < ITEMS; i += 25) {
        const puts = Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { id: { S: `item-${i + j}` }, n: { N: String(n) } } } }));
        await ddb.send(new BatchWriteItemCommand({ RequestItems: { 'esm-parallel': puts } }));
      }
    }
    await recorder.waitFor(() => recordsOf(fn).length >= ITEMS * ROUNDS, 45_000);
    await sleep(300);
    assert.equal(recordsOf(fn).length, ITEMS * ROUNDS);
    const seen = new Map<string, string[]>();
    for (const r of recordsOf(fn)) seen.set(r.dynamodb.Keys.id!.S!, [...(seen.get(r.dynamodb.Keys.id!.S!) ?? []), `${r.eventName}:${r.dynamodb.NewImage!.n!.N}`]);
    assert.equal(seen.size, ITEMS);
    for (const [id, changes] of seen) assert.deepEqual(changes, ['INSERT:0', 'MODIFY:1', 'MODIFY:2', 'MODIFY:3'], id);
    // Lanes overlap: some batch starts while another (taking ≥ 100 ms) is still running.
    const starts = invocationsOf(fn).map((i) => i.at).sort((a, b) => a - b);
    assert.ok(starts.some((t, i) => i > 0 && t - starts[i - 1]! < 50), 'no two batches overlapped');
  });

  test('a disabled mapping invokes nothing; enabled again, it resumes where it stopped', async () => {
    const arn = await createStreamTable(ddb, 'esm-toggle');
    const fn = await createFunction('ddb-toggle');
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: arn, StartingPosition: 'LATEST' }));
    await waitForMappingState(lambda, UUID!, 'Enabled');
    await put('esm-toggle', 'first');
    await recorder.waitFor(() => recordsOf(fn).length >= 1);
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: false }));
    await waitForMappingState(lambda, UUID!, 'Disabled');
    // The pollers stop at their next reconcile pass (every 250 ms), which may come after State reads Disabled.
    await sleep(300);
    await put('esm-toggle', 'while-disabled');
    await sleep(1000);
    assert.deepEqual(idsOf(fn), ['INSERT:first']);
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: true }));
    await waitForMappingState(lambda, UUID!, 'Enabled');
    await put('esm-toggle', 'after');
    await recorder.waitFor(() => recordsOf(fn).length >= 3);
    await sleep(300);
    assert.deepEqual(idsOf(fn), ['INSERT:first', 'INSERT:while-disabled', 'INSERT:after']);
  });

  test('after a restart the mapping resumes from its checkpoint', async () => {
    const arn = await createStreamTable(ddb, 'esm-durable');
    const fn = await createFunction('ddb-durable');
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: fn, EventSourceArn: arn, StartingPosition: 'LATEST', BatchSize: 3 }));
    for (let i = 0; i < 5; i++) await put('esm-durable', `a${i}`);
    await recorder.waitFor(() => recordsOf(fn).length >= 5);
    await server.restart(async () => {
      await sleep(50);
    });
    ddb.destroy();
    ddb = dynamodbClient(server.url);
    lambda = server.lambda();
    sqs.destroy();
    sqs = sqsClient(server.url);
    for (let i = 0; i < 5; i++) await put('esm-durable', `b${i}`);
    await recorder.waitFor(() => recordsOf(fn).length >= 10);
    await sleep(300);
    assert.deepEqual(idsOf(fn).sort(), [...[0, 1, 2, 3, 4].map((i) => `INSERT:a${i}`), ...[0, 1, 2, 3, 4].map((i) => `INSERT:b${i}`)].sort());
  });
});
