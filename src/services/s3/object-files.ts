import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
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

  async remove(fileIds: Iterable<string | null>): Promise<void> {
    for (const id of fileIds) if (id) await rm(this.pathOf(id), { force: true });
  }
}
