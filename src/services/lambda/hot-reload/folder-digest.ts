import { createHash } from 'node:crypto';
import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { isIgnoredPath } from './folder-ignore.js';

export interface FolderDigest {
  /** base64 SHA-256 over every file's relative path, size and modification time (`CodeSha256`). */
  sha256Base64: string;
  /** The files' total size in bytes (`CodeSize`). */
  size: number;
}

/**
 * What `CodeSha256` and `CodeSize` report for a host folder. Metadata rather than contents: a
 * folder with a large node_modules is hashed in milliseconds, and any write changes a file's
 * modification time, so the value still changes with every edit as a new package's would.
 */
export async function digestFolder(root: string): Promise<FolderDigest> {
  const lines: string[] = [];
  let size = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // removed while we walked: the watcher reports it and the next digest is right
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full);
      if (isIgnoredPath(relative)) continue;
      if (entry.isDirectory()) {
        await walk(full);
        continue;
      }
      const stats = await lstat(full).catch(() => null);
      if (!stats) continue;
      const target = entry.isSymbolicLink() ? await readlink(full).catch(() => '') : '';
      lines.push(`${relative}\0${stats.size}\0${stats.mtimeMs}\0${target}`);
      if (stats.isFile()) size += stats.size;
    }
  };
  await walk(root);
  lines.sort();
  return { sha256Base64: createHash('sha256').update(lines.join('\n')).digest('base64'), size };
}
