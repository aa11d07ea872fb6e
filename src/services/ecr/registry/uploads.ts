import { createHash, randomUUID, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { BlobStore } from '../../../store/blobs.js';
import type { RepositoryKey } from '../names.js';

interface Upload {
  key: RepositoryKey;
  file: string;
  size: number;
  hash: Hash;
  /** One body at a time: chunks of an upload arrive in order. */
  busy: boolean;
}

export class UploadBusy extends Error {}

/**
 * Blob uploads in progress (POST, then PATCH chunks, then PUT with the digest): each is a file
 * under `ecr-uploads/` hashed as it grows, moved into the blob store when the client's digest
 * matches. Sessions live in memory: an upload interrupted by a restart starts again, as a client
 * does after any failed upload.
 */
export class BlobUploads {
  private readonly uploads = new Map<string, Upload>();

  constructor(
    private readonly dir: string,
    private readonly blobs: BlobStore,
  ) {}

  async start(key: RepositoryKey): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const id = randomUUID();
    this.uploads.set(id, { key, file: path.join(this.dir, id), size: 0, hash: createHash('sha256'), busy: false });
    return id;
  }

  /** The upload of this repository with this id, if it exists. */
  find(key: RepositoryKey, id: string): { size: number } | undefined {
    const upload = this.uploads.get(id);
    return upload && sameRepository(upload.key, key) ? upload : undefined;
  }

  /** Appends a body to the upload; answers its size after. */
  async append(id: string, body: Readable): Promise<number> {
    const upload = this.uploads.get(id);
    if (!upload) throw new Error(`upload ${id} is unknown`);
    if (upload.busy) throw new UploadBusy();
    upload.busy = true;
    try {
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          upload.hash.update(chunk);
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
    const upload = this.uploads.get(id);
    if (!upload) throw new Error(`upload ${id} is unknown`);
    this.uploads.delete(id);
    const actual = `sha256:${upload.hash.digest('hex')}`;
    if (actual !== digest) {
      await rm(upload.file, { force: true });
      return null;
    }
    // An upload of no bytes never opened its file.
    if (upload.size === 0) await writeFile(upload.file, '', { flag: 'a' });
    await this.blobs.adopt(upload.file, digest.slice('sha256:'.length));
    return upload.size;
  }

  async cancel(id: string): Promise<void> {
    const upload = this.uploads.get(id);
    this.uploads.delete(id);
    if (upload) await rm(upload.file, { force: true });
  }

  async close(): Promise<void> {
    for (const id of [...this.uploads.keys()]) await this.cancel(id);
  }
}

function sameRepository(a: RepositoryKey, b: RepositoryKey): boolean {
  return a.accountId === b.accountId && a.region === b.region && a.name === b.name;
}
