import { execFile } from 'node:child_process';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SandboxUser } from './unprivileged-user.js';

const run = promisify(execFile);

export interface PrivateTmp {
  /** The directory the environment gets as `TMPDIR`. */
  dir: string;
  /** Whether writes beyond EphemeralStorage fail (ENOSPC), as in the sandbox's /tmp. */
  limited: boolean;
  remove(): Promise<void>;
}

/**
 * Plain mode's per-environment /tmp: a fresh directory, and when we are root a tmpfs of the
 * function's EphemeralStorage size mounted on it, so the quota holds as it does inside bubblewrap
 * (without namespaces, only code that honours `TMPDIR` lands there).
 */
export async function createPrivateTmp(user: SandboxUser | null, sizeMb: number, mountTmpfs: boolean): Promise<PrivateTmp> {
  // The server's pid in the name: a later server clears what a killed one left (clearStaleTmps).
  const dir = await mkdtemp(path.join(tmpdir(), `lambkin-tmp-${process.pid}-`));
  let limited = false;
  if (mountTmpfs) {
    const owner = user ? `,uid=${user.uid},gid=${user.gid}` : '';
    try {
      await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700,nosuid,nodev${owner}`, 'lambkin-tmp', dir], { timeout: 10_000 });
      limited = true;
    } catch {
      // not permitted here (a container without CAP_SYS_ADMIN): an unlimited directory
    }
  }
  if (!limited && user) await chown(dir, user.uid, user.gid);
  let removed: Promise<void> | undefined;
  return {
    dir,
    limited,
    remove() {
      removed ??= (async () => {
        if (limited) await run('umount', ['-l', dir], { timeout: 10_000 }).catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      })();
      return removed;
    },
  };
}

const OURS = /^lambkin-tmp-(\d+)-/;

/** Unmounts and removes the private /tmps of servers that are gone (killed before they cleaned up). */
export async function clearStaleTmps(): Promise<void> {
  const mounts = await readFile('/proc/self/mounts', 'utf8').catch(() => '');
  for (const line of mounts.split('\n')) {
    const target = line.split(' ')[1];
    if (!target || path.dirname(target) !== tmpdir()) continue;
    const owner = OURS.exec(path.basename(target));
    if (!owner || isAlive(Number(owner[1]))) continue;
    await run('umount', ['-l', target], { timeout: 10_000 }).catch(() => undefined);
    await rm(target, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
