import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A bucket's static website configuration (JSON: index and error documents, routing rules, or a
  // redirect of every request), null when the bucket is not a website.
  await db.schema.alterTable('s3_buckets').addColumn('website', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('s3_buckets').dropColumn('website').execute();
}
