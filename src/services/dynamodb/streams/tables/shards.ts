import type { Store } from '../../../../store/database.js';
import type { DynamodbStreamShardsTable } from '../../../../store/schema.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;
export type ShardRow = DynamodbStreamShardsTable;

/** The stream's newest shard (open or, once the stream is disabled, closed), if any. */
export async function newestShard(db: Db, streamArn: string): Promise<ShardRow | undefined> {
  return db.selectFrom('dynamodb_stream_shards').selectAll().where('stream_arn', '=', streamArn).orderBy('starting_sequence_number', 'desc').limit(1).executeTakeFirst();
}

export async function findShard(db: Db, streamArn: string, shardId: string): Promise<ShardRow | undefined> {
  return db.selectFrom('dynamodb_stream_shards').selectAll().where('stream_arn', '=', streamArn).where('shard_id', '=', shardId).executeTakeFirst();
}

/** A stream's shards, oldest first (parents before children), after `exclusiveStartShardId`. */
export async function listShards(db: Db, streamArn: string, limit: number, exclusiveStartShardId?: string): Promise<ShardRow[]> {
  let query = db.selectFrom('dynamodb_stream_shards').selectAll().where('stream_arn', '=', streamArn);
  if (exclusiveStartShardId !== undefined) {
    const start = await findShard(db, streamArn, exclusiveStartShardId);
    if (start) query = query.where('starting_sequence_number', '>', start.starting_sequence_number);
  }
  return query.orderBy('starting_sequence_number').limit(limit).execute();
}

export async function insertShard(db: Db, row: ShardRow): Promise<void> {
  await db.insertInto('dynamodb_stream_shards').values(row).execute();
}

export async function setLastSequence(db: Db, streamArn: string, shardId: string, lastSequenceNumber: string): Promise<void> {
  await db.updateTable('dynamodb_stream_shards').set({ last_sequence_number: lastSequenceNumber }).where('stream_arn', '=', streamArn).where('shard_id', '=', shardId).execute();
}

/** Closes an open shard at its last record (an empty one ends where it started). */
export async function closeShard(db: Db, shard: ShardRow, closedMs: number): Promise<ShardRow> {
  const ending = shard.last_sequence_number ?? shard.starting_sequence_number;
  await db
    .updateTable('dynamodb_stream_shards')
    .set({ ending_sequence_number: ending, closed_ms: closedMs })
    .where('stream_arn', '=', shard.stream_arn)
    .where('shard_id', '=', shard.shard_id)
    .where('closed_ms', 'is', null)
    .execute();
  return { ...shard, ending_sequence_number: ending, closed_ms: closedMs };
}

/** Deletes closed shards that closed before `beforeMs` (their records are trimmed by then). */
export async function deleteShardsClosedBefore(db: Db, beforeMs: number): Promise<number> {
  const result = await db.deleteFrom('dynamodb_stream_shards').where('closed_ms', '<', beforeMs).executeTakeFirst();
  return Number(result.numDeletedRows);
}
