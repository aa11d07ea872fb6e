import { lstat, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** A layer's whiteout entries (OCI image spec, "Whiteouts"): what they hide from the layers below. */
export function whiteoutsOf(entries: string[]): { removed: string[]; opaque: string[]; markers: string[] } {
  const removed: string[] = [];
  const opaque: string[] = [];
  const markers: string[] = [];
  for (const raw of entries) {
    const entry = raw.replace(/^\.\//, '').replace(/\/$/, '');
    const base = path.posix.basename(entry);
    if (!base.startsWith(WHITEOUT_PREFIX)) continue;
    markers.push(entry);
    const dir = path.posix.dirname(entry);
    if (base === OPAQUE) opaque.push(dir === '.' ? '' : dir);
    else removed.push(path.posix.join(dir === '.' ? '' : dir, base.slice(WHITEOUT_PREFIX.length)));
  }
  return { removed, opaque, markers };
}

/**
 * A path under `root` reached without following a symbolic link, or null: a layer's whiteout must
 * never reach outside the image through a link an earlier layer planted.
 */
async function insideRoot(root: string, relative: string): Promise<string | null> {
  const parts = relative.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return null;
  let current = root;
  for (const part of parts.slice(0, -1)) {
    current = path.join(current, part);
    try {
      if (!(await lstat(current)).isDirectory()) return null;
    } catch {
      return null;
    }
  }
  return path.join(current, parts[parts.length - 1] ?? '');
}

/** Before a layer is unpacked: what it whites out disappears, opaque directories are emptied. */
export async function applyWhiteouts(root: string, whiteouts: { removed: string[]; opaque: string[] }): Promise<void> {
  for (const dir of whiteouts.opaque) {
    const target = dir === '' ? root : await insideRoot(root, dir);
    if (!target) continue;
    try {
      if (!(await lstat(target)).isDirectory()) continue;
    } catch {
      continue;
    }
    for (const name of await readdir(target)) await rm(path.join(target, name), { recursive: true, force: true });
  }
  for (const entry of whiteouts.removed) {
    const target = await insideRoot(root, entry);
    if (target && target !== root) await rm(target, { recursive: true, force: true });
  }
}

/** After it is unpacked: the markers themselves are not part of the file system. */
export async function removeMarkers(root: string, markers: string[]): Promise<void> {
  for (const marker of markers) {
    const target = await insideRoot(root, marker);
    if (target) await rm(target, { force: true, recursive: true });
  }
}
