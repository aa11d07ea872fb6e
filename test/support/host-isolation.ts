import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What this host offers for function isolation, decided from the environment, never from the
 * server under test: a server whose own probe broke must fail the isolation tests, not skip them.
 *
 * Where the host offers them they are required; `LAMBKIN_REQUIRE_ISOLATION=1` (set by .ci/run,
 * which installs bubblewrap) requires bubblewrap whatever the host looks like, so a CI machine that
 * lost it fails instead of skipping.
 */
export interface HostIsolation {
  /** null: the server must report `bubblewrap`; otherwise why these tests skip on this host. */
  bubblewrapSkip: string | null;
  /** null: the server must report v1 or v2 cgroups (the host mounts a writable memory controller); otherwise why the cgroup checks skip. */
  cgroupsSkip: string | null;
  /** null: the server must report `"network": "namespace"` (bubblewrap and pasta are here, or required); otherwise why the network tests skip. */
  networkSkip: string | null;
}

const REQUIRED = process.env.LAMBKIN_REQUIRE_ISOLATION === '1';

export function hostIsolation(): HostIsolation {
  // Running the suite in plain mode on purpose wins over the requirement.
  if (process.env.LAMBKIN_ISOLATION === 'plain') {
    const plain = 'the suite runs with LAMBKIN_ISOLATION=plain';
    return { bubblewrapSkip: plain, cgroupsSkip: whyNoCgroups(), networkSkip: plain };
  }
  const bubblewrapSkip = REQUIRED ? null : whyNoBubblewrap();
  const networkSkip = REQUIRED ? null : bubblewrapSkip ?? (onPath('pasta') ? null : 'pasta is not installed (Debian package passt)');
  return { bubblewrapSkip, cgroupsSkip: whyNoCgroups(), networkSkip };
}

function whyNoBubblewrap(): string | null {
  if (process.platform !== 'linux') return 'bubblewrap needs Linux';
  if (process.getuid?.() !== 0) return 'bubblewrap sandboxes need the server to run as root';
  if (!onPath('bwrap')) return 'bwrap is not installed (Debian package bubblewrap)';
  if (!onPath('setpriv')) return 'setpriv is not installed (Debian package util-linux)';
  return null;
}

/** A writable cgroup memory controller (v2 unified hierarchy or v1) that root can create children in. */
function whyNoCgroups(): string | null {
  if (process.platform !== 'linux') return 'cgroups need Linux';
  if (process.getuid?.() !== 0) return 'cgroups need the server to run as root';
  let mounts: string;
  try {
    mounts = readFileSync('/proc/self/mounts', 'utf8');
  } catch {
    return 'no /proc/self/mounts';
  }
  for (const line of mounts.split('\n')) {
    const [, dir, type, options = ''] = line.split(' ');
    if (!dir || options.split(',').includes('ro')) continue;
    if (type === 'cgroup2' && readable(path.join(dir, 'cgroup.controllers')).split(/\s+/).includes('memory')) return null;
    if (type === 'cgroup' && options.split(',').includes('memory')) return null;
  }
  return 'this host mounts no writable cgroup memory controller';
}

function readable(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
