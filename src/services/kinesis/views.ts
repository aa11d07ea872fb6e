import { consumerArn, shardIdOf, streamArn, type StreamKey } from './arns.js';
import type { ConsumerRow } from './tables/consumers.js';
import type { ShardRow } from './tables/shards.js';
import type { StreamRow } from './tables/streams.js';

/**
 * AWS shapes of our rows. Timestamps are Dates and blobs Buffers here; the wire layer writes them
 * as JSON (epoch seconds, base64) or CBOR (tag 1, byte strings).
 */
export function keyOf(row: StreamRow): StreamKey {
  return { accountId: row.account_id, region: row.region, name: row.name };
}

export function arnOf(row: StreamRow): string {
  return streamArn(keyOf(row));
}

export function shardView(row: ShardRow): Record<string, unknown> {
  return {
    ShardId: shardIdOf(row.shard_index),
    ...(row.parent_index !== null ? { ParentShardId: shardIdOf(row.parent_index) } : {}),
    ...(row.adjacent_parent_index !== null ? { AdjacentParentShardId: shardIdOf(row.adjacent_parent_index) } : {}),
    HashKeyRange: { StartingHashKey: row.starting_hash_key, EndingHashKey: row.ending_hash_key },
    SequenceNumberRange: {
      StartingSequenceNumber: row.starting_sequence_number,
      ...(row.ending_sequence_number !== null ? { EndingSequenceNumber: row.ending_sequence_number } : {}),
    },
  };
}

export function childShardView(row: ShardRow): Record<string, unknown> {
  const parents = [row.parent_index, row.adjacent_parent_index].filter((p): p is number => p !== null).map(shardIdOf);
  return { ShardId: shardIdOf(row.shard_index), ParentShards: parents, HashKeyRange: { StartingHashKey: row.starting_hash_key, EndingHashKey: row.ending_hash_key } };
}

export function streamModeView(row: StreamRow): Record<string, unknown> {
  return { StreamMode: row.mode };
}

export function consumerView(stream: StreamRow, row: ConsumerRow): Record<string, unknown> {
  return {
    ConsumerName: row.name,
    ConsumerARN: consumerArn(keyOf(stream), row.name, row.created_at),
    ConsumerStatus: row.status,
    ConsumerCreationTimestamp: new Date(row.created_at),
  };
}

/** Shards AWS still lists: open ones, and closed ones whose records may not all have expired. */
export function withinRetention(stream: StreamRow, shards: ShardRow[], now: number): ShardRow[] {
  const cutoff = now - stream.retention_hours * 3_600_000;
  return shards.filter((s) => s.closed_at === null || s.closed_at >= cutoff);
}

/** The shards a closed shard's readers continue with. */
export function childrenOf(shards: ShardRow[], shardIndex: number): ShardRow[] {
  return shards.filter((s) => s.parent_index === shardIndex || s.adjacent_parent_index === shardIndex);
}
