import type { Kysely } from 'kysely';

// Two lookups that read every row of a backlog:
// - the asynchronous worker leases past the functions it has paused (throttled). Walking the due
//   index it read every queued event of those functions on each lease, so one throttled function
//   with a large backlog slowed every other function's events. With (function_name, due order) a
//   lease visits each queued function once (its name, then its oldest due events);
// - each FIFO send deletes its queue's expired deduplication ids, which read all of the queue's
//   ids inside the 5-minute window; (queue_arn, expires_at) reads only the expired ones.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('async_events_function_due').on('async_events').columns(['function_name', 'next_attempt_at', 'id']).execute();
  await db.schema.createIndex('sqs_dedup_expiry').on('sqs_dedup').columns(['queue_arn', 'expires_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sqs_dedup_expiry').execute();
  await db.schema.dropIndex('async_events_function_due').execute();
}
