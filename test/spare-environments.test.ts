import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import AdmZip from 'adm-zip';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { freePort, startChild } from './support/child-server.js';
import { hostIsolation } from './support/host-isolation.js';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';

const NODE_REPORTER = `const fs = require('node:fs');
const loadedAtUptimeMs = process.uptime() * 1000;
exports.handler = async (event, context) => {
  if (event.mb) return Buffer.alloc(event.mb * 1024 * 1024, 1).length;
  const again = await fetch('http://' + process.env.AWS_LAMBDA_RUNTIME_API + '/2018-06-01/runtime/lambkin/assignment');
  return {
    name: process.env.AWS_LAMBDA_FUNCTION_NAME, memory: context.memoryLimitInMB, own: process.env.OWN, spare: process.env.LAMBKIN_SPARE ?? null,
    key: process.env.AWS_ACCESS_KEY_ID, tz: process.env.TZ, cwd: process.cwd(), files: fs.readdirSync('/var/task').sort(),
    nodeOptions: process.env.NODE_OPTIONS ?? null, loadedAtUptimeMs, assignmentAgain: again.status,
  };
};
`;

const PYTHON_REPORTER = `import os, time
def handler(event, context):
    return {"name": os.environ["AWS_LAMBDA_FUNCTION_NAME"], "memory": context.memory_limit_in_mb, "own": os.environ.get("OWN"),
            "spare": os.environ.get("LAMBKIN_SPARE"), "files": sorted(os.listdir("/var/task")), "tz": time.tzname[0]}
`;

function zipOf(files: Record<string, string>): Uint8Array {
  const zip = new AdmZip();
  for (const [name, contents] of Object.entries(files)) zip.addFile(name, Buffer.from(contents), '', 0o644);
  return new Uint8Array(zip.toBuffer());
}

const json = (out: InvokeCommandOutput) => JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as Record<string, any>;
const log = (out: InvokeCommandOutput) => Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');

describe('spare environments: cold starts adopt a runtime that has already started', () => {
  const skip = hostIsolation().networkSkip;
  let server: TestServer;
  let lambda: LambdaClient;
  let stopped = false;

  before(async () => {
    if (skip) return;
    server = await startTestServer({ LAMBKIN_SPARE_ENVIRONMENTS: '1' });
    lambda = server.lambda();
  });
  after(async () => {
    if (!stopped) await server?.stop();
  });

  const spares = async () => ((await (await fetch(`${server.url}/_lambkin/health`)).json()) as { spares: { ready: number; starting: number; adopted: number } }).spares;

  async function untilSpareWaits(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while ((await spares()).ready < 1) {
      if (Date.now() > deadline) throw new Error(`no spare became ready: ${JSON.stringify(await spares())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function create(name: string, runtime: 'nodejs22.x' | 'python3.12', files: Record<string, string>, extra: { memory?: number; variables?: Record<string, string> } = {}) {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: runtime, Role: ROLE, Handler: runtime.startsWith('python') ? 'app.handler' : 'index.handler',
      Code: { ZipFile: zipOf(files) }, MemorySize: extra.memory ?? 128, Timeout: 30, ...(extra.variables ? { Environment: { Variables: extra.variables } } : {}),
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
  }

  const invoke = (name: string, event: unknown = {}) =>
    lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }));

  test('a Node.js function runs in a spare: its own variables, code, memory and credentials, Init Duration reported', { skip: skip ?? false }, async () => {
    await create('first', 'nodejs22.x', { 'index.js': NODE_REPORTER }, { variables: { OWN: 'first' } });
    const first = await invoke('first');
    assert.equal(first.FunctionError, undefined, Buffer.from(first.Payload ?? []).toString());
    assert.equal((await spares()).adopted, 0, 'no spare existed for the first start of a runtime');

    await untilSpareWaits();
    await create('second', 'nodejs22.x', { 'index.js': NODE_REPORTER, 'other.txt': 'only mine' }, { memory: 256, variables: { OWN: 'second' } });
    const out = await invoke('second');
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    assert.equal((await spares()).adopted, 1);
    const body = json(out);
    assert.equal(body.name, 'second');
    assert.equal(body.memory, '256');
    assert.equal(body.own, 'second');
    assert.equal(body.spare, null, 'the marker variable is gone once assigned');
    assert.equal(body.tz, ':UTC');
    assert.equal(body.cwd, '/var/task');
    assert.deepEqual(body.files, ['index.js', 'other.txt']);
    assert.equal(body.assignmentAgain, 404, 'the assignment is handed out once');
    assert.notEqual(body.key, json(first).key, 'each function holds its own credentials');
    assert.match(log(out), /Init Duration: [\d.]+ ms/);

    // The cgroup shrank to the function's 256 MB: more than that kills the runtime.
    const killed = await invoke('second', { mb: 400 });
    assert.equal(killed.FunctionError, 'Unhandled');
    assert.equal(json(killed).errorType, 'Runtime.ExitError');
  });

  test('a Python function runs in a spare of its runtime', { skip: skip ?? false }, async () => {
    await create('py-first', 'python3.12', { 'app.py': PYTHON_REPORTER });
    assert.equal((await invoke('py-first')).FunctionError, undefined);
    const before = (await spares()).adopted;
    await untilSpareWaits();
    await create('py-second', 'python3.12', { 'app.py': PYTHON_REPORTER, 'data.txt': 'x' }, { memory: 512, variables: { OWN: 'py' } });
    const out = await invoke('py-second');
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    assert.equal((await spares()).adopted, before + 1);
    assert.deepEqual(json(out), { name: 'py-second', memory: '512', own: 'py', spare: null, files: ['app.py', 'data.txt'], tz: 'UTC' });
  });

  test('a function setting a variable its interpreter reads at start (NODE_OPTIONS) gets a runtime of its own', { skip: skip ?? false }, async () => {
    await untilSpareWaits();
    const before = (await spares()).adopted;
    await create('own-options', 'nodejs22.x', { 'index.js': NODE_REPORTER }, { variables: { NODE_OPTIONS: '--max-old-space-size=100' } });
    const out = await invoke('own-options');
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    assert.equal(json(out).nodeOptions, '--max-old-space-size=100');
    assert.equal((await spares()).adopted, before, 'no spare was taken');
  });

  test('no spare outlives the server', { skip: skip ?? false }, async () => {
    await untilSpareWaits();
    const dir = `${server.dataDir}/spares`;
    const running = () => execFileSync('ps', ['-eo', 'args']).toString().split('\n').filter((line) => line.includes(dir));
    assert.ok(running().length > 0, 'a spare runs while the server does');
    stopped = true;
    await server.stop();
    const deadline = Date.now() + 10_000;
    while (running().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(running(), []);
  });
});

describe('spare environments in plain mode', () => {
  test('a plain-mode cold start adopts a spare too: its own variables and code, its Runtime API on a loopback port', async (t) => {
    const server = await startTestServer({ LAMBKIN_SPARE_ENVIRONMENTS: '1', LAMBKIN_ISOLATION: 'plain' });
    t.after(() => server.stop());
    const lambda = server.lambda();
    const spares = async () => ((await (await fetch(`${server.url}/_lambkin/health`)).json()) as { spares: { ready: number; starting: number; adopted: number } }).spares;
    const create = async (name: string, own: string) => {
      await lambda.send(new CreateFunctionCommand({
        FunctionName: name, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Timeout: 30,
        Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => ({ own: process.env.OWN, name: process.env.AWS_LAMBDA_FUNCTION_NAME, files: require("fs").readdirSync(process.env.LAMBDA_TASK_ROOT).sort(), spare: process.env.LAMBKIN_SPARE ?? null });' }) },
        Environment: { Variables: { OWN: own } },
      }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: name });
    };
    await create('plain-first', 'one');
    assert.equal((await lambda.send(new InvokeCommand({ FunctionName: 'plain-first' }))).FunctionError, undefined);
    const deadline = Date.now() + 60_000;
    while ((await spares()).ready < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await create('plain-second', 'two');
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'plain-second' }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    assert.deepEqual(json(out), { own: 'two', name: 'plain-second', files: ['index.js'], spare: null });
    assert.equal((await spares()).adopted, 1);
  });
});

/**
 * A `lambkin start` child on a data directory of its own: `body` works with it, then the child is
 * killed with kill -9 and nothing whose arguments name that directory (environments, spares,
 * pasta, relays) may still run 10 s later. Whatever is left is killed before the assertion fails.
 */
async function killedServerLeavesNothing(
  env: Record<string, string>,
  body: (server: { lambda: LambdaClient; dataDir: string; ours: () => string[] }) => Promise<void>,
  whileDying?: () => Promise<unknown>,
): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-kill-'));
  const port = await freePort();
  const child = await startChild(dataDir, port, env);
  const ours = () => execFileSync('ps', ['-eo', 'pid,args']).toString().split('\n').filter((line) => line.includes(dataDir));
  const lambda = new LambdaClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  try {
    await body({ lambda, dataDir, ours });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    await whileDying?.();
    const gone = Date.now() + 10_000;
    while (ours().length > 0 && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(ours(), []);
  } finally {
    lambda.destroy();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const line of ours()) {
      try {
        process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('spare environments when the server is killed', () => {
  const skip = hostIsolation().networkSkip;

  test('kill -9 of the server while environments are starting leaves none of them running', { skip: skip ?? false }, async () => {
    let invokes: Array<Promise<unknown>> = [];
    await killedServerLeavesNothing({ LAMBKIN_SPARE_ENVIRONMENTS: '0' }, async ({ lambda, ours }) => {
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'busy', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Timeout: 30, Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 5000)); return "ok"; };' }) } }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'busy' });
      // Eight cold starts at once; the server dies as the first sandbox processes appear, with
      // others still being forked and set up.
      invokes = Array.from({ length: 8 }, () => lambda.send(new InvokeCommand({ FunctionName: 'busy' })).catch(() => undefined));
      const deadline = Date.now() + 30_000;
      // (The server's own command line names the directory too.)
      while (!ours().some((line) => !line.includes(' start --port ')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    }, () => Promise.all(invokes));
  });

  test('kill -9 of the server leaves no spare, environment or network helper running', { skip: skip ?? false }, async () => {
    await killedServerLeavesNothing({ LAMBKIN_SPARE_ENVIRONMENTS: '1' }, async ({ lambda, dataDir, ours }) => {
      await lambda.send(new CreateFunctionCommand({ FunctionName: 'warm', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zipOf({ 'index.js': 'exports.handler = async () => "ok";' }) } }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'warm' });
      assert.equal(Buffer.from((await lambda.send(new InvokeCommand({ FunctionName: 'warm' }))).Payload ?? []).toString(), '"ok"');
      // The function's environment and a spare are both up (the spare starts after the first cold start).
      const deadline = Date.now() + 60_000;
      while (!ours().some((line) => line.includes(`${dataDir}/spares`))) {
        if (Date.now() > deadline) throw new Error(`no spare started: ${ours().join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });
  });
});
