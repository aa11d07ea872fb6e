import type { Kysely } from 'kysely';

// Shipped migrations are never edited; add a new numbered file instead.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Where a stream event source mapping stands in each shard: after the last record it fully
  // processed (null: not started, read from the mapping's starting position), whether the shard is
  // read to its end (its children may start), and open tumbling windows with their state.
  await db.schema
    .createTable('esm_stream_checkpoints')
    .addColumn('mapping_uuid', 'text', (c) => c.notNull())
    .addColumn('shard_id', 'text', (c) => c.notNull())
    .addColumn('sequence_number', 'text')
    .addColumn('finished', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('window_state', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('esm_stream_checkpoints_pk', ['mapping_uuid', 'shard_id'])
    .execute();
}

