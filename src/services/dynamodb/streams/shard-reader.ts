import type { Store } from '../../../store/database.js';
import { nextSequence } from './sequence-numbers.js';
import type { StreamPosition } from './positions.js';
import { oldestSequence, readRecords, type LowerBound, type StoredRecord } from './tables/records.js';
import type { ShardRow } from './tables/shards.js';

type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'deleteFrom'>;

export interface ShardPage {
  records: StoredRecord[];
  /** Where to read next; null once a closed shard is read to its end. */
  next: LowerBound | null;
  /** The position asked for was trimmed: records after it are gone (the page starts later). */
  trimmed: boolean;
}

/** Where `position` starts reading in `shard`: a lower bound on sequence numbers. */
export async function boundOf(db: Db, shard: ShardRow, position: StreamPosition): Promise<LowerBound> {
  switch (position.type) {
    case 'TRIM_HORIZON': {
      // The oldest record still kept; with none, after the newest (all of them were trimmed).
      const oldest = await oldestSequence(db, shard.stream_arn, shard.shard_id);
      return oldest ? { sequence: oldest, inclusive: true } : latest(shard);
    }
    case 'LATEST':
      return latest(shard);
    case 'AT_SEQUENCE_NUMBER':
      return { sequence: position.sequenceNumber, inclusive: true };
    case 'AFTER_SEQUENCE_NUMBER':
      return { sequence: position.sequenceNumber, inclusive: false };
    case 'AT_TIMESTAMP': {
      const first = await db
        .selectFrom('dynamodb_stream_records')
        .select('sequence_number')
        .where('stream_arn', '=', shard.stream_arn)
        .where('shard_id', '=', shard.shard_id)
        .where('created_ms', '>=', position.timestampMs)
        .orderBy('sequence_number')
        .limit(1)
        .executeTakeFirst();
      return first ? { sequence: first.sequence_number, inclusive: true } : latest(shard);
    }
  }
}

/** After the shard's newest record (its start when it has none yet). */
function latest(shard: ShardRow): LowerBound {
  const last = shard.last_sequence_number ?? (shard.closed_ms !== null ? shard.ending_sequence_number : null);
  return last ? { sequence: last, inclusive: false } : { sequence: shard.starting_sequence_number, inclusive: true };
}

/**
 * Up to `limit` records of `shard` from `from`. A shard's sequence numbers have no gaps (one per
 * record, in order), so a first record later than the one asked for means that one was trimmed.
 * `shard` must have been read before the records: a shard seen closed has all its records.
 */
export async function readShardPage(db: Db, shard: ShardRow, from: LowerBound, limit: number, maxBytes: number): Promise<ShardPage> {
  const records = await readRecords(db, shard.stream_arn, shard.shard_id, from, limit, maxBytes);
  const wanted = from.inclusive ? from.sequence : nextSequence(from.sequence);
  const newest = shard.last_sequence_number ?? shard.ending_sequence_number;
  const trimmed = newest !== null && wanted <= newest && wanted >= shard.starting_sequence_number && (records[0]?.sequence_number ?? nextSequence(newest)) > wanted;
  const last = records[records.length - 1];
  const next: LowerBound = last ? { sequence: last.sequence_number, inclusive: false } : from;
  const ended = shard.closed_ms !== null && (!last || last.sequence_number >= (shard.ending_sequence_number ?? ''));
  return { records, next: ended ? null : next, trimmed };
}
