import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // CloudWatch metric data, one row per series, unit and aggregation period: a statistic set plus,
  // where every value is known, their distribution (JSON [[value, count], …]) for percentiles.
  // `dimensions` is the canonical JSON [[name, value], …] sorted by name, so a series has one key.
  // `period_s` is 1 for high-resolution data and grows (60, 300, 3600) as the retention sweep
  // rolls old points up, as CloudWatch keeps them.
  await db.schema
    .createTable('cw_metric_datapoints')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('metric_name', 'text', (c) => c.notNull())
    .addColumn('dimensions', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('period_s', 'integer', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('sample_count', 'double precision', (c) => c.notNull())
    .addColumn('sum', 'double precision', (c) => c.notNull())
    .addColumn('minimum', 'double precision', (c) => c.notNull())
    .addColumn('maximum', 'double precision', (c) => c.notNull())
    .addColumn('distribution', 'text')
    .addPrimaryKeyConstraint('cw_metric_datapoints_pk', ['account_id', 'region', 'namespace', 'metric_name', 'dimensions', 'unit', 'period_s', 'timestamp'])
    .execute();
  await db.schema.createIndex('cw_metric_datapoints_age').on('cw_metric_datapoints').columns(['period_s', 'timestamp']).execute();

  // Metric alarms: the PutMetricAlarm input as given (JSON), and the state the evaluator keeps.
  await db.schema
    .createTable('cw_alarms')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('alarm_name', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('actions_enabled', 'integer', (c) => c.notNull())
    .addColumn('state_value', 'text', (c) => c.notNull())
    .addColumn('state_reason', 'text', (c) => c.notNull())
    .addColumn('state_reason_data', 'text')
    .addColumn('state_updated_at', 'bigint', (c) => c.notNull())
    .addColumn('state_transitioned_at', 'bigint', (c) => c.notNull())
    .addColumn('configuration_updated_at', 'bigint', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addPrimaryKeyConstraint('cw_alarms_pk', ['account_id', 'region', 'alarm_name'])
    .execute();

  await db.schema
    .createTable('cw_alarm_history')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('alarm_name', 'text', (c) => c.notNull())
    .addColumn('alarm_type', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('history_item_type', 'text', (c) => c.notNull())
    .addColumn('history_summary', 'text', (c) => c.notNull())
    .addColumn('history_data', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cw_alarm_history_alarm_time').on('cw_alarm_history').columns(['account_id', 'region', 'alarm_name', 'timestamp']).execute();

  // What the bill needs of each invocation besides memory and duration: the architecture (its own
  // GB-s price), ephemeral storage above the free 512 MB, and whether a provisioned environment ran
  // it (its lower duration price). Null on rows written before: x86_64, 512 MB, on-demand.
  await db.schema.alterTable('usage_records').addColumn('architecture', 'text').execute();
  await db.schema.alterTable('usage_records').addColumn('ephemeral_storage_mb', 'integer').execute();
  await db.schema.alterTable('usage_records').addColumn('provisioned', 'integer').execute();

  // Provisioned concurrency is billed for as long as it is allocated: one row per allocation,
  // closed (`ended_at`) when it changes or goes.
  await db.schema
    .createTable('provisioned_concurrency_usage')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('function_name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('memory_mb', 'integer', (c) => c.notNull())
    .addColumn('architecture', 'text', (c) => c.notNull())
    .addColumn('concurrency', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('provisioned_concurrency_usage_function')
    .on('provisioned_concurrency_usage')
    .columns(['account_id', 'region', 'function_name', 'version', 'ended_at'])
    .execute();
}
