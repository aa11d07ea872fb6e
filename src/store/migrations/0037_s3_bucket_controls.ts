import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A bucket's CORS rules, lifecycle rules, ACL and Block Public Access settings, each a JSON
  // document (null when the bucket has none), and an object's ACL (null: private, the default).
  await db.schema.alterTable('s3_buckets').addColumn('cors', 'text').execute();
  await db.schema.alterTable('s3_buckets').addColumn('lifecycle', 'text').execute();
  await db.schema.alterTable('s3_buckets').addColumn('acl', 'text').execute();
  await db.schema.alterTable('s3_buckets').addColumn('public_access_block', 'text').execute();
  await db.schema.alterTable('s3_objects').addColumn('acl', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('s3_objects').dropColumn('acl').execute();
  for (const column of ['public_access_block', 'acl', 'lifecycle', 'cors']) {
    await db.schema.alterTable('s3_buckets').dropColumn(column).execute();
  }
}
