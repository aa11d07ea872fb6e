import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Logger } from '../../logger.js';

export interface SandboxUser {
  uid: number;
  gid: number;
}

/**
 * Whom a plain process runs as: `nobody` (or uid 1000) when we are root, so a function cannot write
 * its code, the store or the host; ourselves when we are not root (we have nothing more to give
 * away); or `unreachable` when we are root and that user cannot open what the launch needs (an
 * interpreter under root's 0700 home) — the engine then looks for another way, never root silently.
 */
export type ProcessUser = { kind: 'user'; user: SandboxUser } | { kind: 'self' } | { kind: 'unreachable'; uid: number };

/** Probes, once per set of paths, whether the unprivileged user can reach them. */
export class UnprivilegedUser {
  private user: Promise<SandboxUser | null> | undefined;
  private readonly probes = new Map<string, Promise<boolean>>();

  constructor(private readonly logger: Logger) {}

  /** Whom a process needing `paths` runs as. */
  async forPaths(paths: string[]): Promise<ProcessUser> {
    const user = await this.detect();
    if (!user) return { kind: 'self' };
    const key = paths.join('\0');
    let probe = this.probes.get(key);
    if (!probe) {
      probe = canReach(user, paths);
      this.probes.set(key, probe);
    }
    return (await probe) ? { kind: 'user', user } : { kind: 'unreachable', uid: user.uid };
  }

  private detect(): Promise<SandboxUser | null> {
    if (!this.user) {
      this.user = (async () => {
        if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
          this.logger.warn('not running as root: functions run as the server user, without sandboxing');
          return null;
        }
        return unprivilegedAccount();
      })();
    }
    return this.user;
  }
}

/**
 * Asks the kernel rather than guessing from modes: can `user` open every path? A path that does
 * not exist is no access problem (a custom runtime's bootstrap may come from a layer; a missing one
 * fails at launch with its own error), so only existing ones are checked.
 */
function canReach(user: SandboxUser, paths: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const missing = new Set(paths.filter((p) => !existsSync(p)));
    const present = paths.filter((p) => !missing.has(p));
    const checks = present.map((_, i) => `test -r "$${i + 1}" && { test ! -d "$${i + 1}" || test -x "$${i + 1}"; }`).join(' && ');
    const child = spawn('/bin/sh', ['-c', checks || 'true', 'probe', ...present], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

/** The uid an isolated sandbox switches to: `nobody` (or uid 1000) from /etc/passwd. */
export async function unprivilegedAccount(): Promise<SandboxUser> {
  const passwd = await readFile('/etc/passwd', 'utf8').catch(() => '');
  const entries = passwd.split('\n').map((line) => line.split(':'));
  const pick = entries.find((e) => e[0] === 'nobody') ?? entries.find((e) => e[2] === '1000');
  return pick ? { uid: Number(pick[2]), gid: Number(pick[3]) } : { uid: 65534, gid: 65534 };
}
