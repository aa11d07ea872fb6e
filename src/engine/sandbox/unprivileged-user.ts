import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Logger } from '../../logger.js';

export interface SandboxUser {
  uid: number;
  gid: number;
}

/**
 * Chooses the uid functions run as. When we are root, functions get `nobody` (or uid 1000): they
 * must not be able to write their code, the store or the host. If that user cannot reach the
 * interpreter/code (e.g. a 0700 data directory), we fall back to a plain process and say so loudly.
 * Namespaces and cgroups (bubblewrap) are later work.
 */
export class UnprivilegedUser {
  private user: Promise<SandboxUser | null> | undefined;
  private readonly probes = new Map<string, Promise<boolean>>();
  private readonly warned = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** The user to run as for a process needing `paths`, or null to run as ourselves. */
  async forPaths(paths: string[]): Promise<SandboxUser | null> {
    const user = await this.detect();
    if (!user) return null;
    const key = paths.join('\0');
    let probe = this.probes.get(key);
    if (!probe) {
      probe = canReach(user, paths);
      this.probes.set(key, probe);
    }
    if (await probe) return user;
    if (!this.warned.has(key)) {
      this.warned.add(key);
      this.logger.warn({ uid: user.uid, paths }, 'function runs as root, unsandboxed: the unprivileged user cannot reach its interpreter or code');
    }
    return null;
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

/** Asks the kernel rather than guessing from modes: can `user` open every path? */
function canReach(user: SandboxUser, paths: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const checks = paths.map((_, i) => `test -r "$${i + 1}" && { test ! -d "$${i + 1}" || test -x "$${i + 1}"; }`).join(' && ');
    const child = spawn('/bin/sh', ['-c', checks || 'true', 'probe', ...paths], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
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
