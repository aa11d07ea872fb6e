import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import AdmZip from 'adm-zip';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import { hostIsolation } from '../support/host-isolation.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ROLE } from '../support/zip.js';

/**
 * A function's calls to Lambkin arrive from the host's loopback (pasta connects for it), so they
 * passed every check that trusts loopback clients: a function could switch debugger sessions, read
 * /metrics and the bill, and open a web console session as the local account. Attacks run from
 * inside a real function; the same requests from the host's loopback still succeed.
 */
const ATTACKER = `exports.handler = async () => {
  const base = process.env.AWS_ENDPOINT_URL;
  const status = async (path, init) => (await fetch(base + path, init)).status;
  return {
    debugSwitch: await status('/_lambkin/debug/victim', { method: 'PUT', body: '{}' }),
    debugList: await status('/_lambkin/debug'),
    metrics: await status('/metrics'),
    billing: await status('/_lambkin/billing'),
    consoleSession: await status('/_lambkin/console/api/session'),
    health: await status('/_lambkin/health'),
  };
};`;

describe('a function is not a loopback client of Lambkin', () => {
  const skip = hostIsolation().networkSkip;
  let server: TestServer;
  let lambda: LambdaClient;

  before(async () => {
    if (skip) return;
    server = await startTestServer();
    lambda = server.lambda();
    const zip = new AdmZip();
    zip.addFile('index.js', Buffer.from(ATTACKER), '', 0o644);
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'attacker', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Timeout: 30, Code: { ZipFile: new Uint8Array(zip.toBuffer()) } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'attacker' });
  });
  after(async () => {
    await server?.stop();
  });

  test('loopback-only routes refuse a function; the host loopback keeps them', { skip: skip ?? false }, async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'attacker' }));
    const seen = JSON.parse(Buffer.from(out.Payload ?? []).toString()) as Record<string, number>;
    assert.equal(out.FunctionError, undefined, JSON.stringify(seen));
    assert.equal(seen.debugSwitch, 403);
    assert.equal(seen.debugList, 403);
    assert.equal(seen.metrics, 401);
    assert.equal(seen.billing, 401);
    assert.equal(seen.consoleSession, 401);
    assert.equal(seen.health, 200, 'the endpoint itself is reachable');

    assert.equal((await fetch(`${server.url}/metrics`)).status, 200);
    assert.equal((await fetch(`${server.url}/_lambkin/console/api/session`)).status, 200);
    assert.equal((await fetch(`${server.url}/_lambkin/debug`)).status, 200);
  });
});
