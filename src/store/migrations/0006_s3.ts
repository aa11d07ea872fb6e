import type { Kysely } from 'kysely';

// Embedded S3: buckets, object versions (bodies are files under <dataDir>/s3/objects), multipart
// uploads, and the notification outbox written in the same transaction as the object change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('s3_buckets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('versioning', 'text')
    .addColumn('tags', 'text')
    .addColumn('notification', 'text')
    .execute();

  await db.schema
    .createTable('s3_objects')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('sequence', 'bigint', (c) => c.notNull())
    .addColumn('is_latest', 'integer', (c) => c.notNull())
    .addColumn('is_delete_marker', 'integer', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('last_modified', 'bigint', (c) => c.notNull())
    .addColumn('file_id', 'text')
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('tags', 'text')
    .addColumn('checksum', 'text')
    .addColumn('parts_count', 'integer')
    .addColumn('part_sizes', 'text')
    .addPrimaryKeyConstraint('s3_objects_pk', ['bucket', 'key', 'version_id'])
    .execute();
  await db.schema.createIndex('s3_objects_latest').on('s3_objects').columns(['bucket', 'is_latest', 'key']).execute();

  await db.schema
    .createTable('s3_uploads')
    .addColumn('upload_id', 'text', (c) => c.primaryKey())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('initiated', 'bigint', (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('tags', 'text')
    .addColumn('checksum_algorithm', 'text')
    .addColumn('checksum_type', 'text')
    .execute();
  await db.schema.createIndex('s3_uploads_bucket').on('s3_uploads').columns(['bucket', 'key', 'initiated']).execute();

  await db.schema
    .createTable('s3_upload_parts')
    .addColumn('upload_id', 'text', (c) => c.notNull())
    .addColumn('part_number', 'integer', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('etag', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('last_modified', 'bigint', (c) => c.notNull())
    .addColumn('checksum', 'text')
    .addPrimaryKeyConstraint('s3_upload_parts_pk', ['upload_id', 'part_number'])
    .execute();

  await db.schema
    .createTable('s3_counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('s3_notification_outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('s3_notification_outbox_due').on('s3_notification_outbox').columns(['next_attempt_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['s3_notification_outbox', 's3_counters', 's3_upload_parts', 's3_uploads', 's3_objects', 's3_buckets']) {
    await db.schema.dropTable(table).execute();
  }
}
