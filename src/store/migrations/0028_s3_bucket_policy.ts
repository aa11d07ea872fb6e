import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A bucket's policy (PutBucketPolicy), the JSON text as given; null when it has none.
  await db.schema.alterTable('s3_buckets').addColumn('policy', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('s3_buckets').dropColumn('policy').execute();
}
