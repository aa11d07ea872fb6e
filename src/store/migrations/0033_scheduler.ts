import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // EventBridge Scheduler: schedule groups (`default` is written on first use) and schedules, each
  // schedule an AWS-shaped JSON document. `next_fire_at` (epoch ms, null when it never fires
  // again) is what the runner looks up; it is moved forward in the write that claims a firing.
  await db.schema
    .createTable('scheduler_groups')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scheduler_groups_pk', ['account_id', 'region', 'name'])
    .execute();
  await db.schema
    .createTable('scheduler_schedules')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('next_fire_at', 'bigint')
    .addPrimaryKeyConstraint('scheduler_schedules_pk', ['account_id', 'region', 'group_name', 'name'])
    .execute();
  await db.schema.createIndex('scheduler_schedules_due').on('scheduler_schedules').column('next_fire_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('scheduler_schedules').execute();
  await db.schema.dropTable('scheduler_groups').execute();
}
