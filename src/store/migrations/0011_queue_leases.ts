import type { Kysely } from 'kysely';

// The durable queue (src/store/queue/) runs over the four tables that already held queued work:
// each gets the owner of its lease, so ack, retry-at and dead are owner-checked and a lease that
// ran out can be taken over. Nothing moves: rows queued before this migration stay where they are.
// `async_events.leased` becomes `lease_owner`: an event leased when the old process stopped keeps a
// lease (of an owner no process has), which the next start releases, as it released `leased` rows.
// Items no consumer can handle may be moved aside into `queue_dead_letters` for inspection.
const QUEUE_TABLES = ['async_events', 'sns_deliveries', 'events_deliveries', 's3_notification_outbox'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of QUEUE_TABLES) {
    await db.schema.alterTable(table).addColumn('lease_owner', 'text').execute();
  }
  await db.updateTable('async_events').set({ lease_owner: 'before-0011' }).where('leased', '=', 1).execute();
  await db.schema.alterTable('async_events').dropColumn('leased').execute();

  await db.schema
    .createTable('queue_dead_letters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The queue's table name.
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    // JSON: the item's row as it was (binary columns as {"$base64": …}).
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('dead_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('queue_dead_letters_queue').on('queue_dead_letters').columns(['queue', 'dead_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('queue_dead_letters').execute();
  await db.schema.alterTable('async_events').addColumn('leased', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.updateTable('async_events').set({ leased: 1 }).where('lease_owner', 'is not', null).execute();
  for (const table of QUEUE_TABLES) {
    await db.schema.alterTable(table).dropColumn('lease_owner').execute();
  }
}
