import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { collectDirectory } from './blobs.js';

/** S3 file ids: a UUID's 32 hex digits. */
const FILE_ID = /^[0-9a-f]{32}$/;

/**
 * S3 object bodies in a directory every node mounts (`LAMBKIN_BLOB_DIR` on a PostgreSQL store),
 * instead of the database's chunk tables: `<root>/<aa>/<file id>`. Each node keeps its own copy
 * as a cache, as with the chunk tables; the shared file is written under a temporary name and
 * renamed, so no node ever reads a partial body. A file id is never reused for other bytes.
 */
export class SharedDirectoryBodies {
  constructor(private readonly root: string) {}

  private pathOf(id: string): string {
    return path.join(this.root, id.slice(0, 2), id);
  }

  async store(id: string, file: string): Promise<void> {
    const target = this.pathOf(id);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID()}.tmp`;
    try {
      await copyFile(file, temp);
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async fetch(id: string, file: string): Promise<boolean> {
    try {
      await copyFile(this.pathOf(id), file);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) await rm(this.pathOf(id), { force: true });
  }

  /**
   * Removes bodies written before `cutoff` that no row names: a write that crashed between storing
   * its body and committing the row naming it.
   */
  collect(cutoff: number, referenced: (ids: readonly string[]) => Promise<ReadonlySet<string>>): Promise<number> {
    return collectDirectory(this.root, cutoff, FILE_ID, referenced);
  }
}
