import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { interpreterVersion } from '../host-binary.js';
import { nodePackageName } from './node-package.js';
import { downloadRelease, findNpm, newestRelease, type PackageRelease } from './npm-registry.js';

const run = promisify(execFile);

/**
 * What `<root>/node<major>.json` records: which release a Node major runs on. The binary is at
 * `<root>/<version>/bin/node`, a tree every user can read (plain mode's unprivileged user runs
 * it from there; bubblewrap mounts `<root>/<version>` read-only).
 */
export interface InstalledNode {
  major: number;
  version: string;
  package: string;
  integrity: string;
  tarball: string;
  installedAt: string;
  /** Absolute path of the `node` binary (not stored: derived from the root). */
  node: string;
  /** False when the newest release was already the installed one (nothing downloaded). */
  fresh?: boolean;
}

/** Why the last install of a major failed (`<root>/node<major>.failed.json`), so listings can say so. */
export interface FailedInstall {
  reason: string;
  at: string;
}

export interface InstallOptions {
  /**
   * Also keep the release's C/C++ headers (`<version>/include/node`, ~70 MB): with them node-gyp
   * builds native addons for this release offline (`npm_config_nodedir=<root>/<version>`). A
   * function never needs them, so the server's own installs leave them out.
   */
  headers?: boolean;
}

export interface InstallProgress {
  /** The release chosen, before its download starts. */
  resolved?(release: PackageRelease): void;
  downloaded?(bytes: number): void;
}

const recordFile = (root: string, major: number) => path.join(root, `node${major}.json`);
const failureFile = (root: string, major: number) => path.join(root, `node${major}.failed.json`);

/** The installed release of a major whose binary is still there, or null. */
export async function installedNode(root: string, major: number): Promise<InstalledNode | null> {
  try {
    const record = JSON.parse(await readFile(recordFile(root, major), 'utf8')) as Omit<InstalledNode, 'node'>;
    const node = path.join(root, record.version, 'bin', 'node');
    await access(node, constants.X_OK);
    return { ...record, node };
  } catch {
    return null;
  }
}

export async function lastFailedInstall(root: string, major: number): Promise<FailedInstall | null> {
  try {
    return JSON.parse(await readFile(failureFile(root, major), 'utf8')) as FailedInstall;
  } catch {
    return null;
  }
}

/**
 * Installs the newest Node `major` from the npm registry the host's npm uses: resolve the version,
 * download with integrity check, unpack `bin/node`, check it runs and reports that version, then
 * record it. Concurrent installs (two servers, a server and the command) each unpack privately and
 * the first rename wins. A failure is recorded for listings and rethrown.
 */
export async function installNode(root: string, major: number, progress: InstallProgress = {}, options: InstallOptions = {}): Promise<InstalledNode> {
  try {
    const installed = await install(root, major, progress, options);
    await rm(failureFile(root, major), { force: true });
    return installed;
  } catch (err) {
    const failure: FailedInstall = { reason: (err as Error).message, at: new Date().toISOString() };
    await writeAtomically(failureFile(root, major), JSON.stringify(failure)).catch(() => undefined);
    throw err;
  }
}

async function install(root: string, major: number, progress: InstallProgress, options: InstallOptions): Promise<InstalledNode> {
  const name = nodePackageName();
  if (!name) throw new Error(`the npm registry has no Node.js binary package for ${process.platform}/${process.arch}`);
  const npm = await findNpm();
  if (!npm) throw new Error('no npm was found on PATH or beside the Node that runs Lambkin');
  await mkdir(root, { recursive: true, mode: 0o755 });
  // Readable by the unprivileged user even if the umask or an older Lambkin made it private.
  await chmod(root, 0o755);
  const release = await newestRelease(npm, name, major);
  progress.resolved?.(release);
  const current = await installedNode(root, major);
  if (current?.version === release.version && (!options.headers || (await hasHeaders(root, current.version)))) return { ...current, fresh: false };
  const work = await mkdtemp(path.join(root, `.install-${release.version}-`));
  try {
    const tarball = await downloadRelease(npm, release, work, progress.downloaded);
    const staged = path.join(work, 'node');
    await mkdir(staged);
    // Only the binary and its licence (and the headers when asked): docs are of no use to a function.
    const parts = ['package/bin/node', 'package/LICENSE', ...(options.headers ? ['package/include'] : [])];
    await run('tar', ['-xzf', tarball, '-C', staged, '--strip-components=1', ...parts]);
    const node = path.join(staged, 'bin', 'node');
    const reported = await interpreterVersion(node);
    if (reported !== release.version) {
      throw new Error(`${release.name}@${release.version} does not run on this host (its node reported ${reported ?? 'nothing'}; Node ${major} needs a newer C library?)`);
    }
    await run('chmod', ['-R', 'a+rX,go-w', staged]);
    const target = path.join(root, release.version);
    try {
      await rename(staged, target);
    } catch (err) {
      // Someone else installed this version meanwhile: theirs is as good as ours, less the headers
      // when theirs was installed without them.
      if (!alreadyThere(err)) throw err;
      if (options.headers && !(await hasHeaders(root, release.version))) {
        await rename(path.join(staged, 'include'), path.join(target, 'include')).catch((e: unknown) => {
          if (!alreadyThere(e)) throw e;
        });
      }
    }
    const record = { major, version: release.version, package: release.name, integrity: release.integrity, tarball: release.tarball, installedAt: new Date().toISOString() };
    await writeAtomically(recordFile(root, major), `${JSON.stringify(record, null, 2)}\n`);
    return { ...record, node: path.join(target, 'bin', 'node'), fresh: true };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const alreadyThere = (err: unknown) => ['ENOTEMPTY', 'EEXIST'].includes((err as NodeJS.ErrnoException).code ?? '');

/** node-gyp reads `include/node/common.gypi` first: the headers are there when it is. */
async function hasHeaders(root: string, version: string): Promise<boolean> {
  return access(path.join(root, version, 'include', 'node', 'common.gypi')).then(
    () => true,
    () => false,
  );
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o644 });
  await rename(tmp, file);
}
