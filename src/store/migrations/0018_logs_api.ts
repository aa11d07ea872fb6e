import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // What the CloudWatch Logs API keeps per group besides its events: retention (null = never
  // expire, AWS's default), tags as a JSON object, the KMS key and class it was created with.
  await db.schema.alterTable('logs_groups').addColumn('retention_in_days', 'integer').execute();
  await db.schema.alterTable('logs_groups').addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  await db.schema.alterTable('logs_groups').addColumn('kms_key_id', 'text').execute();
  await db.schema.alterTable('logs_groups').addColumn('log_group_class', 'text', (c) => c.notNull().defaultTo('STANDARD')).execute();

  // Metric filters: `transformations` is the JSON list PutMetricFilter received.
  await db.schema
    .createTable('logs_metric_filters')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('pattern', 'text', (c) => c.notNull())
    .addColumn('transformations', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('logs_metric_filters_pk', ['account_id', 'region', 'group_name', 'name'])
    .execute();

  await db.schema
    .createTable('logs_subscription_filters')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('pattern', 'text', (c) => c.notNull())
    .addColumn('destination_arn', 'text', (c) => c.notNull())
    .addColumn('role_arn', 'text')
    .addColumn('distribution', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('logs_subscription_filters_pk', ['account_id', 'region', 'group_name', 'name'])
    .execute();
}

