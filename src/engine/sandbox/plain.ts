import { spawn } from 'node:child_process';
import { chown, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Cgroups } from './cgroups.js';
import type { LayerSets } from './layers.js';
import { searchPathVariables } from './runtime-paths.js';
import type { Sandbox, SandboxedProcess, SandboxSpec } from './sandbox.js';
import { sandboxedProcess } from './sandboxed-process.js';
import { lambkinNodeModules } from './sdk-modules.js';
import { externalExtensions, launchWithExtensions } from '../extensions/launcher.js';
import { isExecutable } from './executable.js';

/**
 * No namespaces: the runtime is an ordinary process (as an unprivileged uid when we are root),
 * sees host paths, and gets its private /tmp through `TMPDIR`. Used where bubblewrap is missing.
 */
export class PlainSandbox implements Sandbox {
  readonly isolationLevel = 'plain' as const;

  constructor(
    private readonly cgroups: Cgroups | null,
    private readonly layers: LayerSets | null,
  ) {}

  get cgroupKind() {
    return this.cgroups?.kind ?? 'none';
  }

  async close(): Promise<void> {
    await this.cgroups?.close();
  }

  async launch(spec: SandboxSpec): Promise<SandboxedProcess> {
    const optDir = this.layers ? await this.layers.directoryFor(spec.layerArns) : null;
    const tmpDir = await mkdtemp(path.join(tmpdir(), 'lambkin-tmp-'));
    const { launch, user } = spec;
    if (user) await chown(tmpDir, user.uid, user.gid);
    const cgroup = (await this.cgroups?.create(spec.id, { memoryMb: spec.memoryMb })) ?? null;
    const bootstrap = launch.family === 'provided' ? spec.codeDir : path.dirname(launch.args[launch.args.length - 1] ?? spec.codeDir);
    // A custom runtime may come in a layer: /opt/bootstrap runs when the code has none.
    const command =
      launch.family === 'provided' && optDir && !(await isExecutable(launch.command)) && (await isExecutable(path.join(optDir, 'bootstrap')))
        ? path.join(optDir, 'bootstrap')
        : launch.command;
    if (launch.family === 'nodejs') await linkSdkAboveCode(spec.codeDir);
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
    const child = spawn(started.command, started.args, {
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
    return sandboxedProcess(child, cgroup, { wrapped: false, extensions, cleanup: () => rm(tmpDir, { recursive: true, force: true }) });
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
