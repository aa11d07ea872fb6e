import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A stream's shards, keyed by the stream ARN the tables side hands out (a table's new stream has
  // a new ARN, so it never sees an old stream's shards). At most one shard of a stream is open; the
  // open one carries the stream's last sequence number, from which the next record's is made.
  await db.schema
    .createTable('dynamodb_stream_shards')
    .addColumn('stream_arn', 'text', (c) => c.notNull())
    .addColumn('shard_id', 'text', (c) => c.notNull())
    .addColumn('parent_shard_id', 'text')
    .addColumn('starting_sequence_number', 'text', (c) => c.notNull())
    .addColumn('ending_sequence_number', 'text')
    .addColumn('last_sequence_number', 'text')
    .addColumn('created_ms', 'bigint', (c) => c.notNull())
    .addColumn('closed_ms', 'bigint')
    .addPrimaryKeyConstraint('dynamodb_stream_shards_pk', ['stream_arn', 'shard_id'])
    .execute();

  // Reading a shard in order from a position is a range scan of the primary key: sequence numbers
  // are digit strings of one length, so text order is numeric order. `record` is the stream record
  // as GetRecords answers it, already trimmed to the stream's view type; `item_key` keeps one
  // item's changes in order when a mapping processes a shard in parallel.
  await db.schema
    .createTable('dynamodb_stream_records')
    .addColumn('stream_arn', 'text', (c) => c.notNull())
    .addColumn('shard_id', 'text', (c) => c.notNull())
    .addColumn('sequence_number', 'text', (c) => c.notNull())
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('event_name', 'text', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('created_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('dynamodb_stream_records_pk', ['stream_arn', 'shard_id', 'sequence_number'])
    .execute();
  // The 24-hour trim deletes by age across every stream.
  await db.schema.createIndex('dynamodb_stream_records_created').on('dynamodb_stream_records').column('created_ms').execute();
}
