import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import AdmZip from 'adm-zip';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type InvokeCommandOutput, type LambdaClient, type Runtime } from '@aws-sdk/client-lambda';
import { Engine, type InvokeTarget } from '../src/engine/invoke.js';
import { LayerSets } from '../src/engine/sandbox/layers.js';
import { PlainSandbox } from '../src/engine/sandbox/plain.js';
import { createLogger } from '../src/logger.js';
import { BlobStore } from '../src/store/blobs.js';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';

/** A package; `executable` names get mode 0755. */
function zipOf(files: Record<string, string>, executable: string[] = []): Uint8Array {
  const zip = new AdmZip();
  for (const [name, contents] of Object.entries(files)) zip.addFile(name, Buffer.from(contents), '', executable.includes(name) ? 0o755 : 0o644);
  return new Uint8Array(zip.toBuffer());
}

const json = (out: InvokeCommandOutput) => JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as Record<string, any>;

const CURL_BOOTSTRAP = `#!/bin/sh
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  H="\${TMPDIR:-/tmp}/h"
  curl -sS -D "$H" -o /dev/null "$API/invocation/next"
  ID=$(grep -i '^lambda-runtime-aws-request-id:' "$H" | cut -d' ' -f2 | tr -d '\\r\\n')
  curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" -d '"from the layer"'
done
`;

describe('platform errors and environment as AWS gives them', () => {
  let server: TestServer;
  let lambda: LambdaClient;

  async function create(name: string, runtime: Runtime, files: Record<string, string>, executable: string[] = []) {
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime, Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zipOf(files, executable) } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
  }
  const invoke = (name: string) => lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
  });
  after(async () => {
    lambda.destroy();
    await server.stop();
  });

  test('the environment has the session token and X-Ray variables, and SDK calls back with them are accepted', async () => {
    await create('env-vars', 'nodejs22.x', {
      'index.js': `const { LambdaClient, GetFunctionCommand } = require('@aws-sdk/client-lambda');
exports.handler = async () => {
  const fn = await new LambdaClient({}).send(new GetFunctionCommand({ FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME }));
  const pick = ['AWS_SESSION_TOKEN', 'AWS_XRAY_CONTEXT_MISSING', 'AWS_XRAY_DAEMON_ADDRESS', '_AWS_XRAY_DAEMON_ADDRESS', '_AWS_XRAY_DAEMON_PORT'];
  return { env: Object.fromEntries(pick.map((k) => [k, process.env[k]])), self: fn.Configuration.FunctionName };
};`,
    });
    const out = await invoke('env-vars');
    assert.equal(out.FunctionError, undefined, JSON.stringify(json(out)));
    const body = json(out);
    assert.equal(body.self, 'env-vars');
    assert.equal(typeof body.env.AWS_SESSION_TOKEN, 'string');
    assert.ok(body.env.AWS_SESSION_TOKEN.length > 0);
    assert.deepEqual(
      { ...body.env, AWS_SESSION_TOKEN: undefined },
      { AWS_SESSION_TOKEN: undefined, AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR', AWS_XRAY_DAEMON_ADDRESS: '169.254.100.1:2000', _AWS_XRAY_DAEMON_ADDRESS: '169.254.100.1', _AWS_XRAY_DAEMON_PORT: '2000' },
    );
  });

  test('a runtime killed by a signal is named as AWS names it; exit status 129 stays an exit status', async () => {
    await create('segv', 'nodejs22.x', { 'index.js': "exports.handler = async () => { process.kill(process.pid, 'SIGSEGV'); await new Promise((r) => setTimeout(r, 5000)); };\n" });
    const segv = await invoke('segv');
    assert.equal(segv.FunctionError, 'Unhandled');
    assert.equal(json(segv).errorType, 'Runtime.ExitError');
    assert.match(json(segv).errorMessage, /^RequestId: \S+ Error: Runtime exited with error: signal: segmentation fault$/);

    await create('exit-129', 'nodejs22.x', { 'index.js': 'exports.handler = async () => { process.exit(129); };\n' });
    const exited = await invoke('exit-129');
    assert.match(json(exited).errorMessage, /^RequestId: \S+ Error: Runtime exited with error: exit status 129$/);
  });

  test('a custom runtime without a bootstrap names both places AWS looks', async () => {
    await create('no-bootstrap', 'provided.al2023', { 'main.sh': 'echo hi\n' });
    const out = await invoke('no-bootstrap');
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(json(out).errorType, 'Runtime.InvalidEntrypoint');
    assert.match(json(out).errorMessage, /^RequestId: \S+ Error: Couldn't find valid bootstrap\(s\): \[\/var\/task\/bootstrap \/opt\/bootstrap\]$/);
  });

  test('a response over the cap gets the message AWS gives, without the size', async () => {
    await create('too-large', 'nodejs22.x', { 'index.js': "exports.handler = async () => 'x'.repeat(6_300_000);\n" });
    const out = await invoke('too-large');
    assert.deepEqual(json(out), { errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' });
  });
});

describe('plain sandbox (no bubblewrap): a custom runtime from a layer', () => {
  let dataDir: string;
  let engine: Engine;
  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-plain-layer-'));
    chmodSync(dataDir, 0o755);
  });
  after(() => {
    engine?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('runs /opt/bootstrap when the code has none', async () => {
    const blobs = new BlobStore(path.join(dataDir, 'blobs'));
    const codeHex = await blobs.put(zipOf({ 'readme.txt': 'code without a bootstrap\n' }));
    const layerHex = await blobs.put(zipOf({ bootstrap: CURL_BOOTSTRAP }, ['bootstrap']));
    const layerArn = 'arn:aws:lambda:us-east-1:000000000000:layer:runtime:1';
    const layers = new LayerSets(path.join(dataDir, 'layers'), (hex) => blobs.localPath(hex), async (arn) => (arn === layerArn ? layerHex : undefined));
    engine = new Engine({
      dataDir, blobPath: (hex) => blobs.localPath(hex), logger: createLogger('silent'), keepAliveMs: 60_000, endpointUrl: () => 'http://127.0.0.1:1',
      sandbox: new PlainSandbox(null, layers),
    });
    const target: InvokeTarget = {
      accountId: '000000000000', region: 'us-east-1', functionName: 'layer-runtime', version: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:layer-runtime', revisionId: 'r1', runtime: 'provided.al2023',
      handler: 'x', memoryMb: 128, timeoutSeconds: 5, variables: {}, logGroupName: '/aws/lambda/layer-runtime', codeHex, layers: [layerArn],
    };
    const result = await engine.invoke(target, Buffer.from('{}'));
    assert.equal(result.functionError, false, result.payload.toString());
    assert.equal(result.payload.toString(), '"from the layer"');
  });
});
