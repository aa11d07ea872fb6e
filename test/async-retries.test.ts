import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateFunctionCommand, InvokeCommand, PutFunctionConcurrencyCommand, PutFunctionEventInvokeConfigCommand, waitUntilFunctionActiveV2, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { ShiftableClock } from '../src/clock.js';
import { RecordingServer, recorderSource, type Recorded } from './support/recording-server.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';
/** Real time allowed for something that must NOT happen yet (the worker reacts in milliseconds). */
const QUIET_MS = 400;

describe('asynchronous invoke: retries, age, throttles and failure destinations', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let recording: RecordingServer;
  const clock = new ShiftableClock();

  async function createRecorder(name: string): Promise<void> {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 10,
      Code: { ZipFile: makeZip({ 'index.js': recorderSource(name) }) },
      Environment: { Variables: { RECORDER_URL: recording.url } },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: name });
    // A warm environment first: a cold start that fails on a loaded machine would be retried a minute later.
    await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"warmup":true}') }));
  }

  async function invokeEvent(name: string, event: unknown): Promise<string> {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
    assert.equal(out.StatusCode, 202);
    return out.$metadata.requestId!;
  }

  const attemptsOf = (fn: string, requestId: string): Recorded[] => recording.of(fn).filter((r) => r.requestId === requestId);
  const recordFor = (requestId: string) =>
    recording.of('failures').map((r) => r.event as Record<string, any>).find((e) => e.requestContext?.requestId === requestId);
  const quiet = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  /** The function reports before its attempt returns: wait until the event is back in the queue after `attempts` runs. */
  async function requeued(requestId: string, attempts: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const row = await server.lambkin.store.selectFrom('async_events').select(['lease_owner', 'invoke_count']).where('request_id', '=', requestId).executeTakeFirst();
      if (row && row.lease_owner === null && row.invoke_count === attempts) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`event ${requestId} not requeued after ${attempts} attempts`);
  }

  before(async () => {
    recording = await RecordingServer.start();
    server = await startTestServer({}, { asyncClock: clock });
    lambda = server.lambda();
    for (const name of ['flaky', 'aged', 'zero', 'busy', 'failures']) await createRecorder(name);
    for (const name of ['flaky', 'aged', 'zero', 'busy']) {
      await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, DestinationConfig: { OnFailure: { Destination: `${ARN}:failures` } } }));
    }
  });
  after(async () => {
    await server.stop();
    await recording.close();
  });

  test('a function error is retried after ~1 min, then ~2 min, same request id; then OnFailure gets RetriesExhausted', async () => {
    const requestId = await invokeEvent('flaky', { fail: true, order: 7 });
    await recording.until(() => attemptsOf('flaky', requestId).length === 1);
    await requeued(requestId, 1);

    clock.advance(59_000);
    await quiet();
    assert.equal(attemptsOf('flaky', requestId).length, 1, 'no retry before a minute');
    clock.advance(1_500);
    await recording.until(() => attemptsOf('flaky', requestId).length === 2);
    await requeued(requestId, 2);

    clock.advance(119_000);
    await quiet();
    assert.equal(attemptsOf('flaky', requestId).length, 2, 'second retry waits two minutes');
    clock.advance(1_500);
    await recording.until(() => attemptsOf('flaky', requestId).length === 3);
    await recording.until(() => recordFor(requestId) !== undefined);

    const record = recordFor(requestId)!;
    assert.ok(Array.isArray(record.responsePayload.trace));
    assert.deepEqual({ ...record, timestamp: 'date', responsePayload: { ...record.responsePayload, trace: [] } }, {
      version: '1.0',
      timestamp: 'date',
      requestContext: { requestId, functionArn: `${ARN}:flaky:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { fail: true, order: 7 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'intentional failure', trace: [] },
    });
    clock.advance(300_000);
    await quiet();
    assert.equal(attemptsOf('flaky', requestId).length, 3, 'nothing after retries are exhausted');
  });

  test('MaximumRetryAttempts 0 sends the first failure straight to OnFailure', async () => {
    await lambda.send(new PutFunctionEventInvokeConfigCommand({
      FunctionName: 'flaky', MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: `${ARN}:failures` } },
    }));
    const requestId = await invokeEvent('flaky', { fail: true });
    await recording.until(() => recordFor(requestId) !== undefined);
    assert.equal(recordFor(requestId)!.requestContext.condition, 'RetriesExhausted');
    assert.equal(recordFor(requestId)!.requestContext.approximateInvokeCount, 1);
    assert.equal(attemptsOf('flaky', requestId).length, 1);
  });

  test('an event older than MaximumEventAgeInSeconds at its retry goes to OnFailure as EventAgeExceeded', async () => {
    await lambda.send(new PutFunctionEventInvokeConfigCommand({
      FunctionName: 'aged', MaximumEventAgeInSeconds: 60, DestinationConfig: { OnFailure: { Destination: `${ARN}:failures` } },
    }));
    const requestId = await invokeEvent('aged', { fail: true });
    await recording.until(() => attemptsOf('aged', requestId).length === 1);
    await requeued(requestId, 1);
    clock.advance(61_000);
    await recording.until(() => recordFor(requestId) !== undefined);
    const record = recordFor(requestId)!;
    assert.equal(record.requestContext.condition, 'EventAgeExceeded');
    assert.equal(record.requestContext.approximateInvokeCount, 1);
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    assert.equal(attemptsOf('aged', requestId).length, 1, 'the expired retry never ran');
  });

  test('reserved concurrency 0 sends new events to OnFailure as ZeroReservedConcurrency without running them', async () => {
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'zero', ReservedConcurrentExecutions: 0 }));
    const requestId = await invokeEvent('zero', { hello: 1 });
    await recording.until(() => recordFor(requestId) !== undefined);
    const record = recordFor(requestId)!;
    assert.deepEqual({ ...record, timestamp: 'date' }, {
      version: '1.0',
      timestamp: 'date',
      requestContext: { requestId, functionArn: `${ARN}:zero:$LATEST`, condition: 'ZeroReservedConcurrency', approximateInvokeCount: 0 },
      requestPayload: { hello: 1 },
    });
    assert.equal(attemptsOf('zero', requestId).length, 0);
  });

  test('throttled events back off and retry without consuming retry attempts', async () => {
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'busy', ReservedConcurrentExecutions: 1 }));
    await lambda.send(new PutFunctionEventInvokeConfigCommand({
      FunctionName: 'busy', MaximumRetryAttempts: 0, DestinationConfig: { OnSuccess: { Destination: `${ARN}:failures` }, OnFailure: { Destination: `${ARN}:failures` } },
    }));
    // One slot: while the first event sleeps, the others are throttled (more than once each).
    const ids = [await invokeEvent('busy', { sleepMs: 1500 }), await invokeEvent('busy', { n: 2 }), await invokeEvent('busy', { n: 3 })];
    // The queue's own count of consecutive throttles, watched until every event has succeeded.
    const throttles = new Map<string, number>();
    const deadline = Date.now() + 30_000;
    while (!ids.every((id) => recordFor(id) !== undefined)) {
      assert.ok(Date.now() < deadline, 'the events did not all succeed within 30 s');
      const rows = await server.lambkin.store.selectFrom('async_events').select(['request_id', 'throttle_count']).where('request_id', 'in', ids).execute();
      for (const row of rows) throttles.set(row.request_id, Math.max(throttles.get(row.request_id) ?? 0, row.throttle_count));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [first, ...others] = ids as [string, string, string];
    for (const id of others) assert.ok((throttles.get(id) ?? 0) >= 1, `event ${id} was never throttled: ${JSON.stringify([...throttles])}`);
    // With one slot, the others could only start once the first had slept its 1500 ms.
    const firstStart = attemptsOf('busy', first)[0]!.receivedAt;
    for (const id of others) assert.ok(attemptsOf('busy', id)[0]!.receivedAt >= firstStart + 1500, 'a throttled event ran beside the first');
    for (const id of ids) {
      assert.equal(recordFor(id)!.requestContext.condition, 'Success', 'throttles did not use up the zero retries');
      assert.equal(recordFor(id)!.requestContext.approximateInvokeCount, 1);
      assert.equal(attemptsOf('busy', id).length, 1);
    }
  });
});
