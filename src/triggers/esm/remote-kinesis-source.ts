import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, ListShardsCommand, type ShardIteratorType } from '@aws-sdk/client-kinesis';
import { remoteKinesisClient } from './remote-kinesis-client.js';
import { REMOTE_STREAM_POLL_INTERVAL_MS } from './limits.js';
import type { SourceRead, SourceShard, StreamPosition, StreamSource } from './stream-source.js';
import { systemClock } from '../../clock.js';
import { pause } from './stream-mapping-context.js';

function positionKey(p: StreamPosition): string {
  return p.type === 'AT_TIMESTAMP' ? `${p.type}:${p.timestampMs}` : 'sequenceNumber' in p ? `${p.type}:${p.sequenceNumber}` : p.type;
}

/**
 * Reads any AWS-compatible Kinesis endpoint (AWS itself, another Lambkin, …) with the official SDK
 * client, polling each shard once a second as Lambda's standard iterators do.
 */
export class RemoteKinesisSource implements StreamSource {
  private readonly client: KinesisClient;
  /** The iterator GetRecords handed back for the position a shard's poller reads next. */
  private readonly iterators = new Map<string, { key: string; iterator: string }>();

  constructor(
    readonly streamArn: string,
    endpoint: string,
  ) {
    this.client = remoteKinesisClient(endpoint, streamArn);
  }

  async listShards(): Promise<SourceShard[]> {
    const out: SourceShard[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListShardsCommand(token ? { NextToken: token } : { StreamARN: this.streamArn }));
      for (const s of page.Shards ?? []) {
        out.push({
          shardId: s.ShardId ?? '',
          ...(s.ParentShardId ? { parentShardId: s.ParentShardId } : {}),
          ...(s.AdjacentParentShardId ? { adjacentParentShardId: s.AdjacentParentShardId } : {}),
          closed: s.SequenceNumberRange?.EndingSequenceNumber !== undefined,
        });
      }
      token = page.NextToken;
    } while (token);
    return out;
  }

  async read(shardId: string, from: StreamPosition, limit: number): Promise<SourceRead> {
    const key = positionKey(from);
    const cached = this.iterators.get(shardId);
    const iterator = cached && cached.key === key ? cached.iterator : await this.iteratorAt(shardId, from);
    const page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(limit, 10_000), StreamARN: this.streamArn }));
    const records = (page.Records ?? []).map((r) => ({
      sequenceNumber: r.SequenceNumber ?? '',
      partitionKey: r.PartitionKey ?? '',
      data: Buffer.from(r.Data ?? new Uint8Array()),
      arrivalMs: r.ApproximateArrivalTimestamp ? r.ApproximateArrivalTimestamp.getTime() : Date.now(),
    }));
    const last = records[records.length - 1];
    if (!page.NextShardIterator) {
      this.iterators.delete(shardId);
      // A closed shard's last page: what it returned is all there is.
      return { records, next: null };
    }
    const next: StreamPosition = last ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: last.sequenceNumber } : from;
    this.iterators.set(shardId, { key: positionKey(next), iterator: page.NextShardIterator });
    return { records, next };
  }

  private async iteratorAt(shardId: string, from: StreamPosition): Promise<string> {
    try {
      return await this.requestIterator(shardId, from);
    } catch (err) {
      // Kinesis refuses a timestamp ahead of its own clock: when ours runs ahead (LATEST is the
      // mapping's creation time), nothing has arrived after it there yet.
      if (from.type === 'AT_TIMESTAMP' && (err as { name?: string }).name === 'InvalidArgumentException') return this.requestIterator(shardId, { type: 'LATEST' });
      throw err;
    }
  }

  private async requestIterator(shardId: string, from: StreamPosition): Promise<string> {
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamARN: this.streamArn,
        ShardId: shardId,
        ShardIteratorType: from.type as ShardIteratorType,
        ...('sequenceNumber' in from ? { StartingSequenceNumber: from.sequenceNumber } : {}),
        ...(from.type === 'AT_TIMESTAMP' ? { Timestamp: new Date(from.timestampMs) } : {}),
      }),
    );
    return out.ShardIterator ?? '';
  }

  async waitForRecords(_shardId: string, maxWaitMs: number, signal: AbortSignal): Promise<void> {
    // Nothing tells a remote poller that records arrived: it waits out the poll interval.
    await pause(systemClock, Math.min(maxWaitMs, REMOTE_STREAM_POLL_INTERVAL_MS), signal);
  }

  release(shardId: string): void {
    this.iterators.delete(shardId);
  }

  close(): void {
    this.client.destroy();
  }
}
