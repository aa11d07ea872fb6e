import type { Kysely } from 'kysely';

// Function logs shaped like CloudWatch Logs (groups → streams → events) and one usage record per
// invocation. Ids are assigned by the single writer, so no dialect-specific auto-increment.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('logs_groups')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('logs_groups_pk', ['account_id', 'region', 'name'])
    .execute();

  await db.schema
    .createTable('logs_streams')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('first_event_timestamp', 'bigint')
    .addColumn('last_event_timestamp', 'bigint')
    .addColumn('last_ingestion_time', 'bigint')
    .addUniqueConstraint('logs_streams_name_uq', ['account_id', 'region', 'group_name', 'name'])
    .execute();

  // Events are stored in batches: consecutive events of one stream written by one flush share a
  // row (`events` = JSON [[timestampMs, message], …]). A row per event costs ~10 µs of SQLite time
  // each, too much at thousands of invocations a second on the server's own thread.
  await db.schema
    .createTable('logs_event_batches')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('stream_id', 'integer', (c) => c.notNull())
    .addColumn('first_timestamp', 'bigint', (c) => c.notNull())
    .addColumn('last_timestamp', 'bigint', (c) => c.notNull())
    .addColumn('ingestion_time', 'bigint', (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('logs_event_batches_stream_time').on('logs_event_batches').columns(['stream_id', 'last_timestamp']).execute();

  await db.schema
    .createTable('usage_records')
    // Integer key, assigned by the writer: a text key would cost a second index on every insert.
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('function_name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('memory_mb', 'integer', (c) => c.notNull())
    .addColumn('duration_ms', 'double precision', (c) => c.notNull())
    .addColumn('billed_ms', 'integer', (c) => c.notNull())
    .addColumn('init_ms', 'double precision')
    .addColumn('max_memory_used_mb', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('usage_records_function_time')
    .on('usage_records')
    .columns(['account_id', 'region', 'function_name', 'timestamp'])
    .execute();
}
