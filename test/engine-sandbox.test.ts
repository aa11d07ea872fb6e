import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Engine, type InvokeTarget } from '../src/engine/invoke.js';
import { createLogger } from '../src/logger.js';
import { BlobStore } from '../src/store/blobs.js';
import { makeZip } from './support/zip.js';
import { SHARED_NODE_RUNTIMES_DIR } from './support/server.js';

const HANDLER = `const fs = require('node:fs'); const os = require('node:os');
exports.handler = async () => {
  let codeWritable = true;
  try { fs.writeFileSync(__dirname + '/x', '1'); } catch { codeWritable = false; }
  fs.writeFileSync(os.tmpdir() + '/scratch', 'ok');
  return { uid: process.getuid(), tmp: os.tmpdir(), codeWritable, scratch: fs.readFileSync(os.tmpdir() + '/scratch', 'utf8') };
};`;

/**
 * Whether a user other than the owner can reach `file` (every folder above it searchable by others).
 * Without a sandbox that binds it in, an unprivileged uid can only run Lambkin's bootstrap from a
 * checkout it can reach; otherwise the engine runs the function as root and logs a loud warning.
 */
function reachableByOthers(file: string): boolean {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dir === path.dirname(dir)) return true;
  }
}

const BOOTSTRAP = fileURLToPath(new URL('../src/engine/runtimes/nodejs/bootstrap.js', import.meta.url));

describe('engine without HTTP: sandbox user, private /tmp, idle reaping', () => {
  let dataDir: string;
  let engine: Engine;
  let target: InvokeTarget;
  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-engine-'));
    chmodSync(dataDir, 0o755); // so an unprivileged uid can reach the extracted code
    const blobs = new BlobStore(path.join(dataDir, 'blobs'));
    const codeHex = await blobs.put(makeZip({ 'index.js': HANDLER }));
    engine = new Engine({ dataDir, blobPath: (hex) => blobs.localPath(hex), logger: createLogger('silent'), keepAliveMs: 150, endpointUrl: () => 'http://127.0.0.1:1', nodeRuntimesDir: SHARED_NODE_RUNTIMES_DIR });
    target = {
      accountId: '000000000000', region: 'us-east-1', functionName: 'sbx', version: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:sbx', revisionId: 'r1', runtime: 'nodejs22.x',
      handler: 'index.handler', memoryMb: 128, timeoutSeconds: 3, variables: {}, logGroupName: '/aws/lambda/sbx', codeHex,
    };
  });
  after(() => {
    engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('functions run unprivileged (when we are root) with a private, writable TMPDIR and read-only code', async () => {
    const result = await engine.invoke(target, Buffer.from('{}'));
    assert.equal(result.functionError, false, result.payload.toString());
    const body = JSON.parse(result.payload.toString()) as { uid: number; tmp: string; codeWritable: boolean; scratch: string };
    if (process.getuid?.() === 0 && reachableByOthers(BOOTSTRAP)) {
      assert.notEqual(body.uid, 0);
      assert.equal(body.codeWritable, false);
    }
    assert.match(body.tmp, /lambkin-tmp-/);
    assert.equal(body.scratch, 'ok');
  });

  test('idle environments are reclaimed after the keep-alive', async () => {
    await engine.invoke(target, Buffer.from('{}'));
    assert.equal(engine.environmentCount, 1);
    const deadline = Date.now() + 2000;
    while (engine.environmentCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    assert.equal(engine.environmentCount, 0);
  });

  test('an ES module handler imports the managed AWS SDK without packaging it, as under bubblewrap', async () => {
    const blobs = new BlobStore(path.join(dataDir, 'blobs'));
    const codeHex = await blobs.put(makeZip({ 'index.mjs': `import { S3Client } from '@aws-sdk/client-s3';\nexport const handler = async () => typeof S3Client;` }));
    const result = await engine.invoke({ ...target, functionName: 'esm-sdk', revisionId: 'esm', codeHex }, Buffer.from('{}'));
    assert.equal(result.functionError, false, result.payload.toString());
    assert.equal(result.payload.toString(), '"function"');
  });
});
