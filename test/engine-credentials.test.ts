import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FunctionCredentials, FunctionIdentity } from '../src/contracts/execution-roles.js';
import { Engine, type InvokeTarget } from '../src/engine/invoke.js';
import type { TelemetrySink } from '../src/engine/telemetry-sink.js';
import { createLogger } from '../src/logger.js';
import { BlobStore } from '../src/store/blobs.js';
import { makeZip } from './support/zip.js';
import { SHARED_NODE_RUNTIMES_DIR } from './support/server.js';

const HANDLER = "exports.handler = async () => ({ key: process.env.AWS_ACCESS_KEY_ID, token: process.env.AWS_SESSION_TOKEN });\n";

describe("environments' credentials", () => {
  let dataDir: string;
  let engine: Engine;
  let target: InvokeTarget;
  const issued: FunctionIdentity[] = [];
  /** Each environment's keys live 1.6 s, so it takes invocations for 0.8 s. */
  const issue = async (fn: FunctionIdentity): Promise<FunctionCredentials> => {
    issued.push(fn);
    return { accessKeyId: `ASIATEST${issued.length}`, secretAccessKey: 's', sessionToken: `token-${issued.length}`, expiresAt: Date.now() + 1600, warning: 'WARNING test role unknown' };
  };

  /** What the environments write to their log streams (platform lines included). */
  const streamed: string[] = [];
  const telemetry: TelemetrySink = {
    forEnvironment: () => ({
      initStarted: () => undefined,
      output: (_stream, chunk) => streamed.push(chunk.toString()),
      platform: (_stream, line) => streamed.push(line),
      invocationDone: () => undefined,
    }),
    invocationThrottled: () => undefined,
  };

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-engine-creds-'));
    chmodSync(dataDir, 0o755);
    const blobs = new BlobStore(path.join(dataDir, 'blobs'));
    const codeHex = await blobs.put(makeZip({ 'index.js': HANDLER }));
    engine = new Engine({
      dataDir, blobPath: (hex) => blobs.localPath(hex), logger: createLogger('silent'), keepAliveMs: 60_000, endpointUrl: () => 'http://127.0.0.1:1', functionCredentials: issue, telemetry,
      nodeRuntimesDir: SHARED_NODE_RUNTIMES_DIR,
    });
    target = {
      accountId: '111111111111', region: 'us-east-1', functionName: 'creds', version: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:creds',
      revisionId: 'r1', runtime: 'nodejs22.x', handler: 'index.handler', memoryMb: 128, timeoutSeconds: 5, variables: {}, logGroupName: '/aws/lambda/creds', codeHex,
      role: 'arn:aws:iam::111111111111:role/r',
    };
  });
  after(() => {
    engine?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("each environment gets its function's session; past half its life the environment takes no more invocations", async () => {
    const first = await engine.invoke(target, Buffer.from('{}'));
    assert.deepEqual(JSON.parse(first.payload.toString()), { key: 'ASIATEST1', token: 'token-1' });
    // The credentials' warning goes to the log stream, not into the invocation's LogResult.
    assert.ok(streamed.some((line) => line === 'WARNING test role unknown\n'), streamed.join(''));
    assert.doesNotMatch(first.log, /WARNING test role unknown/);
    assert.deepEqual(issued[0], { accountId: '111111111111', functionName: 'creds', role: 'arn:aws:iam::111111111111:role/r' });
    // Warm and well within the first half: the same environment and keys.
    assert.equal(JSON.parse((await engine.invoke(target, Buffer.from('{}'))).payload.toString()).key, 'ASIATEST1');
    await new Promise((resolve) => setTimeout(resolve, 900));
    const later = await engine.invoke(target, Buffer.from('{}'));
    assert.deepEqual(JSON.parse(later.payload.toString()), { key: 'ASIATEST2', token: 'token-2' });
  });
});
