import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileExists } from '../../store/file-exists.js';

/**
 * Where bodies live when several nodes serve one store (a PostgreSQL store's chunk tables): each
 * body is stored there under its file id before the row naming it commits, so any node can serve
 * it; a node's own directory is then a cache of what it wrote or read.
 */
export interface SharedObjectBodies {
  /** Stores the file's bytes under `id`, streamed. */
  store(id: string, file: string): Promise<void>;
  /** Writes the body `id` into `file`, streamed; false when it is not stored. */
  fetch(id: string, file: string): Promise<boolean>;
  remove(ids: readonly string[]): Promise<void>;
}

/**
 * Object and part bodies on disk: `<dataDir>/s3/objects/<aa>/<id>`. A body is first written under
 * `tmp/` while it streams in, then renamed to its id, so no file under `objects/` is ever partial.
 * Each object version owns its file; rows in the store name it by `file_id`. A file id is never
 * reused for other bytes, so a node's cached copy of a shared body never goes stale.
 */
export class ObjectFiles {
  private readonly objectsDir: string;
  private readonly tmpDir: string;
  private ready: Promise<void> | undefined;
  /** Fetches of shared bodies under way, so concurrent readers of one body fetch it once. */
  private readonly fetching = new Map<string, Promise<string>>();

  constructor(
    root: string,
    private readonly shared?: SharedObjectBodies,
  ) {
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
    await this.shared?.store(fileId, target);
    return fileId;
  }

  read(fileId: string, range?: { start: number; end: number }): Readable {
    const options = range ? { start: range.start, end: range.end } : {};
    if (!this.shared) return createReadStream(this.pathOf(fileId), options);
    const local = this.localPath(fileId);
    return Readable.from((async function* () {
      yield* createReadStream(await local, options);
    })(), { objectMode: false });
  }

  /** The body's file on this node, fetched from shared storage first when another node wrote it. */
  async localPath(fileId: string): Promise<string> {
    const target = this.pathOf(fileId);
    if (!this.shared || (await fileExists(target))) return target;
    let fetch = this.fetching.get(fileId);
    if (!fetch) {
      fetch = this.fetchShared(fileId, target).finally(() => this.fetching.delete(fileId));
      this.fetching.set(fileId, fetch);
    }
    return fetch;
  }

  private async fetchShared(fileId: string, target: string): Promise<string> {
    const temp = await this.newTempPath();
    try {
      // Not stored: the read fails as a missing local file would (the row went meanwhile).
      if (await this.shared!.fetch(fileId, temp)) {
        await mkdir(path.dirname(target), { recursive: true });
        await rename(temp, target);
      }
    } finally {
      await rm(temp, { force: true });
    }
    return target;
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
    const removed: string[] = [];
    for (const id of fileIds) {
      if (!id) continue;
      await rm(this.pathOf(id), { force: true });
      removed.push(id);
    }
    // Other nodes' cached copies stay until their next start's sweep (no row names them).
    if (removed.length > 0) await this.shared?.remove(removed);
  }
}
