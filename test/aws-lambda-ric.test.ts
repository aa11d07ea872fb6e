import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import AdmZip from 'adm-zip';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';

/**
 * Built once by scripts/build-aws-lambda-ric.sh (run by .ci/run); the test skips without it, except
 * where LAMBKIN_REQUIRE_RIC=1 (.ci/run sets it): there a missing client is a failure.
 */
const RIC_DIR = process.env.LAMBKIN_RIC_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'lambkin', 'aws-lambda-ric-3.3.0');
const RIC_FILES = ['package.json', 'bin/index.mjs', 'dist/index.mjs', 'dist/rapid-client.node'];

const HANDLER = `export const handler = async (event, context) => {
  if (event.fail) throw new TypeError('ric says no');
  console.log('via ric', context.awsRequestId);
  return { ok: true, event, requestId: context.awsRequestId, fn: context.functionName };
};`;

/**
 * A provided runtime sees only the system (/usr) besides its package: the interpreter must live
 * there. The suite may run on another Node (CI runs it on each supported line); the system's Node
 * is then the one scripts/build-aws-lambda-ric.sh built the client's addon for.
 */
const SYSTEM_NODE = process.execPath.startsWith('/usr/') ? process.execPath : ['/usr/local/bin/node', '/usr/bin/node'].find((node) => existsSync(node));

function whyNot(): string | null {
  if (!RIC_FILES.every((f) => existsSync(path.join(RIC_DIR, f)))) return `aws-lambda-ric is not built in ${RIC_DIR} (run scripts/build-aws-lambda-ric.sh)`;
  if (!SYSTEM_NODE) return `node (${process.execPath}) is not under /usr and the system has no node, so a provided runtime cannot run one`;
  return null;
}

/** A self-contained custom-runtime package: bootstrap + the unmodified RIC + the handler. */
function packageZip(): Uint8Array {
  const zip = new AdmZip();
  const add = (name: string, data: Buffer, mode: number) => {
    zip.addFile(name, data);
    zip.getEntry(name)!.header.attr = (mode | 0o100000) * 0x10000;
  };
  add('bootstrap', Buffer.from(`#!/bin/sh\nexec ${SYSTEM_NODE} "$LAMBDA_TASK_ROOT/node_modules/aws-lambda-ric/bin/index.mjs" "$_HANDLER"\n`), 0o755);
  add('index.mjs', Buffer.from(HANDLER), 0o644);
  for (const f of RIC_FILES) add(`node_modules/aws-lambda-ric/${f}`, readFileSync(path.join(RIC_DIR, f)), f.endsWith('.node') ? 0o755 : 0o644);
  return new Uint8Array(zip.toBuffer());
}

const REQUIRED = process.env.LAMBKIN_REQUIRE_RIC === '1';

describe('the official aws-lambda-ric on a provided.al2023 function', () => {
  const missing = whyNot();
  const skip = REQUIRED ? null : missing;
  let server: TestServer;
  let lambda: LambdaClient;

  before(async () => {
    if (missing) return;
    server = await startTestServer();
    lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'ric-fn', Runtime: 'provided.al2023', Handler: 'index.handler', Role: ROLE, Timeout: 10, MemorySize: 512,
      Code: { ZipFile: packageZip() },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'ric-fn' });
  });
  after(() => server?.stop());

  test('a successful invoke and a handler error, both through the unmodified client', async (t) => {
    if (skip) return t.skip(skip);
    assert.equal(missing, null, 'LAMBKIN_REQUIRE_RIC=1: the official client must be built and runnable here');
    const ok = await lambda.send(new InvokeCommand({ FunctionName: 'ric-fn', Payload: Buffer.from('{"n":1}'), LogType: 'Tail' }));
    const body = JSON.parse(Buffer.from(ok.Payload!).toString()) as Record<string, unknown>;
    assert.equal(ok.FunctionError, undefined, JSON.stringify(body));
    assert.deepEqual({ ...body, requestId: undefined }, { ok: true, event: { n: 1 }, requestId: undefined, fn: 'ric-fn' });
    assert.match(Buffer.from(ok.LogResult ?? '', 'base64').toString(), /via ric/);

    const bad = await lambda.send(new InvokeCommand({ FunctionName: 'ric-fn', Payload: Buffer.from('{"fail":true}') }));
    assert.equal(bad.FunctionError, 'Unhandled');
    const error = JSON.parse(Buffer.from(bad.Payload!).toString()) as { errorType: string; errorMessage: string; trace: string[] };
    assert.equal(error.errorType, 'TypeError');
    assert.equal(error.errorMessage, 'ric says no');
    assert.ok(Array.isArray(error.trace) && error.trace.length > 0);
  });
});
