import { spawn } from 'node:child_process';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { Cgroups } from './cgroups.js';
import { EPHEMERAL_STORAGE_DEFAULT_MB } from './limits.js';
import type { SandboxedProcess, SandboxSpec } from './sandbox.js';
import { networkBwrapArgs, spawnSandbox, type SandboxNetwork } from './sandbox-spawn.js';
import { sandboxedProcess } from './sandboxed-process.js';
import type { SandboxUser } from './unprivileged-user.js';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * A container image function's environment: the image's unpacked root as `/` (read-only, as on
 * Lambda, and `nodev,nosuid` as every bubblewrap bind), its own /proc and /dev, a private tmpfs
 * /tmp of EphemeralStorage size, the cgroup limits, and the image's ENTRYPOINT + CMD started as the
 * unprivileged user in the image's working directory. Nothing of the host is inside; the network is
 * the environment's own namespace (its Runtime API at 127.0.0.1:9001) where pasta exists, else the host's.
 */
export async function launchImage(
  tools: { bwrap: string; setpriv: string },
  user: SandboxUser,
  cgroups: Cgroups | null,
  network: SandboxNetwork | null,
  spec: SandboxSpec & { image: NonNullable<SandboxSpec['image']> },
): Promise<SandboxedProcess> {
  const { image } = spec;
  const imageEnv = Object.fromEntries(
    image.env.map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
  const env: Record<string, string> = {
    PATH: DEFAULT_PATH,
    ...imageEnv,
    ...spec.env,
    LAMBDA_TASK_ROOT: '/var/task',
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    ...(network ? { AWS_LAMBDA_RUNTIME_API: network.pasta.runtimeApiAddress } : {}),
  };
  const argv0 = image.argv[0];
  const executable = argv0 ? await findInRoot(image.root, argv0, env.PATH ?? DEFAULT_PATH) : null;
  if (!executable) {
    // Nothing to run: a spawn of a file that is not there fails as exec would, and the environment
    // reports it as AWS does (Runtime.InvalidEntrypoint).
    const child = spawn(path.join(image.root, 'nonexistent-entrypoint', argv0 ?? ''), [], { stdio: ['ignore', 'pipe', 'pipe'], env: {} });
    return sandboxedProcess(child, null, { wrapped: false });
  }
  const tmpBytes = (spec.ephemeralStorageMb || EPHEMERAL_STORAGE_DEFAULT_MB) * 1024 * 1024;
  // The image has no setpriv of ours to drop privileges with inside, so they are dropped before:
  // the host's setpriv switches to the unprivileged user and bubblewrap runs unprivileged in a user
  // namespace of its own (the user's uid mapped to itself, no capabilities on the host).
  const command = [
    tools.setpriv, `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all',
    tools.bwrap,
    '--unshare-user', '--unshare-pid', '--unshare-ipc', '--die-with-parent', '--new-session', '--cap-drop', 'ALL',
    '--ro-bind', image.root, '/',
    '--proc', '/proc', '--dev', '/dev',
    '--perms', '1777', '--size', String(tmpBytes), '--tmpfs', '/tmp',
    ...networkBwrapArgs(network, await isFile(path.join(image.root, 'etc/resolv.conf'))),
    '--chdir', image.workingDir || '/',
    '--',
    executable, ...image.argv.slice(1),
  ];
  const cgroup = (await cgroups?.create(spec.id, { memoryMb: spec.memoryMb })) ?? null;
  return spawnSandbox({ id: spec.id, setpriv: tools.setpriv, command, env, cgroup, network });
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await lstat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * `argv[0]` as exec would find it inside the image: a path as given, a bare name on the image's
 * PATH. Checked on the host side without following the last link (an absolute link points into
 * the image, not the host).
 */
async function findInRoot(root: string, name: string, searchPath: string): Promise<string | null> {
  const candidates = name.includes('/') ? [path.posix.resolve('/', name)] : searchPath.split(':').filter(Boolean).map((dir) => path.posix.join(dir, name));
  for (const candidate of candidates) {
    try {
      const info = await lstat(path.join(root, candidate));
      if (info.isFile() || info.isSymbolicLink()) return candidate;
    } catch {
      // not there
    }
  }
  return null;
}
