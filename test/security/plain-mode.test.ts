import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2, type Runtime } from '@aws-sdk/client-lambda';
import { freePort, startChild } from '../support/child-server.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { makeZip, ROLE } from '../support/zip.js';

const isRoot = process.platform === 'linux' && process.getuid?.() === 0;

/** Attacks a function in plain mode tries on the host: each must fail. */
const PYTHON_ATTACKS = `
import os, signal
def attempt(fn):
    try:
        fn()
        return 'succeeded'
    except Exception as e:
        return type(e).__name__

def handler(event, context):
    data = event['dataDir']
    def write_etc():
        with open('/etc/lambkin-was-here', 'w') as f: f.write('x')
    return {
        'uid': os.getuid(),
        'database': attempt(lambda: open(os.path.join(data, 'lambkin.db'), 'rb').read(16)),
        'secret': attempt(lambda: open(os.path.join(data, 'secret')).read()),
        'listData': attempt(lambda: os.listdir(data)),
        'shadow': attempt(lambda: open('/etc/shadow').read()),
        'writeEtc': attempt(write_etc),
        'serverEnviron': attempt(lambda: open('/proc/%d/environ' % event['serverPid'], 'rb').read()),
        'signalServer': attempt(lambda: os.kill(event['serverPid'], signal.SIGSTOP)),
    }
`;

const NODE_ATTACKS = `
const fs = require('node:fs');
const attempt = (fn) => { try { fn(); return 'succeeded'; } catch (e) { return e.code ?? e.name; } };
exports.handler = async (event) => ({
  uid: process.getuid(),
  database: attempt(() => fs.readFileSync(event.dataDir + '/lambkin.db')),
  secret: attempt(() => fs.readFileSync(event.dataDir + '/secret')),
  listData: attempt(() => fs.readdirSync(event.dataDir)),
  shadow: attempt(() => fs.readFileSync('/etc/shadow')),
  writeEtc: attempt(() => fs.writeFileSync('/etc/lambkin-was-here', 'x')),
  serverEnviron: attempt(() => fs.readFileSync('/proc/' + event.serverPid + '/environ')),
  signalServer: attempt(() => process.kill(event.serverPid, 'SIGSTOP')),
});
`;

/** Writes to its /tmp (TMPDIR in plain mode) until it fails or `mb` are written. */
const TMP_FILLER = `
const fs = require('node:fs');
const os = require('node:os');
exports.handler = async (event) => {
  const chunk = Buffer.alloc(1024 * 1024, 1);
  const fd = fs.openSync(os.tmpdir() + '/fill', 'w');
  let written = 0;
  try {
    for (; written < event.mb; written++) fs.writeSync(fd, chunk);
    return { written, error: null };
  } catch (e) {
    return { written, error: e.code };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(os.tmpdir() + '/fill', { force: true });
  }
};
`;

async function deploy(lambda: LambdaClient, name: string, runtime: string, handler: string, files: Record<string, string>, extra: Record<string, unknown> = {}): Promise<void> {
  await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime as Runtime, Role: ROLE, Handler: handler, Code: { ZipFile: makeZip(files) }, Timeout: 30, ...extra }));
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
}

async function invokeJson(lambda: LambdaClient, name: string, event: unknown): Promise<Record<string, unknown>> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
  const body = JSON.parse(Buffer.from(out.Payload ?? []).toString()) as Record<string, unknown>;
  assert.equal(out.FunctionError, undefined, JSON.stringify(body));
  return body;
}

describe('security: the data directory keeps its secrets from functions', () => {
  test('the database, secret, objects and blobs are private to the server; the directory is not listable', async () => {
    const server = await startTestServer();
    try {
      const mode = (p: string) => statSync(path.join(server.dataDir, p)).mode & 0o777;
      assert.equal(mode('.'), 0o711);
      assert.equal(mode('lambkin.db'), 0o600);
      assert.equal(mode('secret'), 0o600);
      assert.equal(mode('s3'), 0o700);
      assert.equal(mode('blobs'), 0o700);
    } finally {
      await server.stop();
    }
  });
});

describe('security: plain mode (LAMBKIN_ISOLATION=plain) never runs function code as root', { skip: !isRoot && 'needs root (plain mode only drops privileges when the server is root)' }, () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer({ LAMBKIN_ISOLATION: 'plain' });
    lambda = server.lambda();
  });
  after(() => server.stop());

  for (const [runtime, handler, files] of [
    ['python3.12', 'attack.handler', { 'attack.py': PYTHON_ATTACKS }],
    ['nodejs22.x', 'index.handler', { 'index.js': NODE_ATTACKS }],
  ] as const) {
    test(`a ${runtime} function runs unprivileged and reaches none of the host's secrets`, async () => {
      const name = `attack-${runtime.replace(/\W/g, '')}`;
      await deploy(lambda, name, runtime, handler, files);
      const seen = await invokeJson(lambda, name, { dataDir: server.dataDir, serverPid: process.pid });
      assert.notEqual(seen.uid, 0, 'function code runs as an unprivileged user');
      for (const attack of ['database', 'secret', 'listData', 'shadow', 'writeEtc', 'serverEnviron', 'signalServer']) {
        assert.notEqual(seen[attack], 'succeeded', `${attack}: ${JSON.stringify(seen)}`);
      }
    });
  }

  // tmpfs pages are charged to the writer's memory cgroup, as in the sandbox's /tmp: room for both.
  test('/tmp holds EphemeralStorage and no more', async () => {
    await deploy(lambda, 'fill-tmp', 'nodejs22.x', 'index.handler', { 'index.js': TMP_FILLER }, { EphemeralStorage: { Size: 512 }, MemorySize: 2048 });
    const full = await invokeJson(lambda, 'fill-tmp', { mb: 700 });
    assert.equal(full.error, 'ENOSPC', JSON.stringify(full));
    assert.ok(Number(full.written) >= 500 && Number(full.written) <= 512, JSON.stringify(full));
    const fits = await invokeJson(lambda, 'fill-tmp', { mb: 400 });
    assert.deepEqual(fits, { written: 400, error: null });
  });
});

describe('security: plain-mode runtimes die with a killed server', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  test('kill -9 of the server takes its warm runtime processes with it', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-pdeath-'));
    const port = await freePort();
    const child = await startChild(dataDir, port, { LAMBKIN_ISOLATION: 'plain' });
    let restarted: ChildProcess | undefined;
    try {
      const lambda = new LambdaClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      await deploy(lambda, 'whoami', 'nodejs22.x', 'index.handler', { 'index.js': 'exports.handler = async () => ({ pid: process.pid });' });
      const { pid } = await invokeJson(lambda, 'whoami', {});
      assert.ok(Number(pid) > 0);
      process.kill(Number(pid), 0); // alive while the server is
      child.kill('SIGKILL');
      let alive = true;
      for (let i = 0; i < 50 && alive; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        try {
          process.kill(Number(pid), 0);
        } catch {
          alive = false;
        }
      }
      assert.equal(alive, false, `runtime ${String(pid)} outlived the server`);
      // What the killed server could not clean up (its environment's /tmp mount) goes at the next start.
      const leftBehind = () => readFileSync('/proc/self/mounts', 'utf8').includes(`/lambkin-tmp-${String(child.pid)}-`);
      if (isRoot) assert.ok(leftBehind(), 'the killed server left its /tmp mount');
      restarted = await startChild(dataDir, port, { LAMBKIN_ISOLATION: 'plain' });
      assert.equal(leftBehind(), false, 'the next server cleared it');
    } finally {
      child.kill('SIGKILL');
      restarted?.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
