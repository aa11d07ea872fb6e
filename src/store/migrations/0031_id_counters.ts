import type { Kysely } from 'kysely';

// Ids several nodes assign in one table (async_events.id) come from a shared counter: a node
// reserves a block of ids with one atomic UPDATE and hands them out from memory, so two nodes
// never pick the same id (each used max(id)+1 from when it started). `next` is the first id not
// yet reserved. A SQLite store has one node and keeps counting in memory; the table stays empty.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('id_counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('id_counters').execute();
}
