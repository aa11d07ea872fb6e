import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AddPermissionCommand, CreateFunctionCommand, DeleteFunctionCommand, InvokeAsyncCommand, InvokeCommand, PutFunctionEventInvokeConfigCommand, waitUntilFunctionActiveV2, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { AsyncInvokeRefused } from '../src/contracts/async-invoker.js';
import { rejectsWith } from './support/aws-errors.js';
import { RecordingServer, recorderSource } from './support/recording-server.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';

describe('asynchronous invoke', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let recording: RecordingServer;

  async function createRecorder(name: string, extra: Record<string, unknown> = {}): Promise<void> {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 10,
      Code: { ZipFile: makeZip({ 'index.js': recorderSource(name) }) },
      Environment: { Variables: { RECORDER_URL: recording.url } },
      ...extra,
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: name });
    // A warm environment first: a cold start that fails on a loaded machine would be retried a minute later.
    await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"warmup":true}') }));
  }

  before(async () => {
    recording = await RecordingServer.start();
    server = await startTestServer();
    lambda = server.lambda();
    await createRecorder('async-target');
    await createRecorder('async-dest');
  });
  after(async () => {
    await server.stop();
    await recording.close();
  });

  test('Event answers 202 with an empty body; the function runs with the returned request id', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'async-target', InvocationType: 'Event', Payload: Buffer.from('{"n":1}') }));
    assert.equal(out.StatusCode, 202);
    assert.equal(out.Payload?.length ?? 0, 0);
    assert.equal(out.ExecutedVersion, undefined);
    const requestId = out.$metadata.requestId!;
    await recording.until(() => recording.of('async-target').some((r) => r.requestId === requestId));
    assert.deepEqual(recording.of('async-target').find((r) => r.requestId === requestId)!.event, { n: 1 });
  });

  test('a 1 MB event is accepted; one byte more is 413 RequestEntityTooLargeException naming InvokeFunction', async () => {
    const exact = Buffer.from(JSON.stringify('x'.repeat(1_048_576 - 2)));
    const ok = await lambda.send(new InvokeCommand({ FunctionName: 'async-target', InvocationType: 'Event', Payload: exact }));
    assert.equal(ok.StatusCode, 202);
    const over = Buffer.from(JSON.stringify('x'.repeat(1_048_576 - 1)));
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'async-target', InvocationType: 'Event', Payload: over })),
      'RequestEntityTooLargeException', 413, 'Request must be smaller than 1048576 bytes for the InvokeFunction operation');
  });

  test('Event on a missing function is 404 and bad JSON is 400, as the sync path', async () => {
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'nope', InvocationType: 'Event' })),
      'ResourceNotFoundException', 404, `Function not found: ${ARN}:nope`);
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'async-target', InvocationType: 'Event', Payload: Buffer.from('{') })),
      'InvalidRequestContentException', 400, /Could not parse request body into json/);
  });

  test('InvokeAsync (deprecated) answers 202 {"Status":202}, runs the function, and stops at 256 KB', async () => {
    const out = await lambda.send(new InvokeAsyncCommand({ FunctionName: 'async-target', InvokeArgs: Buffer.from('{"legacy":true}') }));
    assert.equal(out.Status, 202);
    const requestId = out.$metadata.requestId!;
    await recording.until(() => recording.of('async-target').some((r) => r.requestId === requestId));
    await rejectsWith(
      lambda.send(new InvokeAsyncCommand({ FunctionName: 'async-target', InvokeArgs: Buffer.from(JSON.stringify('x'.repeat(262_144))) })),
      'RequestEntityTooLargeException', 413, 'Request must be smaller than 262144 bytes for the InvokeAsync operation');
  });

  test('a DLQ or destination on a service without a delivery sink is refused with InvalidParameterValueException', async () => {
    // SQS, SNS, Lambda and EventBridge all have sinks; S3 (an OnFailure target on AWS) takes only stream mappings' records here.
    const queue = 'arn:aws:s3:::failures';
    await rejectsWith(lambda.send(new CreateFunctionCommand({
      FunctionName: 'with-dlq', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: makeZip({ 'index.js': recorderSource('x') }) }, DeadLetterConfig: { TargetArn: queue },
    })), 'InvalidParameterValueException', 400, `The provided target ARN ${queue} is invalid.`);
    await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-target', DestinationConfig: { OnFailure: { Destination: queue } } })),
      'InvalidParameterValueException', 400, `The destination ARN ${queue} is invalid.`);
    await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-target', DestinationConfig: { OnSuccess: { Destination: `${ARN}:async-target` } } })),
      'InvalidParameterValueException', 400, "You can't specify the function as a destination for itself.");
  });

  test('OnSuccess to another function delivers the version 1.0 record with the response payload', async () => {
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-target', DestinationConfig: { OnSuccess: { Destination: `${ARN}:async-dest` } } }));
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'async-target', InvocationType: 'Event', Payload: Buffer.from('{"order":42}') }));
    const requestId = out.$metadata.requestId!;
    const recordOf = () => recording.of('async-dest').find((r) => (r.event as { requestContext?: { requestId?: string } }).requestContext?.requestId === requestId);
    await recording.until(() => recordOf() !== undefined);
    const record = recordOf()!.event as Record<string, unknown>;
    assert.match(record.timestamp as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual({ ...record, timestamp: 'date' }, {
      version: '1.0',
      timestamp: 'date',
      requestContext: { requestId, functionArn: `${ARN}:async-target:$LATEST`, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { order: 42 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { ok: true, got: { order: 42 } },
    });
    // The destination is invoked with a request id of its own.
    assert.notEqual(recordOf()!.requestId, requestId);
  });

  test('AsyncInvoker.enqueue for an AWS service checks the resource policy for that principal', async () => {
    const invoker = server.lambkin.asyncInvoker;
    const request = {
      accountId: '000000000000', region: 'us-east-1', functionName: 'async-target', payload: Buffer.from('{"from":"sns"}'),
      caller: { principalService: 'sns.amazonaws.com', sourceArn: 'arn:aws:sns:us-east-1:000000000000:topic' },
    };
    await assert.rejects(invoker.enqueue(request), (err: unknown) => err instanceof AsyncInvokeRefused && err.reason === 'AccessDenied');
    await assert.rejects(invoker.enqueue({ ...request, functionName: 'missing' }), (err: unknown) => err instanceof AsyncInvokeRefused && err.reason === 'FunctionNotFound');
    await lambda.send(new AddPermissionCommand({
      FunctionName: 'async-target', StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com',
      SourceArn: 'arn:aws:sns:us-east-1:000000000000:topic',
    }));
    const { requestId } = await invoker.enqueue(request);
    await recording.until(() => recording.of('async-target').some((r) => r.requestId === requestId));
    await assert.rejects(invoker.enqueue({ ...request, caller: { principalService: 'sns.amazonaws.com', sourceArn: 'arn:aws:sns:us-east-1:000000000000:other' } }),
      (err: unknown) => err instanceof AsyncInvokeRefused && err.reason === 'AccessDenied');
  });

  test('a destination that cannot be delivered to is counted as DestinationDeliveryFailures, not dropped silently', async () => {
    await createRecorder('async-gone');
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-target', DestinationConfig: { OnSuccess: { Destination: `${ARN}:async-gone` } } }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'async-gone' }));
    const failures = () => server.lambkin.store.selectFrom('async_delivery_failures').selectAll()
      .where('function_name', '=', 'async-target').where('metric', '=', 'DestinationDeliveryFailures').executeTakeFirst();
    const before = (await failures())?.count ?? 0;
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'async-target', InvocationType: 'Event', Payload: Buffer.from('{}') }));
    await recording.until(() => recording.of('async-target').some((r) => r.requestId === out.$metadata.requestId));
    for (let i = 0; i < 100 && ((await failures())?.count ?? 0) === before; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const row = await failures();
    assert.equal(row?.count, before + 1);
    assert.match(row!.last_error!, /async-gone/);
    // And in CloudWatch, under the same name.
    const points = await server.lambkin.metrics.datapoints({
      accountId: '000000000000', region: 'us-east-1', namespace: 'AWS/Lambda', metricName: 'DestinationDeliveryFailures',
      dimensions: '[["FunctionName","async-target"]]', startMs: Date.now() - 3_600_000, endMs: Date.now() + 3_600_000,
    });
    assert.equal(points.reduce((n, p) => n + p.sum, 0), before + 1);
  });
});
