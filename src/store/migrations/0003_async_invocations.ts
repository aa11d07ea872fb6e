import type { Kysely } from 'kysely';

// The durable queue behind asynchronous invocation (one logical queue per function, in one table)
// and the counters of deliveries that failed (DLQ, destinations), which must never vanish silently.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('async_events')
    // Integer key assigned by the writer, in enqueue order.
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('function_name', 'text', (c) => c.notNull())
    .addColumn('qualifier', 'text')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('trace_id', 'text')
    .addColumn('payload', 'blob', (c) => c.notNull())
    .addColumn('enqueued_at', 'bigint', (c) => c.notNull())
    // Due time; a lease pushes it forward by the lease timeout, so an abandoned lease expires by itself.
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('leased', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('invoke_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('throttle_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_response', 'text')
    .execute();
  await db.schema.createIndex('async_events_due').on('async_events').columns(['next_attempt_at', 'id']).execute();
  await db.schema.createIndex('async_events_function').on('async_events').columns(['account_id', 'region', 'function_name']).execute();

  await db.schema
    .createTable('async_delivery_failures')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('function_name', 'text', (c) => c.notNull())
    // `DeadLetterErrors` or `DestinationDeliveryFailures`, as AWS names the CloudWatch metrics.
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('async_delivery_failures_pk', ['account_id', 'region', 'function_name', 'metric'])
    .execute();
}
