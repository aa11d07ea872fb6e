import type { Kysely } from 'kysely';

// Secrets every node of a cluster shares, read from the one database they all reach: `node-call`
// authenticates the requests one node sends another (store/cluster/node-calls.ts). The first node
// to start inserts it; the others find it (insert-if-absent, so two starting together agree).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cluster_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cluster_secrets').execute();
}
