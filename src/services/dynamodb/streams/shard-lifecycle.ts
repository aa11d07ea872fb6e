import { SHARD_ROLL_MS } from './limits.js';
import { FIRST_SEQUENCE, nextSequence } from './sequence-numbers.js';
import { newShardId } from './shard-ids.js';
import { closeShard, insertShard, newestShard, type ShardRow } from './tables/shards.js';

type Db = Parameters<typeof newestShard>[0];

/**
 * The shard new records of an enabled stream go to: its open shard, made on first need (the first
 * record or the first DescribeStream) and, once older than the roll period and holding a record,
 * closed and followed by a child, as AWS does. Run inside the caller's transaction.
 */
export async function openShardFor(db: Db, streamArn: string, nowMs: number): Promise<ShardRow> {
  const newest = await newestShard(db, streamArn);
  if (newest && newest.closed_ms === null) {
    if (newest.last_sequence_number === null || nowMs - newest.created_ms < SHARD_ROLL_MS) return newest;
    const closed = await closeShard(db, newest, nowMs);
    return startShard(db, streamArn, nowMs, closed);
  }
  return startShard(db, streamArn, nowMs, newest);
}

/** Closes a disabled stream's open shard (no record follows), so readers reach its end. */
export async function closeOpenShard(db: Db, streamArn: string, nowMs: number): Promise<ShardRow | undefined> {
  const newest = await newestShard(db, streamArn);
  if (!newest || newest.closed_ms !== null) return undefined;
  return closeShard(db, newest, nowMs);
}

async function startShard(db: Db, streamArn: string, nowMs: number, parent: ShardRow | undefined): Promise<ShardRow> {
  const after = parent ? (parent.last_sequence_number ?? parent.ending_sequence_number) : null;
  const row: ShardRow = {
    stream_arn: streamArn,
    shard_id: newShardId(nowMs),
    parent_shard_id: parent?.shard_id ?? null,
    starting_sequence_number: after ? nextSequence(after) : FIRST_SEQUENCE,
    ending_sequence_number: null,
    last_sequence_number: null,
    created_ms: nowMs,
    closed_ms: null,
  };
  await insertShard(db, row);
  return row;
}
