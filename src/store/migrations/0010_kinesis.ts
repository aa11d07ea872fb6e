import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A stream's rows hang off its id, so a stream deleted and created again under the same name
  // never sees the old one's shards, records or iterators.
  await db.schema
    .createTable('kinesis_streams')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // When a transitional status (CREATING, UPDATING, DELETING) ends; null once settled.
    .addColumn('status_until', 'bigint')
    .addColumn('retention_hours', 'integer', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('next_shard_index', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('kinesis_streams_name').unique().on('kinesis_streams').columns(['account_id', 'region', 'name']).execute();

  await db.schema
    .createTable('kinesis_shards')
    .addColumn('stream_id', 'integer', (c) => c.notNull())
    .addColumn('shard_index', 'integer', (c) => c.notNull())
    .addColumn('parent_index', 'integer')
    .addColumn('adjacent_parent_index', 'integer')
    // Decimal strings of 128-bit unsigned integers.
    .addColumn('starting_hash_key', 'text', (c) => c.notNull())
    .addColumn('ending_hash_key', 'text', (c) => c.notNull())
    .addColumn('starting_sequence_number', 'text', (c) => c.notNull())
    .addColumn('ending_sequence_number', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('closed_at', 'bigint')
    // The newest record's arrival time and counter: the next sequence number is built from them.
    .addColumn('last_arrival_ms', 'bigint', (c) => c.notNull())
    .addColumn('last_counter', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_sequence_number', 'text')
    .addPrimaryKeyConstraint('kinesis_shards_pk', ['stream_id', 'shard_index'])
    .execute();

  // Reading a shard in order from a position is a range scan of the primary key: sequence numbers
  // are digit strings of one length, so text order is numeric order.
  await db.schema
    .createTable('kinesis_records')
    .addColumn('stream_id', 'integer', (c) => c.notNull())
    .addColumn('shard_index', 'integer', (c) => c.notNull())
    .addColumn('sequence_number', 'text', (c) => c.notNull())
    .addColumn('partition_key', 'text', (c) => c.notNull())
    .addColumn('data', 'blob', (c) => c.notNull())
    .addColumn('arrival_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('kinesis_records_pk', ['stream_id', 'shard_index', 'sequence_number'])
    .execute();

  await db.schema
    .createTable('kinesis_consumers')
    .addColumn('stream_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_until', 'bigint')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('kinesis_consumers_pk', ['stream_id', 'name'])
    .execute();
}
