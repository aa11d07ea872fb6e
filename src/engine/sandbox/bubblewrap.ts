import { execFile, spawn } from 'node:child_process';
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Cgroups } from './cgroups.js';
import type { LayerSets } from './layers.js';
import { EPHEMERAL_STORAGE_DEFAULT_MB } from './limits.js';
import { searchPathVariables } from './runtime-paths.js';
import type { Sandbox, SandboxedProcess, SandboxSpec } from './sandbox.js';
import { sandboxedProcess } from './sandboxed-process.js';
import { lambkinNodeModules } from './sdk-modules.js';
import { externalExtensions, launchWithExtensions } from '../extensions/launcher.js';
import type { SandboxUser } from './unprivileged-user.js';
import { isExecutable, which } from './executable.js';
import type { ImageRun } from '../image-run.js';
import { ImageRoots } from '../images/image-roots.js';
import { launchImage } from './image-launch.js';
import type { PastaNetwork } from './function-network.js';
import { networkBwrapArgs, spawnSandbox, type SandboxNetwork } from './sandbox-spawn.js';

const run = promisify(execFile);

const TASK_ROOT = '/var/task';
const RUNTIME_DIR = '/var/runtime';
const OPT = '/opt';
const LANG_DIR = '/var/lang';
/** The sandbox's /etc is the host's: its resolv.conf can be bound over when it is a file, not a link. */
const HOST_RESOLV_CONF_IS_FILE = (() => {
  try {
    return lstatSync('/etc/resolv.conf').isFile();
  } catch {
    return false;
  }
})();

/**
 * Each environment in its own mount, pid and ipc namespaces and, when pasta is installed, its own
 * network namespace (function-network.ts: its Runtime API at 127.0.0.1:9001, Lambkin's endpoint,
 * the outside network, none of the host's other loopback services), with a minimal root: the system read-only, the interpreter's
 * prefix read-only, the code at /var/task, layers at /opt, the runtime client at /var/runtime and a
 * private tmpfs /tmp of EphemeralStorage size. Nothing else of the host (the data directory, other
 * functions, the server's secret) exists inside. bubblewrap runs as root so it can bind paths an
 * unprivileged user could not traverse; `setpriv` then drops to the unprivileged uid with no
 * capabilities before the runtime starts.
 */
export class BubblewrapSandbox implements Sandbox {
  readonly isolationLevel = 'bubblewrap' as const;
  private readonly prefixes = new Map<string, Promise<string[]>>();

  constructor(
    private readonly tools: { bwrap: string; setpriv: string },
    private readonly user: SandboxUser,
    private readonly cgroups: Cgroups | null,
    private readonly layers: LayerSets | null,
    private readonly imagesDir: string = '',
    private readonly blobPath: (hex: string) => Promise<string> = async () => '',
    /** Null: the host's network is shared (pasta is missing), which choose.ts has warned about. */
    private readonly network: PastaNetwork | null = null,
    private readonly nsenter: string | null = null,
  ) {}

  get cgroupKind() {
    return this.cgroups?.kind ?? 'none';
  }

  get networkIsolation() {
    return this.network ? ('namespace' as const) : ('host' as const);
  }

  async close(): Promise<void> {
    await this.cgroups?.close();
    await this.network?.close();
  }

  /** Container images unpacked for `launchImage`, made on first use. */
  private images: ImageRoots | null = null;

  imageRoot(image: ImageRun): Promise<string> {
    this.images ??= new ImageRoots(this.imagesDir, this.blobPath, this.tools.bwrap);
    return this.images.rootFor(image);
  }

  async launch(spec: SandboxSpec): Promise<SandboxedProcess> {
    if (spec.image) return launchImage(this.tools, this.user, this.cgroups, this.sandboxNetwork(spec), { ...spec, image: spec.image });
    const { launch } = spec;
    const optDir = this.layers ? await this.layers.directoryFor(spec.layerArns) : null;
    let command = launch.command;
    let args = [...launch.args];
    let prefixes: string[] = [];
    const mounts = new MountPlan();
    mounts.system();

    if (launch.family === 'provided') {
      const inTask = await isExecutable(launch.command);
      const inLayer = !inTask && optDir ? await isExecutable(path.join(optDir, 'bootstrap')) : false;
      if (!inTask && !inLayer) return this.unlaunchable(spec);
      command = inTask ? path.posix.join(TASK_ROOT, path.relative(spec.codeDir, launch.command)) : path.posix.join(OPT, 'bootstrap');
    } else {
      prefixes = await this.interpreterPrefixes(launch.command);
      const release = launch.family === 'nodejs' && prefixes.length === 1 ? prefixes[0]! : null;
      if (release) {
        // A Node outside /usr (an installed release, nvm's) is where AWS keeps Node: /var/lang. Its
        // host path may lie under /tmp, which the function's own tmpfs would hide.
        mounts.bind(release, LANG_DIR);
        command = path.posix.join(LANG_DIR, path.relative(release, realpathSync(launch.command)));
        prefixes = [];
      }
      for (const prefix of prefixes) mounts.bind(prefix, prefix);
      // The runtime client is the last argument; it is mounted alone (ESM, hence .mjs for Node).
      const bootstrap = args[args.length - 1]!;
      const name = launch.family === 'nodejs' ? 'bootstrap.mjs' : path.basename(bootstrap);
      mounts.dir(RUNTIME_DIR);
      mounts.bind(bootstrap, path.posix.join(RUNTIME_DIR, name));
      args[args.length - 1] = path.posix.join(RUNTIME_DIR, name);
    }
    const sdk = launch.family === 'nodejs' ? lambkinNodeModules() : null;
    if (sdk) mounts.bind(sdk, path.posix.join(RUNTIME_DIR, 'node_modules'));
    mounts.dir('/var');
    // ES modules ignore NODE_PATH and look for packages in node_modules folders above the importing
    // file: /var/node_modules is where an ESM handler in /var/task finds the SDK, as on AWS.
    if (sdk) mounts.bind(sdk, '/var/node_modules');
    mounts.bind(spec.codeDir, TASK_ROOT);
    // AWS's search paths always name /opt, so it exists even without layers.
    if (optDir) mounts.bind(optDir, OPT);
    else mounts.dir(OPT);
    const tmpBytes = (spec.ephemeralStorageMb || EPHEMERAL_STORAGE_DEFAULT_MB) * 1024 * 1024;
    mounts.raw('--perms', '1777', '--size', String(tmpBytes), '--tmpfs', '/tmp');

    const paths = searchPathVariables(launch, {
        taskRoot: TASK_ROOT,
        runtimeDir: RUNTIME_DIR,
        optDir: OPT,
        runtimeNodeModules: sdk ? path.posix.join(RUNTIME_DIR, 'node_modules') : null,
        leadingPath: launch.family === 'provided' ? [] : [path.dirname(command)],
        systemPath: '/usr/local/bin:/usr/bin/:/bin',
    });
    // An interpreter outside /usr must load its own libpython, not the system's of the same name.
    if (prefixes.length > 0) paths.LD_LIBRARY_PATH = [...prefixes.map((p) => path.posix.join(p, 'lib')), paths.LD_LIBRARY_PATH].join(':');
    const sandboxNetwork = this.sandboxNetwork(spec);
    const env = {
      ...paths,
      ...spec.env,
      LAMBDA_TASK_ROOT: TASK_ROOT,
      LAMBDA_RUNTIME_DIR: RUNTIME_DIR,
      ...(sandboxNetwork ? { AWS_LAMBDA_RUNTIME_API: sandboxNetwork.pasta.runtimeApiAddress } : {}),
    };
    const extensions = await externalExtensions(optDir);
    const started = launchWithExtensions(extensions.map((name) => path.posix.join(OPT, 'extensions', name)), command, args);
    const bwrapArgs = [
      '--unshare-pid', '--unshare-ipc', '--die-with-parent', '--new-session',
      // Only what setpriv needs to switch user, and it gives those up too.
      '--cap-drop', 'ALL', '--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID', '--cap-add', 'CAP_SETPCAP',
      ...mounts.args,
      ...networkBwrapArgs(sandboxNetwork, HOST_RESOLV_CONF_IS_FILE),
      '--chdir', TASK_ROOT,
      '--',
      this.tools.setpriv, `--reuid=${this.user.uid}`, `--regid=${this.user.gid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all',
      started.command, ...started.args,
    ];
    const cgroup = (await this.cgroups?.create(spec.id, { memoryMb: spec.memoryMb })) ?? null;
    return spawnSandbox({
      // bubblewrap's own process dies with the server too (spawnSandbox starts it with the death signal).
      id: spec.id, setpriv: this.tools.setpriv, command: [this.tools.bwrap, ...bwrapArgs], env, cgroup, network: sandboxNetwork,
      extensions, reportsExtensionExits: started.reportsExtensionExits,
    });
  }

  /** The environment's own network, or null where the host's is shared. */
  private sandboxNetwork(spec: SandboxSpec): SandboxNetwork | null {
    if (!this.network) return null;
    const hostRuntimeApiPort = Number(/:(\d+)$/.exec(spec.env.AWS_LAMBDA_RUNTIME_API ?? '')?.[1]);
    return { pasta: this.network, nsenter: this.nsenter, hostRuntimeApiPort, ...(spec.debuggerPort ? { debuggerPort: spec.debuggerPort } : {}) };
  }

  /** Nothing to run: spawn the missing/non-executable file directly so the error is the native one. */
  private unlaunchable(spec: SandboxSpec): SandboxedProcess {
    const child = spawn(spec.launch.command, spec.launch.args, { stdio: ['ignore', 'pipe', 'pipe'], env: {}, cwd: spec.codeDir });
    return sandboxedProcess(child, null, { wrapped: false });
  }

  /** Installation directories an interpreter outside /usr needs (pyenv, nvm, venvs…). */
  private interpreterPrefixes(command: string): Promise<string[]> {
    let found = this.prefixes.get(command);
    if (!found) {
      found = (async () => {
        const real = realpathSync(command);
        if (real.startsWith('/usr/')) return [];
        const dirs = new Set<string>();
        if (/python/.test(path.basename(real))) {
          const { stdout } = await run(real, ['-c', 'import sys; print(sys.prefix); print(sys.base_prefix); print(sys.exec_prefix)'], { timeout: 10_000 });
          for (const line of stdout.split('\n')) if (line.trim()) dirs.add(line.trim());
        } else {
          dirs.add(path.dirname(path.dirname(real)));
        }
        return [...dirs].filter((d) => !d.startsWith('/usr/') && d !== '/usr' && d !== '/');
      })();
      this.prefixes.set(command, found);
    }
    return found;
  }
}

/** bubblewrap mount arguments, creating each destination's parents traversable (0755). */
class MountPlan {
  readonly args: string[] = [];
  private readonly dirs = new Set<string>(['/']);

  system(): void {
    this.args.push('--ro-bind', '/usr', '/usr');
    this.dirs.add('/usr');
    for (const top of ['/bin', '/sbin', '/lib', '/lib64', '/lib32', '/libx32']) {
      try {
        const info = lstatSync(top);
        if (info.isSymbolicLink()) this.args.push('--symlink', readlinkSync(top), top);
        else if (info.isDirectory()) this.bind(top, top);
      } catch {
        // not on this host
      }
    }
    this.bind('/etc', '/etc');
    this.args.push('--proc', '/proc', '--dev', '/dev');
    this.dirs.add('/proc').add('/dev');
  }

  dir(dest: string): void {
    if (this.dirs.has(dest)) return;
    this.dir(path.posix.dirname(dest));
    this.args.push('--perms', '0755', '--dir', dest);
    this.dirs.add(dest);
  }

  bind(source: string, dest: string): void {
    this.dir(path.posix.dirname(dest));
    this.args.push('--ro-bind', source, dest);
    this.dirs.add(dest);
  }

  raw(...args: string[]): void {
    this.args.push(...args);
  }
}


/** bubblewrap and setpriv, if both exist and a trial sandbox starts (as root: we switch uids). */
export async function probeBubblewrap(user: SandboxUser): Promise<{ ok: true; bwrap: string; setpriv: string } | { ok: false; reason: string }> {
  if (process.platform !== 'linux') return { ok: false, reason: 'not Linux' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not running as root' };
  const bwrap = await which('bwrap');
  if (!bwrap) return { ok: false, reason: 'bwrap (bubblewrap) is not installed' };
  const setpriv = await which('setpriv');
  if (!setpriv) return { ok: false, reason: 'setpriv (util-linux) is not installed' };
  const mounts = new MountPlan();
  mounts.system();
  try {
    const { stdout } = await run(
      bwrap,
      ['--unshare-pid', '--unshare-ipc', '--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID', '--cap-add', 'CAP_SETPCAP',
        ...mounts.args, '--perms', '1777', '--size', String(1024 * 1024), '--tmpfs', '/tmp', '--',
        setpriv, `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '/bin/sh', '-c', 'id -u'],
      { timeout: 10_000 },
    );
    if (Number(stdout.trim()) !== user.uid) return { ok: false, reason: `trial sandbox ran as uid ${stdout.trim()}` };
    return { ok: true, bwrap, setpriv };
  } catch (err) {
    return { ok: false, reason: `trial sandbox failed: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}` };
  }
}
