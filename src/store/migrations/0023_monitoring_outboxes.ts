import type { Kysely } from 'kysely';

// Two outboxes, consumers of the durable queue (store/queue), so that what CloudWatch owes after a
// change is written in the change's own transaction and survives a crash before it is handed on:
// - cw_alarm_actions: one row per action of an alarm state change (an SNS publish or a Lambda
//   invoke), its rendered message, written with the new state and its history entry;
// - logs_subscription_deliveries: one row per awslogs document (a stream's matching events for one
//   subscription filter), written with the log events themselves.
// And Logs Insights queries with their status and results, so GetQueryResults answers after a
// restart (AWS keeps a query's results for 7 days).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cw_alarm_actions')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('alarm_name', 'text', (c) => c.notNull())
    .addColumn('action_arn', 'text', (c) => c.notNull())
    // The state change's time: its history entries name it (`stateUpdateTimestamp`).
    .addColumn('state_updated_at', 'bigint', (c) => c.notNull())
    // JSON: an SNS `{subject, message}` or the Lambda event.
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('cw_alarm_actions_due').on('cw_alarm_actions').columns(['next_attempt_at']).execute();

  await db.schema
    .createTable('logs_subscription_deliveries')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('filter_name', 'text', (c) => c.notNull())
    .addColumn('destination_arn', 'text', (c) => c.notNull())
    // JSON: the awslogs document (messageType, owner, logGroup, logStream, subscriptionFilters, logEvents).
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('logs_subscription_deliveries_due').on('logs_subscription_deliveries').columns(['next_attempt_at']).execute();

  await db.schema
    .createTable('logs_insights_queries')
    .addColumn('query_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('query_string', 'text', (c) => c.notNull())
    // JSON: the groups' names as given back by DescribeQueries.
    .addColumn('log_group_names', 'text', (c) => c.notNull())
    // What a query needs to run again after a restart: the time range (ms) and the result limit.
    .addColumn('start_ms', 'bigint', (c) => c.notNull())
    .addColumn('end_ms', 'bigint', (c) => c.notNull())
    .addColumn('result_limit', 'integer', (c) => c.notNull())
    .addColumn('create_time', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // JSON: results and statistics, once Complete.
    .addColumn('output', 'text')
    .execute();
  await db.schema.createIndex('logs_insights_queries_scope_time').on('logs_insights_queries').columns(['account_id', 'region', 'create_time']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('logs_insights_queries').execute();
  await db.schema.dropTable('logs_subscription_deliveries').execute();
  await db.schema.dropTable('cw_alarm_actions').execute();
}
