import type { Kysely } from 'kysely';

// SNS: topics, subscriptions, and the deliveries a publish owes, stored before Publish answers so
// a crash never loses one (at-least-once; the drainer deletes a row only after its target accepted).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sns_topics')
    .addColumn('arn', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sns_topics_scope').on('sns_topics').columns(['account_id', 'region', 'arn']).execute();

  await db.schema
    .createTable('sns_subscriptions')
    .addColumn('arn', 'text', (c) => c.primaryKey())
    .addColumn('topic_arn', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('attributes', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('token', 'text')
    .addColumn('token_expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sns_subscriptions_topic').on('sns_subscriptions').columns(['topic_arn', 'arn']).execute();
  await db.schema.createIndex('sns_subscriptions_scope').on('sns_subscriptions').columns(['account_id', 'region', 'arn']).execute();

  await db.schema
    .createTable('sns_deliveries')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('subscription_arn', 'text', (c) => c.notNull())
    .addColumn('topic_arn', 'text', (c) => c.notNull())
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('endpoint', 'text', (c) => c.notNull())
    // FIFO: subscription + message group; only the oldest row of a group is ever attempted.
    .addColumn('group_key', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sns_deliveries_due').on('sns_deliveries').columns(['next_attempt_at', 'id']).execute();
  await db.schema.createIndex('sns_deliveries_group').on('sns_deliveries').columns(['group_key', 'id']).execute();

  // FIFO topics: deduplication ids seen in the last five minutes.
  await db.schema
    .createTable('sns_fifo_dedup')
    .addColumn('topic_arn', 'text', (c) => c.notNull())
    .addColumn('dedup_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('sequence_number', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sns_fifo_dedup_pk', ['topic_arn', 'dedup_id'])
    .execute();
}
