import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Clock } from '../../../clock.js';
import type { BlobStore } from '../../../store/blobs.js';
import type { Store } from '../../../store/database.js';
import { UPLOAD_MAX_AGE_MS } from '../limits.js';
import type { RepositoryKey } from '../names.js';
import { allUploadIds, deleteUpload, findUpload, insertUpload, uploadsStartedBefore } from '../tables/uploads.js';

interface Upload {
  key: RepositoryKey;
  file: string;
  size: number;
  /** The hash of the bytes so far; null for an upload resumed after a restart until it is rebuilt. */
  hash: Hash | null;
  /** One body at a time: chunks of an upload arrive in order. */
  busy: boolean;
}

export class UploadBusy extends Error {}

/**
 * Blob uploads in progress (POST, then PATCH chunks, then PUT with the digest): each is a row in
 * `ecr_uploads` and a file under `ecr-uploads/` hashed as it grows, moved into the blob store when
 * the client's digest matches. Both survive a restart: the upload continues where the file ends
 * (its hash rebuilt from the file), as a client asking for the upload's status learns.
 */
export class BlobUploads {
  private readonly uploads = new Map<string, Upload>();

  constructor(
    private readonly dir: string,
    private readonly blobs: BlobStore,
    private readonly db: Store,
    private readonly clock: Clock,
  ) {}

  async start(key: RepositoryKey): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const id = randomUUID();
    const file = path.join(this.dir, id);
    // The row first: a file no row names is a crash's leftover, which purgeAbandoned deletes.
    await insertUpload(this.db, id, key, this.clock.now());
    await writeFile(file, '');
    this.uploads.set(id, { key, file, size: 0, hash: createHash('sha256'), busy: false });
    return id;
  }

  /** The upload of this repository with this id, if it exists. */
  async find(key: RepositoryKey, id: string): Promise<{ size: number } | undefined> {
    const upload = await this.load(id);
    return upload && sameRepository(upload.key, key) ? upload : undefined;
  }

  /** Appends a body to the upload; answers its size after. */
  async append(id: string, body: Readable): Promise<number> {
    const upload = await this.load(id);
    if (!upload) throw new Error(`upload ${id} is unknown`);
    if (upload.busy) throw new UploadBusy();
    upload.busy = true;
    try {
      const hash = await this.hashOf(upload);
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          upload.size += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(body, hashing, createWriteStream(upload.file, { flags: 'a' }));
      return upload.size;
    } finally {
      upload.busy = false;
    }
  }

  /**
   * Ends the upload: when its bytes hash to `digest` they become that blob (answers its size),
   * otherwise the upload is discarded and null answered, as the client must start over.
   */
  async finish(id: string, digest: string): Promise<number | null> {
    const upload = await this.load(id);
    if (!upload) throw new Error(`upload ${id} is unknown`);
    const actual = `sha256:${(await this.hashOf(upload)).digest('hex')}`;
    this.uploads.delete(id);
    await deleteUpload(this.db, id);
    if (actual !== digest) {
      await rm(upload.file, { force: true });
      return null;
    }
    await this.blobs.adopt(upload.file, digest.slice('sha256:'.length));
    return upload.size;
  }

  async cancel(id: string): Promise<void> {
    this.uploads.delete(id);
    await deleteUpload(this.db, id);
    await rm(path.join(this.dir, id), { force: true });
  }

  /** Every upload of every repository (a state reset): their rows, files and hashes so far. */
  async cancelAll(): Promise<void> {
    for (const id of new Set([...(await allUploadIds(this.db)), ...this.uploads.keys()])) await this.cancel(id);
  }

  /**
   * At start: uploads abandoned long ago are deleted, and so are files no upload row names (a
   * crash between creating one and recording it, or uploads from before they were recorded).
   */
  async purgeAbandoned(): Promise<void> {
    for (const id of await uploadsStartedBefore(this.db, this.clock.now() - UPLOAD_MAX_AGE_MS)) await this.cancel(id);
    const known = await allUploadIds(this.db);
    const files = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of files) if (!known.has(name)) await rm(path.join(this.dir, name), { force: true });
  }

  /** The upload in memory, or read back from its row and file (after a restart). */
  private async load(id: string): Promise<Upload | undefined> {
    const held = this.uploads.get(id);
    if (held) return held;
    const row = await findUpload(this.db, id);
    if (!row) return undefined;
    const file = path.join(this.dir, id);
    const size = await stat(file).then((s) => s.size, () => null);
    if (size === null) {
      await deleteUpload(this.db, id);
      return undefined;
    }
    const upload: Upload = { key: { accountId: row.account_id, region: row.region, name: row.repository }, file, size, hash: null, busy: false };
    return this.uploads.get(id) ?? (this.uploads.set(id, upload), upload);
  }

  /** The running hash; for a resumed upload, first rebuilt from the bytes already on disk. */
  private async hashOf(upload: Upload): Promise<Hash> {
    if (upload.hash) return upload.hash;
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(upload.file)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    upload.size = size;
    upload.hash = hash;
    return hash;
  }

  /** Forgets the uploads held in memory; their rows and files stay for the next start. */
  close(): void {
    this.uploads.clear();
  }
}

function sameRepository(a: RepositoryKey, b: RepositoryKey): boolean {
  return a.accountId === b.accountId && a.region === b.region && a.name === b.name;
}
