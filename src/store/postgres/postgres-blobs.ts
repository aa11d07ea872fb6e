import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type { Clock } from '../../clock.js';
import type { SharedBlobs } from '../blobs.js';
import type { Store } from '../database.js';

/** Bytes per `blob_chunks` row: a blob is written and read one chunk at a time, never whole. */
export const BLOB_CHUNK_BYTES = 1024 * 1024;
/** Blobs per garbage-collection statement. */
const COLLECT_BATCH = 500;

/**
 * Blobs in the PostgreSQL store (migration 0026), which every node reaches: `blobs` says which
 * are complete, `blob_chunks` holds their bytes. Chunk boundaries depend only on the bytes, so two
 * nodes storing the same blob at once write the same rows (the second's are skipped).
 *
 * Content-addressed blobs (code, layers, images) are named by their SHA-256, checked on fetch.
 * S3 object bodies are named by their file id (`hashNames: false`): same tables, same streaming
 * and collection (blob-references.ts knows their rows), no hash to check.
 */
export class PostgresBlobs implements SharedBlobs {
  constructor(
    private readonly db: Store,
    private readonly clock: Clock,
    private readonly options: { hashNames: boolean } = { hashNames: true },
  ) {}

  async store(hex: string, file: string): Promise<void> {
    // Already complete: only its time moves (which also keeps collection off it, see blobs.ts).
    const refreshed = await this.db.updateTable('blobs').set({ stored_at: this.clock.now() }).where('hex', '=', hex).where('complete', '=', 1).executeTakeFirst();
    if (Number(refreshed.numUpdatedRows) === 1) return;
    const { size } = await stat(file);
    await this.db
      .insertInto('blobs')
      .values({ hex, size, complete: 0, stored_at: this.clock.now() })
      .onConflict((oc) => oc.column('hex').doUpdateSet({ stored_at: this.clock.now() }))
      .execute();
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(BLOB_CHUNK_BYTES);
      for (let seq = 0; seq * BLOB_CHUNK_BYTES < size; seq++) {
        const length = await readFully(handle, buffer, seq * BLOB_CHUNK_BYTES);
        await this.db
          .insertInto('blob_chunks')
          .values({ hex, seq, data: buffer.subarray(0, length) })
          .onConflict((oc) => oc.columns(['hex', 'seq']).doNothing())
          .execute();
      }
    } finally {
      await handle.close();
    }
    const done = await this.db.updateTable('blobs').set({ complete: 1, stored_at: this.clock.now() }).where('hex', '=', hex).executeTakeFirst();
    // Collected while incomplete (a write slower than the grace period): store it again.
    if (Number(done.numUpdatedRows) !== 1) await this.store(hex, file);
  }

  async fetch(hex: string, file: string): Promise<boolean> {
    const row = await this.db.selectFrom('blobs').select(['size']).where('hex', '=', hex).where('complete', '=', 1).executeTakeFirst();
    if (!row) return false;
    const hash = createHash('sha256');
    const handle = await open(file, 'w', 0o600);
    try {
      for (let seq = 0; seq * BLOB_CHUNK_BYTES < row.size; seq++) {
        const chunk = await this.db.selectFrom('blob_chunks').select('data').where('hex', '=', hex).where('seq', '=', seq).executeTakeFirst();
        if (!chunk) throw new Error(`blob ${hex} is missing chunk ${seq}`);
        hash.update(chunk.data);
        await handle.write(chunk.data);
      }
    } finally {
      await handle.close();
    }
    if (this.options.hashNames && hash.digest('hex') !== hex) throw new Error(`blob ${hex} does not hash to its name`);
    return true;
  }

  /** Removes blobs at once (a deleted S3 object's body), not waiting for collection. */
  async remove(hexes: readonly string[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('blobs').where('hex', 'in', hexes).execute();
      await trx.deleteFrom('blob_chunks').where('hex', 'in', hexes).execute();
    });
  }

  async has(hex: string): Promise<boolean> {
    return (await this.db.selectFrom('blobs').select('hex').where('hex', '=', hex).where('complete', '=', 1).executeTakeFirst()) !== undefined;
  }

  async collect(cutoff: number, referenced: (hexes: readonly string[]) => Promise<ReadonlySet<string>>): Promise<number> {
    let removed = 0;
    let after = '';
    for (;;) {
      const rows = await this.db.selectFrom('blobs').select('hex').where('stored_at', '<', cutoff).where('hex', '>', after).orderBy('hex').limit(COLLECT_BATCH).execute();
      if (rows.length === 0) return removed;
      after = rows[rows.length - 1]!.hex;
      const kept = await referenced(rows.map((r) => r.hex));
      const gone = rows.map((r) => r.hex).filter((hex) => !kept.has(hex));
      if (gone.length === 0) continue;
      // One transaction: a blob's row and its chunks go together. `stored_at` is checked again
      // under the row's lock, so a writer that refreshed it meanwhile keeps it; one that refreshes
      // after finds no row and stores it anew.
      removed += await this.db.transaction().execute(async (trx) => {
        const deleted = await trx.deleteFrom('blobs').where('hex', 'in', gone).where('stored_at', '<', cutoff).returning('hex').execute();
        if (deleted.length > 0) await trx.deleteFrom('blob_chunks').where('hex', 'in', deleted.map((r) => r.hex)).execute();
        return deleted.length;
      });
    }
  }
}

/** Reads up to `buffer.length` bytes at `position` (short only at the end of the file). */
async function readFully(handle: import('node:fs/promises').FileHandle, buffer: Buffer, position: number): Promise<number> {
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}
