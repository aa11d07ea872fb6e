import type { Kysely } from 'kysely';

// Cluster coordination on a shared PostgreSQL store (both engines get the tables; a SQLite store
// has one member, itself).
// - `cluster_members`: one row per running node, refreshed by its heartbeat. `lease_prefix` starts
//   every durable-queue lease owner id the node uses, so once its heartbeat is older than the
//   expiry the survivors can hand its queue leases back at once instead of waiting them out.
//   `load` is the node's self-reported load (JSON) for GET /_lambkin/cluster.
// - `cluster_leases`: singleton work (a stream mapping's pollers) owned by one node at a time;
//   the owner renews `expires_at`, another node takes the row once it is past.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cluster_members')
    .addColumn('node_id', 'text', (c) => c.primaryKey())
    .addColumn('lease_prefix', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
    .addColumn('draining', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('load', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cluster_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cluster_leases').execute();
  await db.schema.dropTable('cluster_members').execute();
}
