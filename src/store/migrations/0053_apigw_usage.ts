import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // REST API usage plans: requests each API key made under a plan, per UTC day. GetUsage reads
  // them and the quota sums the days of its period, so both hold across restarts and nodes.
  await db.schema
    .createTable('apigw_usage')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('apigw_usage_pk', ['account_id', 'region', 'plan_id', 'key_id', 'day'])
    .execute();
  // A plan's throttle per key: the token bucket's level at `at_ms` (refilled at rateLimit/s up to burstLimit).
  await db.schema
    .createTable('apigw_throttle')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('apigw_throttle_pk', ['account_id', 'region', 'plan_id', 'key_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('apigw_throttle').execute();
  await db.schema.dropTable('apigw_usage').execute();
}
