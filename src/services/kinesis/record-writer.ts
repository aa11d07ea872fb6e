import type { AwsError } from '../../contracts/aws-error.js';
import { shardIdOf, streamArn, type StreamKey } from './arns.js';
import type { KinesisDeps } from './deps.js';
import { errors } from './errors.js';
import { hashKeyOfPartitionKey } from './hash-keys.js';
import { formatSequence, parseSequence } from './sequence-numbers.js';
import { acceptsRecords } from './stream-states.js';
import { insertRecords } from './tables/records.js';
import { openShardRows, type ShardRow } from './tables/shards.js';
import { findStream } from './tables/streams.js';
import type { KinesisRecordsTable } from '../../store/schema.js';

export interface RecordToPut {
  data: Buffer;
  partitionKey: string;
  /** ExplicitHashKey, already checked to be within [0, 2^128 - 1]. */
  explicitHashKey?: bigint;
  /** PutRecord's SequenceNumberForOrdering: the new record's number is greater. */
  sequenceNumberForOrdering?: string;
}

export type PutResult = { shardId: string; sequenceNumber: string } | { error: AwsError };

interface ShardRoute {
  row: ShardRow;
  start: bigint;
  end: bigint;
}

/**
 * The write path of PutRecord and PutRecords: route each record to the open shard whose hash key
 * range holds its hash key, number it, and commit the whole call in one transaction before
 * answering (WAL mode: a commit is one log append, so a call of 500 records costs one sync).
 * Readers waiting on the shards are told after the commit.
 */
export async function putRecords(deps: KinesisDeps, key: StreamKey, entries: RecordToPut[]): Promise<PutResult[]> {
  const arn = streamArn(key);
  const now = deps.clock.now();
  const touched = new Set<string>();
  const results = await deps.db.transaction().execute(async (trx) => {
    const stream = await findStream(trx, key);
    if (!stream || !acceptsRecords(stream.status)) throw errors.streamNotFound(key.name, key.accountId);
    const routes: ShardRoute[] = (await openShardRows(trx, stream.id)).map((row) => ({ row, start: BigInt(row.starting_hash_key), end: BigInt(row.ending_hash_key) }));
    const rows: KinesisRecordsTable[] = [];
    const changed = new Set<ShardRoute>();
    const out: PutResult[] = [];
    for (const entry of entries) {
      const hashKey = entry.explicitHashKey ?? hashKeyOfPartitionKey(entry.partitionKey);
      const route = routes.find((r) => hashKey >= r.start && hashKey <= r.end);
      if (!route) throw errors.internal();
      const shardId = shardIdOf(route.row.shard_index);
      if (!deps.throughput.admitWrite(`${stream.id}/${route.row.shard_index}`, entry.data.length + Buffer.byteLength(entry.partitionKey))) {
        out.push({ error: errors.shardThroughput(shardId, key.name, key.accountId) });
        continue;
      }
      const sequenceNumber = nextSequence(route.row, now, entry.sequenceNumberForOrdering);
      rows.push({ stream_id: stream.id, shard_index: route.row.shard_index, sequence_number: sequenceNumber, partition_key: entry.partitionKey, data: entry.data, arrival_ms: route.row.last_arrival_ms });
      changed.add(route);
      touched.add(shardId);
      out.push({ shardId, sequenceNumber });
    }
    await insertRecords(trx, rows);
    for (const { row } of changed) {
      await trx
        .updateTable('kinesis_shards')
        .set({ last_arrival_ms: row.last_arrival_ms, last_counter: row.last_counter, last_sequence_number: row.last_sequence_number })
        .where('stream_id', '=', row.stream_id)
        .where('shard_index', '=', row.shard_index)
        .execute();
    }
    return out;
  });
  for (const shardId of touched) deps.notifications.notify(arn, shardId);
  return results;
}

/**
 * The next sequence number of a shard (the row is advanced in memory). Arrival times never go
 * backwards within a shard, even if the clock does, and pass a SequenceNumberForOrdering's.
 */
function nextSequence(shard: ShardRow, now: number, after: string | undefined): string {
  const floor = after !== undefined ? parseSequence(after) : null;
  let time = Math.max(now, shard.last_arrival_ms, floor?.timeMs ?? 0);
  const counter = shard.last_counter + 1;
  let sequence = formatSequence({ timeMs: time, shardIndex: shard.shard_index, counter });
  if (after !== undefined && floor && sequence <= after) {
    time = floor.timeMs + 1;
    sequence = formatSequence({ timeMs: time, shardIndex: shard.shard_index, counter });
  }
  shard.last_arrival_ms = time;
  shard.last_counter = counter;
  shard.last_sequence_number = sequence;
  return sequence;
}
