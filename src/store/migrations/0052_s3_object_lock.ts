import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Object Lock: the bucket's configuration (JSON {enabled, rule?}, null: not enabled), and each
  // version's retention (mode and retain-until time in ms) and legal hold (1: on).
  await db.schema.alterTable('s3_buckets').addColumn('object_lock', 'text').execute();
  await db.schema.alterTable('s3_objects').addColumn('lock_mode', 'text').execute();
  await db.schema.alterTable('s3_objects').addColumn('lock_until', 'bigint').execute();
  await db.schema.alterTable('s3_objects').addColumn('legal_hold', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['legal_hold', 'lock_until', 'lock_mode']) await db.schema.alterTable('s3_objects').dropColumn(column).execute();
  await db.schema.alterTable('s3_buckets').dropColumn('object_lock').execute();
}
