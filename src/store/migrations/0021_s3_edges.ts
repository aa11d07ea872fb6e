import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Server access logging: the bucket's LoggingEnabled (JSON {targetBucket, targetPrefix}), null when off.
  await db.schema.alterTable('s3_buckets').addColumn('logging', 'text').execute();

  // A completed multipart upload, kept for a while so completing it again with the same parts
  // answers as the first completion did (S3's idempotent CompleteMultipartUpload).
  // `parts` is the JSON [[partNumber, etag], …] that was completed.
  await db.schema
    .createTable('s3_completed_uploads')
    .addColumn('upload_id', 'text', (c) => c.primaryKey())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('parts', 'text', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('checksum', 'text')
    .addColumn('completed_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('s3_completed_uploads_age').on('s3_completed_uploads').column('completed_at').execute();
}
