import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // EventBridge connections: how to authorize against an HTTP endpoint. `auth_parameters` holds
  // the request's AuthParameters with their secrets (never returned by the API); `arn_suffix` is
  // the random part of the connection's ARN.
  await db.schema
    .createTable('events_connections')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('arn_suffix', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('authorization_type', 'text', (c) => c.notNull())
    .addColumn('auth_parameters', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('modified_at', 'bigint', (c) => c.notNull())
    .addColumn('authorized_at', 'bigint')
    .addPrimaryKeyConstraint('events_connections_pk', ['account_id', 'region', 'name'])
    .execute();
  // API destinations: an HTTP endpoint, its method and rate limit, and the connection it uses.
  await db.schema
    .createTable('events_api_destinations')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('arn_suffix', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('connection_name', 'text', (c) => c.notNull())
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('http_method', 'text', (c) => c.notNull())
    .addColumn('rate_limit_per_second', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('modified_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('events_api_destinations_pk', ['account_id', 'region', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('events_api_destinations').execute();
  await db.schema.dropTable('events_connections').execute();
}
