import type { Store } from '../../store/database.js';
import { floorAt } from './sequence-numbers.js';
import { firstAfter, readRecords, type LowerBound, type StoredRecord } from './tables/records.js';
import { listShardRows, type ShardRow } from './tables/shards.js';
import type { StreamRow } from './tables/streams.js';
import { childrenOf } from './views.js';

export type IteratorType = 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'AT_TIMESTAMP';

/** Where an iterator of each type starts, as a key bound (sequence numbers already checked). */
export function startingBound(shard: ShardRow, type: IteratorType, sequenceNumber?: string, timestampMs?: number): LowerBound {
  switch (type) {
    case 'TRIM_HORIZON':
      return { sequence: shard.starting_sequence_number, inclusive: true };
    case 'LATEST':
      return { sequence: shard.last_sequence_number ?? shard.starting_sequence_number, inclusive: false };
    case 'AT_SEQUENCE_NUMBER':
      return { sequence: sequenceNumber!, inclusive: true };
    case 'AFTER_SEQUENCE_NUMBER':
      return { sequence: sequenceNumber!, inclusive: false };
    case 'AT_TIMESTAMP':
      return { sequence: floorAt(timestampMs!, shard.shard_index), inclusive: true };
  }
}

export interface ShardPage {
  records: StoredRecord[];
  /** Where the next read starts; null once a closed shard has been read to its end. */
  next: LowerBound | null;
  /** With `next` null: the shards to read next. */
  children: ShardRow[];
  millisBehindLatest: number;
}

/**
 * Reads a shard in sequence order from `from`. Records past the stream's retention are never
 * returned, whether or not the background sweep has deleted them yet.
 */
export async function readShard(
  db: Store,
  stream: StreamRow,
  shard: ShardRow,
  from: LowerBound,
  options: { limit: number; maxBytes: number; now: number },
): Promise<ShardPage> {
  const trimHorizon = floorAt(options.now - stream.retention_hours * 3_600_000, shard.shard_index);
  const bound = from.sequence < trimHorizon ? { sequence: trimHorizon, inclusive: true } : from;
  const records = await readRecords(db, stream.id, shard.shard_index, bound, options.limit, options.maxBytes);
  const last = records[records.length - 1];
  const next: LowerBound = last ? { sequence: last.sequence_number, inclusive: false } : from;
  const unread = await firstAfter(db, stream.id, shard.shard_index, last ? next : bound);
  const millisBehindLatest = unread ? Math.max(0, options.now - unread.arrival_ms) : 0;
  if (shard.closed_at !== null && !unread) {
    return { records, next: null, children: childrenOf(await listShardRows(db, stream.id), shard.shard_index), millisBehindLatest };
  }
  return { records, next, children: [], millisBehindLatest };
}
