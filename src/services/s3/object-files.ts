import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Object and part bodies on disk: `<dataDir>/s3/objects/<aa>/<id>`. A body is first written under
 * `tmp/` while it streams in, then renamed to its id, so no file under `objects/` is ever partial.
 * Each object version owns its file; rows in the store name it by `file_id`.
 */
export class ObjectFiles {
  private readonly objectsDir: string;
  private readonly tmpDir: string;
  private ready: Promise<void> | undefined;

  constructor(root: string) {
    this.objectsDir = path.join(root, 'objects');
    this.tmpDir = path.join(root, 'tmp');
  }

  private ensureDirs(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.objectsDir, { recursive: true });
      // Leftovers of uploads interrupted by a crash.
      await rm(this.tmpDir, { recursive: true, force: true });
      await mkdir(this.tmpDir, { recursive: true });
    })();
    return this.ready;
  }

  pathOf(fileId: string): string {
    return path.join(this.objectsDir, fileId.slice(0, 2), fileId);
  }

  async createTemp(): Promise<{ tempPath: string; stream: WriteStream }> {
    const tempPath = await this.newTempPath();
    return { tempPath, stream: createWriteStream(tempPath) };
  }

  async newTempPath(): Promise<string> {
    await this.ensureDirs();
    return path.join(this.tmpDir, randomUUID());
  }

  /** Moves a finished temp file under a fresh id. */
  async keep(tempPath: string): Promise<string> {
    const fileId = randomUUID().replace(/-/g, '');
    const target = this.pathOf(fileId);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(tempPath, target);
    return fileId;
  }

  read(fileId: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.pathOf(fileId), range ? { start: range.start, end: range.end } : {});
  }

  async discardTemp(tempPath: string): Promise<void> {
    await rm(tempPath, { force: true });
  }

  /**
   * Removes files no row names: bodies kept just before a crash stopped their transaction, or
   * replaced just before a crash stopped their removal. Run before the server takes requests.
   */
  async sweep(referenced: Set<string>): Promise<number> {
    await this.ensureDirs();
    let removed = 0;
    for (const dir of await readdir(this.objectsDir)) {
      for (const fileId of await readdir(path.join(this.objectsDir, dir))) {
        if (referenced.has(fileId)) continue;
        await rm(path.join(this.objectsDir, dir, fileId), { force: true });
        removed++;
      }
    }
    return removed;
  }

  async remove(fileIds: Iterable<string | null>): Promise<void> {
    for (const id of fileIds) if (id) await rm(this.pathOf(id), { force: true });
  }
}
