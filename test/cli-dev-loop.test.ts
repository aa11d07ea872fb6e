import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

const CLI = new URL('../../bin/lambkin.js', import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('lambkin invoke, dev, functions and events', () => {
  let server: TestServer;
  let root: string;
  let env: NodeJS.ProcessEnv;

  const cli = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env }, (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      });
    });

  before(async () => {
    root = realpathSync(mkdtempSync(path.join(tmpdir(), 'lambkin-cli-')));
    chmodSync(root, 0o755);
    server = await startTestServer({ LAMBKIN_HOT_RELOAD_ROOTS: root });
    env = { ...process.env, AWS_ENDPOINT_URL: server.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', NO_COLOR: '1' };
    const lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'echo', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: makeZip({ 'index.js': 'exports.handler = async (e) => { console.log("got", JSON.stringify(e)); if (e.fail) throw new TypeError("asked to fail"); return { echo: e }; };\n' }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: 'echo' });
  });
  after(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  test('invoke prints the answer on stdout, the function\'s log and REPORT on stderr', async () => {
    const run = await cli('invoke', 'echo', '--payload', '{"a":1}');
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { echo: { a: 1 } });
    assert.match(run.stderr, /INFO\tgot \{"a":1\}/);
    assert.match(run.stderr, /^REPORT Duration [\d.]+ ms · Billed \d+ ms · Memory \d+\/128 MB/m);
    assert.doesNotMatch(run.stderr, /^START /m, 'without --tail only the function\'s own lines');
    assert.doesNotMatch(run.stderr, /NodeVersionSupportWarning/);

    const tail = await cli('invoke', 'echo', '--tail');
    assert.match(tail.stderr, /^START RequestId: \S+ Version: \$LATEST$/m);
    assert.match(tail.stderr, /^REPORT RequestId: /m);
  });

  test('invoke takes the payload from a file, and --json gives everything in one object', async () => {
    const file = path.join(root, 'event.json');
    writeFileSync(file, '{"from":"file"}');
    const run = await cli('invoke', 'echo', '--payload', `@${file}`, '--json');
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { statusCode: number; executedVersion: string; payload: string; log: string; report: { durationMs: number; memorySizeMb: number } };
    assert.equal(out.statusCode, 200);
    assert.equal(out.executedVersion, '$LATEST');
    assert.deepEqual(JSON.parse(out.payload), { echo: { from: 'file' } });
    assert.match(out.log, /^END RequestId/m);
    assert.equal(out.report.memorySizeMb, 128);
    assert.equal(typeof out.report.durationMs, 'number');
  });

  test('a failing function: the error type is printed and the exit status is 1; a refused request exits 2', async () => {
    const run = await cli('invoke', 'echo', '--payload', '{"fail":true}');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^Unhandled error TypeError: asked to fail$/m);
    assert.equal((JSON.parse(run.stdout) as { errorType: string }).errorType, 'TypeError');

    const missing = await cli('invoke', 'no-such-function');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^lambkin: ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function$/m);
    const notJson = await cli('invoke', 'echo', '--payload', 'not json');
    assert.equal(notJson.code, 2);
    assert.match(notJson.stderr, /InvalidRequestContentException/);

    const unreachable = await new Promise<Run>((resolve) => {
      execFile(process.execPath, [CLI, 'invoke', 'echo'], { env: { ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:1' } }, (err, stdout, stderr) => resolve({ code: (err as { code?: number } | null)?.code ?? 0, stdout, stderr }));
    });
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.stderr, /cannot reach Lambkin at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/);
  });

  test('invoke --async queues the event', async () => {
    const run = await cli('invoke', 'echo', '--async', '--payload', '{"async":true}');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^queued \(202\) [0-9a-f-]{36}$/m);
    const json = await cli('invoke', 'echo', '--async', '--json');
    assert.equal((JSON.parse(json.stdout) as { statusCode: number }).statusCode, 202);
  });

  test('dev creates a function from the folder, runs the event, and runs it again after every edit', async () => {
    const folder = path.join(root, 'devfn');
    mkdirSync(folder, { mode: 0o755 });
    const source = (answer: number) => `exports.handler = async (e) => { console.log("run", ${answer}); return { answer: ${answer}, event: e }; };\n`;
    writeFileSync(path.join(folder, 'index.js'), source(1), { mode: 0o644 });
    const child = spawn(process.execPath, [CLI, 'dev', folder, '--event', '{"k":"v"}'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const output = collect(child);
      await output.until(() => output.stdout.includes('"answer":1') && output.stderr.includes('(cold start)'));
      assert.deepEqual(JSON.parse(output.stdout.trim()), { answer: 1, event: { k: 'v' } });
      assert.match(output.stderr, /devfn nodejs22\.x index\.handler runs .*devfn; watching for changes/);

      writeFileSync(path.join(folder, 'index.js'), source(2));
      // stdout and stderr are separate pipes: wait for both.
      await output.until(() => output.stdout.includes('"answer":2') && /edit → result/.test(output.stderr));
      assert.match(output.stderr, /^changed index\.js$/m);
      assert.match(output.stderr, /INFO\trun 2/);
      assert.match(output.stderr, /Init [\d.]+ ms \(cold start\)/);
      assert.match(output.stderr, /^edit → result in \d+ ms$/m);

      // A file in a new folder is picked up as well.
      mkdirSync(path.join(folder, 'lib'), { mode: 0o755 });
      writeFileSync(path.join(folder, 'lib', 'n.js'), 'module.exports = 3;\n', { mode: 0o644 });
      writeFileSync(path.join(folder, 'index.js'), 'exports.handler = async () => ({ answer: require("./lib/n.js") });\n');
      await output.until(() => output.stdout.includes('"answer":3'));
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0);

    const listed = await cli('functions', '--json', '--data-dir', server.dataDir);
    const devfn = (JSON.parse(listed.stdout) as Array<{ name: string; state: string; runtime: string }>).find((f) => f.name === 'devfn');
    assert.deepEqual(devfn && { state: devfn.state, runtime: devfn.runtime }, { state: 'Active', runtime: 'nodejs22.x' });
  });

  test('dev refuses a folder it cannot guess, naming the flags', async () => {
    const folder = path.join(root, 'empty');
    mkdirSync(folder, { mode: 0o755 });
    const run = await cli('dev', folder);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /give --runtime and --handler/);
  });

  test('functions lists state, runtime, memory and last invoke; events lists outcomes, newest first', async () => {
    await cli('invoke', 'echo', '--payload', '{"fail":true}');
    await cli('invoke', 'echo');
    const listing = await pollFor(async () => {
      const run = await cli('functions', '--json', '--data-dir', server.dataDir);
      const echo = (JSON.parse(run.stdout) as Array<{ name: string; memoryMb: number; lastInvoke?: { outcome: string } }>).find((f) => f.name === 'echo');
      return echo?.lastInvoke?.outcome === 'success' ? echo : undefined;
    });
    assert.equal(listing.memoryMb, 128);
    const text = await cli('functions', '--data-dir', server.dataDir);
    assert.match(text.stdout, /^NAME +STATE +RUNTIME +MEMORY +LAST INVOKE$/m);
    assert.match(text.stdout, /^echo +Active +nodejs22\.x +128 MB +\d{4}-\d\d-\d\dT[\d:.]+Z success$/m);

    const events = await cli('events', 'echo', '--json', '--limit', '2', '--data-dir', server.dataDir);
    const rows = JSON.parse(events.stdout) as Array<{ outcome: string; requestId: string; version: string }>;
    assert.deepEqual(rows.map((r) => r.outcome), ['success', 'error']);
    assert.equal(rows[0]!.version, '$LATEST');
    const eventsText = await cli('events', 'echo', '--data-dir', server.dataDir);
    assert.match(eventsText.stdout, /^TIME +REQUEST ID +VERSION +OUTCOME +DURATION +INIT +MEMORY$/m);
    assert.match(eventsText.stdout, / error /);
  });
});

function collect(child: ChildProcess) {
  const state = {
    stdout: '',
    stderr: '',
    /** Resolves once `ready()` holds after some output; fails if the command exits first. */
    until(ready: () => boolean, timeoutMs = 60_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!ready()) return;
          cleanup();
          resolve();
        };
        const exited = () => {
          cleanup();
          reject(new Error(`lambkin dev exited early:\n${state.stdout}\n${state.stderr}`));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting:\n${state.stdout}\n${state.stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout?.off('data', check);
          child.stderr?.off('data', check);
          child.off('exit', exited);
        };
        child.stdout?.on('data', check);
        child.stderr?.on('data', check);
        child.once('exit', exited);
        check();
      });
    },
  };
  child.stdout?.setEncoding('utf8').on('data', (t: string) => (state.stdout += t));
  child.stderr?.setEncoding('utf8').on('data', (t: string) => (state.stderr += t));
  return state;
}

async function pollFor<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('never appeared');
}
