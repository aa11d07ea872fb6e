import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import { ECHO, zipOf } from '../bench/functions.js';
import { environmentTrees } from '../bench/processes.js';
import { runSoak } from '../bench/soak.js';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';

const SOAK_INVOKES = 10_000;
const CLIENTS = 16;

describe('soak: many concurrent invokes, crashes and garbage', () => {
  let server: TestServer;
  let lambda: LambdaClient;

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    for (const name of ['soak-echo', 'soak-crash']) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zipOf(ECHO) } }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
    }
  });
  after(async () => {
    lambda.destroy();
    await server.stop();
  });

  test(`${SOAK_INVOKES} invokes from ${CLIENTS} clients, non-JSON payloads interleaved: every answer is its own request's`, async () => {
    const figures = await runSoak(lambda, 'soak-echo', { invokes: SOAK_INVOKES, concurrency: CLIENTS, garbageEvery: 100 });
    assert.deepEqual(figures.problems, []);
    assert.equal(figures.succeeded, SOAK_INVOKES);
    assert.equal(figures.mismatched, 0);
    assert.equal(figures.failed, 0);
    assert.equal(figures.garbageRejected, SOAK_INVOKES / 100);
  });

  test('a runtime killed with SIGKILL mid-invoke: that invoke is Runtime.ExitError, the next succeeds', async () => {
    const warm = await lambda.send(new InvokeCommand({ FunctionName: 'soak-crash', Payload: Buffer.from('{"id":"warm"}') }));
    assert.equal(warm.FunctionError, undefined);
    const [tree] = environmentTrees(process.pid, 'soak-crash');
    assert.ok(tree, 'the warm environment has a runtime process under the server');

    const slow = lambda.send(new InvokeCommand({ FunctionName: 'soak-crash', Payload: Buffer.from('{"id":"doomed","sleepMs":5000}') }));
    // A warm environment gets the event within milliseconds; the handler then sleeps for 5 s.
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(tree[0]!, 'SIGKILL');
    const killed = await slow;
    assert.equal(killed.StatusCode, 200);
    assert.equal(killed.FunctionError, 'Unhandled');
    const error = JSON.parse(Buffer.from(killed.Payload ?? []).toString('utf8')) as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, 'Runtime.ExitError');
    assert.match(error.errorMessage, /^RequestId: \S+ Error: Runtime exited with error: (signal: killed|exit status 137)$/);

    const next = await lambda.send(new InvokeCommand({ FunctionName: 'soak-crash', Payload: Buffer.from('{"id":"after"}') }));
    assert.equal(next.FunctionError, undefined);
    assert.equal(JSON.parse(Buffer.from(next.Payload ?? []).toString('utf8')).id, 'after');
  });
});
