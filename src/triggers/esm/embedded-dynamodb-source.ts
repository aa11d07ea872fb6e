import type { DynamodbStreamReader } from '../../services/dynamodb/streams/stream-reader.js';
import { ShardWatches } from './shard-watches.js';
import type { SourceRead, SourceShard, StreamPosition, StreamSource } from './stream-source.js';

/**
 * The embedded DynamoDB streams, read in-process through DynamoDB Streams' reader; a waiting
 * poller wakes when an item write commits records to the stream (or its shard closes). A record's
 * partition key is its item's key, so one item's changes stay in order under ParallelizationFactor.
 */
export class EmbeddedDynamodbSource implements StreamSource {
  private readonly watches: ShardWatches;

  constructor(
    private readonly reader: DynamodbStreamReader,
    readonly streamArn: string,
  ) {
    this.watches = new ShardWatches((_shardId, listener) => reader.onRecords(streamArn, listener));
  }

  async listShards(): Promise<SourceShard[]> {
    return (await this.reader.listShards(this.streamArn)).map((s) => ({
      shardId: s.shardId,
      ...(s.parentShardId ? { parentShardId: s.parentShardId } : {}),
      closed: s.endingSequenceNumber !== undefined,
    }));
  }

  async read(shardId: string, from: StreamPosition, limit: number): Promise<SourceRead> {
    this.watches.readStarted(shardId);
    const page = await this.reader.readShard(this.streamArn, shardId, from, limit);
    return {
      records: page.records.map((r) => ({ sequenceNumber: r.sequenceNumber, partitionKey: r.itemKey, data: Buffer.from(r.record), arrivalMs: r.createdMs })),
      next: page.next,
    };
  }

  waitForRecords(shardId: string, maxWaitMs: number, signal: AbortSignal): Promise<void> {
    return this.watches.wait(shardId, maxWaitMs, signal);
  }

  release(shardId: string): void {
    this.watches.release(shardId);
  }

  close(): void {
    this.watches.close();
  }
}
