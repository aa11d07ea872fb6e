import type { Kysely } from 'kysely';

// Concurrency held across the nodes of a cluster: one row per running execution that draws on a
// limit (`scope`: a function's reservation or an account's unreserved pool), numbered below that
// limit, so the primary key alone keeps the executions of all nodes within it. The owning node
// renews `expires_at` with its heartbeat and deletes the row when the execution ends; a dead
// node's rows run out (or go when its member row is removed). Used on PostgreSQL only.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('concurrency_slots')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('concurrency_slots_pk', ['scope', 'slot'])
    .execute();
  await db.schema.createIndex('concurrency_slots_owner').on('concurrency_slots').columns(['owner']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('concurrency_slots').execute();
}
