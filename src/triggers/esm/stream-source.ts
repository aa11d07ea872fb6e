/**
 * Where a stream event source mapping reads, whichever kind (Kinesis today; DynamoDB Streams plugs
 * in with its own implementations) and wherever the stream lives (embedded in this process, or any
 * AWS-compatible endpoint through the official SDK client). The mapping core (`stream-mapping-poller.ts`,
 * `shard-poller.ts`) knows only this interface and a `StreamEventFormat`.
 */

/** A position in one shard, as Kinesis iterators name them. */
export type StreamPosition =
  | { type: 'TRIM_HORIZON' }
  | { type: 'LATEST' }
  | { type: 'AT_TIMESTAMP'; timestampMs: number }
  | { type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

export interface SourceShard {
  shardId: string;
  parentShardId?: string;
  adjacentParentShardId?: string;
  /** Set once the shard is closed: it ends, and its children continue. */
  closed: boolean;
}

export interface SourceRecord {
  sequenceNumber: string;
  /** Kinesis partition key (DynamoDB Streams: the item's key): records of one key stay in order. */
  partitionKey: string;
  data: Buffer;
  /** Epoch ms. */
  arrivalMs: number;
}

export interface SourceRead {
  records: SourceRecord[];
  /** Where to read next; null once a closed shard is read to its end. */
  next: StreamPosition | null;
}

export interface StreamSource {
  /** The stream the mapping reads (a consumer ARN's stream). */
  readonly streamArn: string;
  /** Every shard within retention, open and closed, with lineage. */
  listShards(): Promise<SourceShard[]>;
  /** Up to `limit` records from `from`, in sequence order. */
  read(shardId: string, from: StreamPosition, limit: number): Promise<SourceRead>;
  /**
   * Resolves when records may have arrived on the shard (or it closed), after at most `maxWaitMs`,
   * or at once when `signal` aborts. Embedded sources wake on the write; remote ones wait out the
   * poll interval.
   */
  waitForRecords(shardId: string, maxWaitMs: number, signal: AbortSignal): Promise<void>;
  /** The mapping is done with the shard (read to its end, or the poller stopped). */
  release(shardId: string): void;
  close(): void;
}
