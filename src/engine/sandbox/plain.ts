import { spawn } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import type { Cgroups } from './cgroups.js';
import type { LayerSets } from './layers.js';
import { searchPathVariables } from './runtime-paths.js';
import type { Sandbox, SandboxedProcess, SandboxSpec } from './sandbox.js';
import { sandboxedProcess } from './sandboxed-process.js';
import { lambkinNodeModules } from './sdk-modules.js';
import { externalExtensions, launchWithExtensions } from '../extensions/launcher.js';
import { isExecutable } from './executable.js';
import { EPHEMERAL_STORAGE_DEFAULT_MB } from './limits.js';
import { createPrivateTmp, type PrivateTmp } from './private-tmp.js';

/** Host tools plain mode uses when present. */
export interface PlainTools {
  /** util-linux `setpriv`: runtimes get PR_SET_PDEATHSIG, so they die with the server even after a kill -9. */
  setpriv: string | null;
  /** Root may mount a size-limited tmpfs per environment (EphemeralStorage enforced). */
  mountTmpfs: boolean;
}

/**
 * No namespaces: the runtime is an ordinary process (as an unprivileged uid when we are root),
 * sees host paths, and gets its private /tmp through `TMPDIR`. Used where bubblewrap is missing.
 */
export class PlainSandbox implements Sandbox {
  readonly isolationLevel = 'plain' as const;
  // A plain process has no namespace of its own: it reaches whatever the server's user can.
  readonly networkIsolation = 'host' as const;

  constructor(
    private readonly cgroups: Cgroups | null,
    private readonly layers: LayerSets | null,
    private readonly tools: PlainTools = { setpriv: null, mountTmpfs: false },
  ) {}

  get cgroupKind() {
    return this.cgroups?.kind ?? 'none';
  }

  /** Private /tmps not yet removed: close() waits for them (an unmount must not be cut off by exit). */
  private readonly tmps = new Set<PrivateTmp>();

  async close(): Promise<void> {
    await Promise.all([...this.tmps].map((tmp) => tmp.remove()));
    await this.cgroups?.close();
  }

  async launch(spec: SandboxSpec): Promise<SandboxedProcess> {
    const optDir = this.layers ? await this.layers.directoryFor(spec.layerArns) : null;
    const { launch, user } = spec;
    const tmp = await createPrivateTmp(user, spec.ephemeralStorageMb || EPHEMERAL_STORAGE_DEFAULT_MB, this.tools.mountTmpfs);
    const tmpDir = tmp.dir;
    this.tmps.add(tmp);
    const cgroup = (await this.cgroups?.create(spec.id, { memoryMb: spec.memoryMb })) ?? null;
    const bootstrap = launch.family === 'provided' ? spec.codeDir : path.dirname(launch.args[launch.args.length - 1] ?? spec.codeDir);
    // A custom runtime may come in a layer: /opt/bootstrap runs when the code has none.
    const command =
      launch.family === 'provided' && optDir && !(await isExecutable(launch.command)) && (await isExecutable(path.join(optDir, 'bootstrap')))
        ? path.join(optDir, 'bootstrap')
        : launch.command;
    // Never beside a user's own folder: that link would land in their project.
    if (launch.family === 'nodejs' && !spec.codeFromHostFolder) await linkSdkAboveCode(spec.codeDir);
    const paths = searchPathVariables(launch, {
      taskRoot: spec.codeDir,
      runtimeDir: bootstrap,
      optDir,
      runtimeNodeModules: launch.family === 'nodejs' ? lambkinNodeModules() : null,
      leadingPath: [],
      systemPath: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    });
    const extensions = await externalExtensions(optDir);
    const started = launchWithExtensions(extensions.map((name) => path.join(optDir ?? '', 'extensions', name)), command, launch.args);
    // The parent-death signal is what bubblewrap's --die-with-parent gives the sandbox. A command
    // that cannot run is spawned as is, so its own error (ENOENT, EACCES) names what is missing.
    const [file, argv] = this.tools.setpriv && (await isExecutable(started.command))
      ? [this.tools.setpriv, ['--pdeathsig', 'SIGKILL', '--', started.command, ...started.args]]
      : [started.command, started.args];
    const child = spawn(file, argv, {
      cwd: spec.codeDir,
      env: { ...paths, ...spec.env, LAMBDA_TASK_ROOT: spec.codeDir, LAMBDA_RUNTIME_DIR: bootstrap, TMPDIR: tmpDir },
      stdio: started.reportsExtensionExits ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
      // Own process group, so a kill also takes whatever the runtime started.
      detached: true,
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    // Joined right after spawn: a runtime that forks within its first moments leaves the child
    // outside the limits (bubblewrap joins before exec and has no such window).
    if (cgroup && child.pid) await cgroup.join(child.pid).catch(() => undefined);
    return sandboxedProcess(child, cgroup, { wrapped: false, extensions, cleanup: async () => {
      await tmp.remove();
      this.tmps.delete(tmp);
    } });
  }
}

const linkedAbove = new Set<string>();

/**
 * ES modules ignore NODE_PATH and look for packages in node_modules folders above the importing
 * file. Bubblewrap mounts the SDK at /var/node_modules, above /var/task; here the same is a link
 * beside the extracted packages, so an ESM handler that imports `@aws-sdk/…` runs in both modes.
 */
async function linkSdkAboveCode(codeDir: string): Promise<void> {
  const sdk = lambkinNodeModules();
  const above = path.join(path.dirname(codeDir), 'node_modules');
  if (!sdk || linkedAbove.has(above)) return;
  await symlink(sdk, above, 'dir').catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  linkedAbove.add(above);
}

let shared: PlainSandbox | undefined;

/** Plain processes without cgroups or layers: for engines built without a chosen sandbox (tests). */
export function plainSandbox(): PlainSandbox {
  shared ??= new PlainSandbox(null, null);
  return shared;
}
