import type { Clock } from '../../clock.js';
import type { Store } from '../../store/database.js';
import { parseConsumerArn, parseStreamArn, shardIdOf } from './arns.js';
import { errors } from './errors.js';
import { MAX_GET_RECORDS_BYTES, MAX_GET_RECORDS_LIMIT } from './limits.js';
import type { RecordNotifications } from './record-notifications.js';
import { parseSequence } from './sequence-numbers.js';
import { readShard, startingBound } from './shard-reader.js';
import { requireShard, requireStream } from './stream-lookup.js';
import type { LowerBound } from './tables/records.js';
import { findConsumer } from './tables/consumers.js';
import { listShardRows, type ShardRow } from './tables/shards.js';
import type { StreamRow } from './tables/streams.js';
import { arnOf, withinRetention } from './views.js';

/**
 * The in-process face of Kinesis for other parts of Lambkin (event source mappings): a stream's
 * shards with their lineage, reading a shard in order from a position, and a signal when records
 * arrive on a shard (or it closes), so a poller sleeps instead of polling. Streams are named by
 * ARN, as mappings name them; a stream or shard that does not exist is AWS's
 * ResourceNotFoundException (an AwsError). Nothing here checks throughput limits.
 */
export type StartingPosition =
  | { type: 'TRIM_HORIZON' }
  | { type: 'LATEST' }
  | { type: 'AT_TIMESTAMP'; timestampMs: number }
  | { type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

export interface StreamShard {
  shardId: string;
  parentShardId?: string;
  adjacentParentShardId?: string;
  hashKeyRange: { startingHashKey: string; endingHashKey: string };
  startingSequenceNumber: string;
  /** Set once the shard is closed (split or merged): no record after it will ever arrive. */
  endingSequenceNumber?: string;
}

export interface StreamSummary {
  streamArn: string;
  status: 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';
  retentionPeriodHours: number;
}

export interface ShardRecord {
  sequenceNumber: string;
  partitionKey: string;
  data: Buffer;
  /** Epoch ms. */
  approximateArrivalTimestamp: number;
}

export interface ShardReadResult {
  records: ShardRecord[];
  /** Where to read next (after the last record returned); null once a closed shard is read to its end. */
  next: StartingPosition | null;
  /** With `next` null: the shards to continue with (their parents are all read once this one is). */
  childShards: StreamShard[];
  millisBehindLatest: number;
}

export interface ConsumerSummary {
  consumerArn: string;
  /** The stream the consumer reads. */
  streamArn: string;
  status: 'CREATING' | 'ACTIVE' | 'DELETING';
}

export interface StreamReader {
  /** The stream, or null when it does not exist. */
  describeStream(streamArn: string): Promise<StreamSummary | null>;
  /** A registered consumer (enhanced fan-out) by its ARN, or null when it does not exist. */
  describeConsumer(consumerArn: string): Promise<ConsumerSummary | null>;
  /** Every shard still within retention, open and closed, in creation order. */
  listShards(streamArn: string): Promise<StreamShard[]>;
  /** Up to `limit` records (≤ 10,000, ≤ 10 MiB) from `from`, in sequence order. */
  readShard(streamArn: string, shardId: string, from: StartingPosition, limit: number): Promise<ShardReadResult>;
  /** Calls `listener` after records are committed to the shard, and when it closes; returns the unsubscribe. */
  onRecords(streamArn: string, shardId: string, listener: () => void): () => void;
}

export function createStreamReader(deps: { db: Store; clock: Clock; notifications: RecordNotifications }): StreamReader {
  const { db, clock } = deps;
  const streamOf = async (arn: string): Promise<StreamRow> => {
    const key = parseStreamArn(arn);
    if (!key) throw errors.streamNotFound(arn, '');
    return requireStream(db, key);
  };
  return {
    async describeStream(arn) {
      const key = parseStreamArn(arn);
      const stream = key ? await requireStream(db, key).catch(() => null) : null;
      if (!stream || stream.status === 'DELETED') return null;
      return { streamArn: arnOf(stream), status: stream.status, retentionPeriodHours: stream.retention_hours };
    },

    async describeConsumer(arn) {
      const key = parseConsumerArn(arn);
      const stream = key ? await requireStream(db, key).catch(() => null) : null;
      if (!key || !stream || stream.status === 'DELETED') return null;
      const consumer = await findConsumer(db, stream.id, key.consumerName);
      // A name registered again after a deregistration is another consumer, with another ARN.
      if (!consumer || consumer.status === 'DELETED' || Math.floor(consumer.created_at / 1000) !== key.createdAtSeconds) return null;
      return { consumerArn: arn, streamArn: arnOf(stream), status: consumer.status };
    },

    async listShards(arn) {
      const stream = await streamOf(arn);
      return withinRetention(stream, await listShardRows(db, stream.id), clock.now()).map(shardOf);
    },

    async readShard(arn, shardId, from, limit) {
      const stream = await streamOf(arn);
      const shard = await requireShard(db, stream, shardId, errors.shardDoesNotExist);
      const page = await readShard(db, stream, shard, boundOf(shard, from), {
        limit: Math.max(1, Math.min(limit, MAX_GET_RECORDS_LIMIT)),
        maxBytes: MAX_GET_RECORDS_BYTES,
        now: clock.now(),
      });
      return {
        records: page.records.map((r) => ({ sequenceNumber: r.sequence_number, partitionKey: r.partition_key, data: r.data, approximateArrivalTimestamp: r.arrival_ms })),
        next: page.next ? positionOf(page.next) : null,
        childShards: page.children.map(shardOf),
        millisBehindLatest: page.millisBehindLatest,
      };
    },

    onRecords(arn, shardId, listener) {
      return deps.notifications.subscribe(arn, shardId, listener);
    },
  };
}

function boundOf(shard: ShardRow, from: StartingPosition): LowerBound {
  if (from.type === 'AT_SEQUENCE_NUMBER' || from.type === 'AFTER_SEQUENCE_NUMBER') {
    const parts = parseSequence(from.sequenceNumber);
    if (!parts || parts.shardIndex !== shard.shard_index) throw errors.sequenceOfOtherShard(parts ? shardIdOf(parts.shardIndex) : from.sequenceNumber, shardIdOf(shard.shard_index));
    return startingBound(shard, from.type, from.sequenceNumber);
  }
  return startingBound(shard, from.type, undefined, from.type === 'AT_TIMESTAMP' ? from.timestampMs : undefined);
}

function positionOf(bound: LowerBound): StartingPosition {
  return { type: bound.inclusive ? 'AT_SEQUENCE_NUMBER' : 'AFTER_SEQUENCE_NUMBER', sequenceNumber: bound.sequence };
}

function shardOf(row: ShardRow): StreamShard {
  return {
    shardId: shardIdOf(row.shard_index),
    ...(row.parent_index !== null ? { parentShardId: shardIdOf(row.parent_index) } : {}),
    ...(row.adjacent_parent_index !== null ? { adjacentParentShardId: shardIdOf(row.adjacent_parent_index) } : {}),
    hashKeyRange: { startingHashKey: row.starting_hash_key, endingHashKey: row.ending_hash_key },
    startingSequenceNumber: row.starting_sequence_number,
    ...(row.ending_sequence_number !== null ? { endingSequenceNumber: row.ending_sequence_number } : {}),
  };
}
