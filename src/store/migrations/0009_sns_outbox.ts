import type { Kysely } from 'kysely';

// SNS outbox: what SNS would have sent to endpoints Lambkin cannot reach (email, email-json, SMS,
// mobile push, Firehose), recorded so nothing published is lost and a developer can read it.
// A direct SMS publish has no topic or subscription, hence the nullable ARNs.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sns_outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('topic_arn', 'text')
    .addColumn('subscription_arn', 'text')
    .addColumn('protocol', 'text', (c) => c.notNull())
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // A delivery re-attempted after a crash (recorded, not yet deleted) is recorded once.
  await db.schema.createIndex('sns_outbox_message_uq').on('sns_outbox').columns(['subscription_arn', 'message_id']).unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sns_outbox').execute();
}
