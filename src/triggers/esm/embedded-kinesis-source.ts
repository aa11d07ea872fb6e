import type { StreamReader } from '../../services/kinesis/stream-reader.js';
import { ShardWatches } from './shard-watches.js';
import type { SourceRead, SourceShard, StreamPosition, StreamSource } from './stream-source.js';

/**
 * The embedded Kinesis streams, read in-process through the Kinesis service's `StreamReader`. A
 * poller waiting on an idle shard is a subscription, woken by the write that commits records. The
 * subscription lives from a shard's first read until `release`, so a write landing between a read
 * and the wait that follows it is not missed.
 */
export class EmbeddedKinesisSource implements StreamSource {
  private readonly watches: ShardWatches;

  constructor(
    private readonly reader: StreamReader,
    readonly streamArn: string,
  ) {
    this.watches = new ShardWatches((shardId, listener) => reader.onRecords(streamArn, shardId, listener));
  }

  async listShards(): Promise<SourceShard[]> {
    return (await this.reader.listShards(this.streamArn)).map((s) => ({
      shardId: s.shardId,
      ...(s.parentShardId ? { parentShardId: s.parentShardId } : {}),
      ...(s.adjacentParentShardId ? { adjacentParentShardId: s.adjacentParentShardId } : {}),
      closed: s.endingSequenceNumber !== undefined,
    }));
  }

  async read(shardId: string, from: StreamPosition, limit: number): Promise<SourceRead> {
    this.watches.readStarted(shardId);
    const page = await this.reader.readShard(this.streamArn, shardId, from, limit);
    return {
      records: page.records.map((r) => ({ sequenceNumber: r.sequenceNumber, partitionKey: r.partitionKey, data: r.data, arrivalMs: r.approximateArrivalTimestamp })),
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
