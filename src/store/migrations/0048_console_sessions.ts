import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
// Web console sessions in the store, so any node of a cluster serves a signed-in user (and a
// restart no longer signs everyone out). The cookie's token is stored only as its SHA-256: a
// reader of the database cannot sign in with it. The credential is named by its access key and
// looked up on each use, so a deleted key ends its sessions.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('console_sessions')
    .addColumn('token_sha256', 'text', (c) => c.primaryKey())
    .addColumn('access_key_id', 'text', (c) => c.notNull())
    .addColumn('csrf', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('console_sessions_created').on('console_sessions').columns(['created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('console_sessions').execute();
}
