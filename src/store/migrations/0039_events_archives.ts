import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // EventBridge archives: which bus they record, with an optional pattern and a retention.
  await db.schema
    .createTable('events_archives')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('bus_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('event_pattern', 'text')
    .addColumn('retention_days', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('events_archives_pk', ['account_id', 'region', 'name'])
    .execute();
  // One row per archived event; `event_time` (the event's `time`, epoch ms) is what a replay's
  // window selects on, `archived_at` what retention expires by.
  await db.schema
    .createTable('events_archived_events')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('archive_name', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_time', 'bigint', (c) => c.notNull())
    .addColumn('archived_at', 'bigint', (c) => c.notNull())
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('events_archived_events_pk', ['account_id', 'region', 'archive_name', 'event_id'])
    .execute();
  await db.schema.createIndex('events_archived_events_time').on('events_archived_events').columns(['account_id', 'region', 'archive_name', 'event_time']).execute();
  // Replays: an AWS-shaped description, and the state the replay runner moves along. A replay
  // under way when the process stopped goes on from `replayed_through` at the next start.
  await db.schema
    .createTable('events_replays')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('archive_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('event_start', 'bigint', (c) => c.notNull())
    .addColumn('event_end', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_reason', 'text')
    .addColumn('replayed_through', 'bigint')
    // The runner holding the replay renews this; a replay whose lease ran out is taken up again.
    .addColumn('lease_until', 'bigint')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addPrimaryKeyConstraint('events_replays_pk', ['account_id', 'region', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('events_replays').execute();
  await db.schema.dropTable('events_archived_events').execute();
  await db.schema.dropTable('events_archives').execute();
}
