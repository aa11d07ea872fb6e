import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { createLogger } from '../src/logger.js';
import { Cgroups } from '../src/engine/sandbox/cgroups.js';
import { startTestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

/** A pid no process has: the highest the kernel hands out, if that one is free. */
function deadPid(): number {
  for (let pid = 4_194_303; pid > 4_000_000; pid--) {
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
  throw new Error('no free pid found');
}

test('starting a server clears the cgroups of servers that are gone, never another live server\'s', async (t) => {
  const logger = createLogger('silent');
  const first = await Cgroups.detect(logger);
  if (first.kind === 'none') return t.skip('no cgroups here (not Linux, not root, or no memory controller)');
  const env = await first.create(`probe-${process.pid}`, { memoryMb: 128 });
  assert.ok(env, 'an environment cgroup');
  const serverDir = path.dirname(path.dirname(env.procsFiles[0]!));
  const base = path.dirname(serverDir);
  assert.match(path.basename(serverDir), new RegExp(`^server-${process.pid}-\\d+$`));
  // Another live server (pid 1 always runs) whose environment cgroup exists and has no process yet.
  const liveOther = path.join(base, 'server-1', `not-yet-joined-${process.pid}`);
  const gone = path.join(base, `server-${deadPid()}`);
  mkdirSync(liveOther, { recursive: true });
  mkdirSync(path.join(gone, 'left-behind'), { recursive: true });
  try {
    const second = await Cgroups.detect(logger); // a second server starting on this host
    await second.close();
    assert.ok(existsSync(liveOther), 'a live server\'s empty environment cgroup stays');
    assert.ok(existsSync(path.dirname(env.procsFiles[0]!)), 'this server\'s own stays');
    assert.ok(!existsSync(gone), 'a gone server\'s folder is cleared');
  } finally {
    for (const dir of [liveOther, path.dirname(liveOther), path.join(gone, 'left-behind'), gone]) {
      try {
        rmdirSync(dir);
      } catch {
        // removed already, or another server's
      }
    }
    await env.destroy();
    await first.close();
  }
});

test('a clean shutdown removes the server\'s cgroup folders, with environments still running in them', async (t) => {
  const probe = await Cgroups.detect(createLogger('silent'));
  if (probe.kind === 'none') return t.skip('no cgroups here (not Linux, not root, or no memory controller)');
  const env = await probe.create(`probe-${process.pid}`, { memoryMb: 128 });
  const base = path.dirname(path.dirname(path.dirname(env!.procsFiles[0]!)));
  await env!.destroy();
  await probe.close();
  const mine = () => readdirSync(base).filter((name) => name.startsWith(`server-${process.pid}-`));
  assert.deepEqual(mine(), [], 'the probe removed its own folder');

  const server = await startTestServer();
  try {
    const lambda = server.lambda();
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'warm', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler',
        Code: { ZipFile: makeZip({ 'index.js': 'exports.handler = async () => "up";' }) },
      }),
    );
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'warm' });
    await lambda.send(new InvokeCommand({ FunctionName: 'warm' }));
    const running = mine();
    assert.equal(running.length, 1, 'the server made its folder');
    assert.ok(readdirSync(path.join(base, running[0]!), { withFileTypes: true }).some((e) => e.isDirectory()), 'a warm environment has its cgroup');
  } finally {
    await server.stop();
  }
  assert.deepEqual(mine(), [], 'nothing of this server is left under lambkin/');
});
