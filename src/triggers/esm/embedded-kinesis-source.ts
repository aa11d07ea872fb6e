import type { StreamReader } from '../../services/kinesis/stream-reader.js';
import type { SourceRead, SourceShard, StreamPosition, StreamSource } from './stream-source.js';

interface ShardWatch {
  /** Records arrived (or the shard closed) since the last read began. */
  dirty: boolean;
  wake: (() => void) | undefined;
  unsubscribe: () => void;
}

/**
 * The embedded Kinesis streams, read in-process through the Kinesis service's `StreamReader`. A
 * poller waiting on an idle shard is a subscription, woken by the write that commits records. The
 * subscription lives from a shard's first read until `release`, so a write landing between a read
 * and the wait that follows it is not missed.
 */
export class EmbeddedKinesisSource implements StreamSource {
  private readonly watches = new Map<string, ShardWatch>();

  constructor(
    private readonly reader: StreamReader,
    readonly streamArn: string,
  ) {}

  async listShards(): Promise<SourceShard[]> {
    return (await this.reader.listShards(this.streamArn)).map((s) => ({
      shardId: s.shardId,
      ...(s.parentShardId ? { parentShardId: s.parentShardId } : {}),
      ...(s.adjacentParentShardId ? { adjacentParentShardId: s.adjacentParentShardId } : {}),
      closed: s.endingSequenceNumber !== undefined,
    }));
  }

  private watch(shardId: string): ShardWatch {
    let watch = this.watches.get(shardId);
    if (!watch) {
      const created: ShardWatch = { dirty: false, wake: undefined, unsubscribe: () => undefined };
      created.unsubscribe = this.reader.onRecords(this.streamArn, shardId, () => {
        created.dirty = true;
        created.wake?.();
      });
      this.watches.set(shardId, (watch = created));
    }
    return watch;
  }

  async read(shardId: string, from: StreamPosition, limit: number): Promise<SourceRead> {
    this.watch(shardId).dirty = false;
    const page = await this.reader.readShard(this.streamArn, shardId, from, limit);
    return {
      records: page.records.map((r) => ({ sequenceNumber: r.sequenceNumber, partitionKey: r.partitionKey, data: r.data, arrivalMs: r.approximateArrivalTimestamp })),
      next: page.next,
    };
  }

  waitForRecords(shardId: string, maxWaitMs: number, signal: AbortSignal): Promise<void> {
    const watch = this.watch(shardId);
    return new Promise<void>((resolve) => {
      if (signal.aborted || watch.dirty) return resolve();
      const done = () => {
        clearTimeout(timer);
        watch.wake = undefined;
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      watch.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  release(shardId: string): void {
    this.watches.get(shardId)?.unsubscribe();
    this.watches.delete(shardId);
  }

  close(): void {
    for (const watch of this.watches.values()) watch.unsubscribe();
    this.watches.clear();
  }
}
