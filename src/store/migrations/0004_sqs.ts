import type { Kysely } from 'kysely';

// Embedded SQS: queues, their messages (one row per message; `seq` is assigned by the single
// writer and orders FIFO groups), and FIFO deduplication ids inside their 5-minute window.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sqs_queues')
    .addColumn('arn', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('modified_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sqs_messages')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('queue_arn', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // JSON: message attributes, system values (sender, trace header, group, dedup, sequence number).
    .addColumn('attributes', 'text')
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('visible_at', 'bigint', (c) => c.notNull())
    .addColumn('receive_count', 'integer', (c) => c.notNull())
    .addColumn('first_receive_at', 'bigint')
    .addColumn('receipt_token', 'text')
    .execute();
  await db.schema.createIndex('sqs_messages_queue').on('sqs_messages').columns(['queue_arn', 'seq']).execute();

  await db.schema
    .createTable('sqs_dedup')
    .addColumn('queue_arn', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('sequence_number', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sqs_dedup_pk', ['queue_arn', 'key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sqs_dedup').execute();
  await db.schema.dropTable('sqs_messages').execute();
  await db.schema.dropTable('sqs_queues').execute();
}
