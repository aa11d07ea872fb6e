import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createLogger } from '../src/logger.js';
import { Cgroups } from '../src/engine/sandbox/cgroups.js';

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
  assert.equal(path.basename(serverDir), `server-${process.pid}`);
  // Another live server (pid 1 always runs) whose environment cgroup exists and has no process yet.
  const liveOther = path.join(base, 'server-1', `not-yet-joined-${process.pid}`);
  const gone = path.join(base, `server-${deadPid()}`);
  mkdirSync(liveOther, { recursive: true });
  mkdirSync(path.join(gone, 'left-behind'), { recursive: true });
  try {
    await Cgroups.detect(logger); // a second server starting on this host
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
  }
});
