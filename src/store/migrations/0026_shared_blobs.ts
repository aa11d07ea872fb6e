import type { Kysely } from 'kysely';

// Content-addressed blobs (code zips, layers, container image layers) in the database, for a
// PostgreSQL store whose nodes share no disk: `blobs` holds one row per blob, `blob_chunks` its
// bytes in order, at most 1 MiB a row, so a blob is written and read a chunk at a time. `complete`
// turns 1 once every chunk is in (a reader never sees a half-written blob); `stored_at` is the last
// time a writer stored or re-stored it, which garbage collection leaves alone for a grace period so
// that a blob whose referencing row is not committed yet is never taken. The SQLite store keeps its
// blobs in files and leaves these tables empty (the same schema on both engines).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('blobs')
    .addColumn('hex', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('complete', 'integer', (c) => c.notNull())
    .addColumn('stored_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('blobs_stored_at').on('blobs').columns(['stored_at']).execute();
  await db.schema
    .createTable('blob_chunks')
    .addColumn('hex', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('blob_chunks_pk', ['hex', 'seq'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('blob_chunks').execute();
  await db.schema.dropTable('blobs').execute();
}
