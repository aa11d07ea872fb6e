import type { Clock } from '../../../clock.js';
import type { Store } from '../../../store/database.js';
import type { TableStreamCatalog } from '../stream-contract.js';
import { errors } from './errors.js';
import { MAX_GET_RECORDS_BYTES, MAX_GET_RECORDS_LIMIT } from './limits.js';
import type { StreamPosition } from './positions.js';
import { boundOf, readShardPage } from './shard-reader.js';
import type { StreamNotifications } from './stream-notifications.js';
import { syncShards } from './stream-shards.js';
import { findShard, listShards } from './tables/shards.js';

export type { StreamPosition } from './positions.js';

export interface StreamShard {
  shardId: string;
  parentShardId?: string;
  startingSequenceNumber: string;
  /** Set once the shard is closed (rolled over, or the stream disabled): no record follows. */
  endingSequenceNumber?: string;
}

export interface StreamShardRecord {
  sequenceNumber: string;
  /** The item's key as one string: one item's records stay in order by it. */
  itemKey: string;
  /** The record as GetRecords answers it (JSON), trimmed to the view type. */
  record: string;
  createdMs: number;
}

export interface StreamShardPage {
  records: StreamShardRecord[];
  /** Where to read next; null once a closed shard is read to its end. */
  next: StreamPosition | null;
}

/**
 * The in-process face of DynamoDB Streams for event source mappings: a stream's shards with their
 * lineage, reading a shard in order from a position (trimmed records are skipped, as a mapping
 * skips what expired), and a signal when records are committed to the stream or its shard closes.
 * A stream that does not exist is AWS's ResourceNotFoundException (an AwsError).
 */
export interface DynamodbStreamReader {
  exists(streamArn: string): Promise<boolean>;
  listShards(streamArn: string): Promise<StreamShard[]>;
  readShard(streamArn: string, shardId: string, from: StreamPosition, limit: number): Promise<StreamShardPage>;
  onRecords(streamArn: string, listener: () => void): () => void;
}

export function createDynamodbStreamReader(deps: { db: Store; clock: Clock; catalog: TableStreamCatalog; notifications: StreamNotifications }): DynamodbStreamReader {
  const { db, catalog, notifications } = deps;
  const streamOf = async (arn: string) => {
    const stream = await catalog.find(arn);
    if (!stream) throw errors.streamNotFound(arn);
    await syncShards(deps, stream);
    return stream;
  };
  return {
    async exists(arn) {
      return (await catalog.find(arn)) !== undefined;
    },
    async listShards(arn) {
      await streamOf(arn);
      return (await listShards(db, arn, Number.MAX_SAFE_INTEGER)).map((row) => ({
        shardId: row.shard_id,
        ...(row.parent_shard_id ? { parentShardId: row.parent_shard_id } : {}),
        startingSequenceNumber: row.starting_sequence_number,
        ...(row.ending_sequence_number !== null ? { endingSequenceNumber: row.ending_sequence_number } : {}),
      }));
    },
    async readShard(arn, shardId, from, limit) {
      const shard = await findShard(db, arn, shardId);
      if (!shard) throw errors.shardNotFound();
      const bound = await boundOf(db, shard, from);
      const page = await readShardPage(db, shard, bound, Math.min(limit, MAX_GET_RECORDS_LIMIT), MAX_GET_RECORDS_BYTES);
      return {
        records: page.records.map((r) => ({ sequenceNumber: r.sequence_number, itemKey: r.item_key, record: r.record, createdMs: r.created_ms })),
        next: page.next ? { type: page.next.inclusive ? 'AT_SEQUENCE_NUMBER' : 'AFTER_SEQUENCE_NUMBER', sequenceNumber: page.next.sequence } : null,
      };
    },
    onRecords(arn, listener) {
      return notifications.subscribe(arn, listener);
    },
  };
}
