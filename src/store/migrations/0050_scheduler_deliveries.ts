import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The start of the flexible time window of a schedule's next firing; `next_fire_at` is then a
  // random time within that window (equal to it with the window OFF). Null on rows written
  // before: their `next_fire_at` is the window's start.
  await db.schema.alterTable('scheduler_schedules').addColumn('window_start_at', 'bigint').execute();
  // EventBridge Scheduler's deliveries, a durable queue (store/queue): one row per firing, stored
  // with the claim of the firing, retried within the target's RetryPolicy, then dead-lettered.
  await db.schema
    .createTable('scheduler_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('schedule_arn', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('window_start_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('lease_owner', 'text')
    .execute();
  await db.schema.createIndex('scheduler_deliveries_due').on('scheduler_deliveries').column('next_attempt_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('scheduler_deliveries').execute();
  await db.schema.alterTable('scheduler_schedules').dropColumn('window_start_at').execute();
}
