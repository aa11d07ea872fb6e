import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { findOnPath } from '../host-binary.js';

const run = promisify(execFile);

/**
 * npm gives up on an unreachable registry after one quick retry instead of its default two with
 * 10–60 s back-off: a first Init waits on this, and a host without a registry should fall back in
 * seconds, not minutes. Every other npm setting (registry, proxies, auth, CA) is the host's own.
 */
const NPM_RETRY_FLAGS = ['--fetch-retries=1', '--fetch-retry-mintimeout=1000', '--fetch-retry-maxtimeout=5000'];
const NPM_TIMEOUT_MS = 5 * 60_000;

/** One published version of a package, as the registry describes it. */
export interface PackageRelease {
  name: string;
  version: string;
  /** Subresource Integrity string of the tarball (`sha512-…`), from the registry's `dist.integrity`. */
  integrity: string;
  tarball: string;
}

/** The host's npm: on PATH, else beside the Node running Lambkin (where Node's installers put it). */
export async function findNpm(searchPath: string = process.env.PATH ?? ''): Promise<string | null> {
  return (await findOnPath('npm', searchPath)) ?? (await findOnPath('npm', path.dirname(process.execPath)));
}

/** The newest release of `name` whose major version is `major`, asked through the host's npm. */
export async function newestRelease(npm: string, name: string, major: number): Promise<PackageRelease> {
  const { stdout } = await npmCommand(npm, ['view', `${name}@${major}`, 'version', 'dist.integrity', 'dist.tarball', '--json', ...NPM_RETRY_FLAGS]);
  if (!stdout.trim()) throw new Error(`the npm registry has no ${name} release for Node ${major}`);
  const parsed = JSON.parse(stdout) as ViewRow | ViewRow[];
  // One matching version comes back as an object, several as an array.
  const rows = (Array.isArray(parsed) ? parsed : [parsed]).filter((r) => r.version && r['dist.integrity'] && r['dist.tarball']);
  if (rows.length === 0) throw new Error(`the npm registry has no ${name} release for Node ${major}`);
  const newest = rows.reduce((a, b) => (compareVersions(b.version, a.version) > 0 ? b : a));
  return { name, version: newest.version, integrity: newest['dist.integrity'], tarball: newest['dist.tarball'] };
}

interface ViewRow {
  version: string;
  'dist.integrity': string;
  'dist.tarball': string;
}

/**
 * Downloads the release's tarball into `dir` with `npm pack` (so npm's registry, proxy and auth
 * settings apply) and checks it against the registry's integrity string; returns the file's path.
 * `onBytes` hears how much has arrived, read from npm's private cache as it fills.
 */
export async function downloadRelease(npm: string, release: PackageRelease, dir: string, onBytes?: (bytes: number) => void): Promise<string> {
  const cache = path.join(dir, 'npm-cache');
  let polling = true;
  const poll = (async () => {
    while (polling && onBytes) {
      onBytes(await directoryBytes(cache));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  let stdout: string;
  try {
    ({ stdout } = await npmCommand(npm, ['pack', `${release.name}@${release.version}`, '--json', '--pack-destination', dir, '--cache', cache, ...NPM_RETRY_FLAGS]));
  } finally {
    polling = false;
    await poll;
  }
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  if (!packed) throw new Error(`npm pack ${release.name}@${release.version} wrote no tarball`);
  const file = path.join(dir, packed.filename);
  await verifyIntegrity(file, release.integrity);
  return file;
}

/** Throws unless the file's digest matches one of the SRI string's hashes. */
export async function verifyIntegrity(file: string, integrity: string): Promise<void> {
  const hashes = integrity.split(/\s+/).map((h) => /^(sha512|sha384|sha256|sha1)-(.+)$/.exec(h)).filter((m) => m !== null);
  if (hashes.length === 0) throw new Error(`unsupported integrity string: ${integrity}`);
  for (const [, algorithm, expected] of hashes) {
    const actual = await digest(file, algorithm!);
    if (actual === expected) return;
  }
  throw new Error(`${path.basename(file)} does not match the registry's integrity ${integrity}: the download is corrupt or was tampered with`);
}

function digest(file: string, algorithm: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('base64')));
  });
}

async function npmCommand(npm: string, args: string[]): Promise<{ stdout: string }> {
  try {
    return await run(npm, args, { timeout: NPM_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string; killed?: boolean };
    if (e.killed) throw new Error(`npm ${args[0]} did not finish within ${NPM_TIMEOUT_MS / 60_000} minutes`);
    // npm's own summary (`npm error code ECONNREFUSED`, `… request to http://… failed`) says why.
    const lines = (e.stderr ?? '').split('\n').filter((l) => /^npm (ERR!|error) /.test(l)).map((l) => l.replace(/^npm (ERR!|error) /, ''));
    // The fetch error's first line names the URL and the reason; else the first of npm's summary lines.
    const summary = lines.find((l) => /request to .* failed/.test(l))?.replace(/^\w*Error: /, '') ?? lines.filter((l) => !/^\s/.test(l)).slice(0, 3).join('; ');
    throw new Error(`npm ${args[0]} ${args[1]} failed: ${summary || e.message}`);
  }
}

async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    try {
      total += (await stat(path.join(entry.parentPath ?? entry.path, entry.name))).size;
    } catch {
      // moved from npm's tmp into its content store between the listing and the stat
    }
  }
  return total;
}

/** Dotted numeric versions, compared part by part. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
