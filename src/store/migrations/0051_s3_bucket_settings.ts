import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A bucket's ownership controls (ObjectOwnership), default encryption (JSON of the rule) and
  // requester-pays flag, each null while the bucket keeps S3's default.
  await db.schema.alterTable('s3_buckets').addColumn('object_ownership', 'text').execute();
  await db.schema.alterTable('s3_buckets').addColumn('encryption', 'text').execute();
  await db.schema.alterTable('s3_buckets').addColumn('requester_pays', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['requester_pays', 'encryption', 'object_ownership']) {
    await db.schema.alterTable('s3_buckets').dropColumn(column).execute();
  }
}
