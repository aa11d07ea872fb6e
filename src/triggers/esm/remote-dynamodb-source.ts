import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record, type AttributeValue as SdkValue } from '@aws-sdk/client-dynamodb-streams';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { regionOfArn } from './kinesis-arns.js';
import { REMOTE_STREAM_POLL_INTERVAL_MS } from './limits.js';
import type { SourceRead, SourceRecord, SourceShard, StreamPosition, StreamSource } from './stream-source.js';
import { systemClock } from '../../clock.js';
import { pause } from './stream-mapping-context.js';

/** The streams API caps GetRecords at 1,000 records. */
const MAX_REMOTE_GET_RECORDS = 1000;

function positionKey(p: StreamPosition): string {
  return p.type === 'AT_TIMESTAMP' ? `${p.type}:${p.timestampMs}` : 'sequenceNumber' in p ? `${p.type}:${p.sequenceNumber}` : p.type;
}

/** An SDK attribute value back in DynamoDB JSON (binaries base64), as the event carries them. */
function wireValue(value: SdkValue): unknown {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.M !== undefined) return { M: wireItem(value.M) };
  if (value.L !== undefined) return { L: value.L.map(wireValue) };
  const { $unknown: _unknown, ...rest } = value as SdkValue & { $unknown?: unknown };
  return rest;
}

function wireItem(item: Record<string, SdkValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) out[name] = wireValue(value);
  return out;
}

/** An SDK record as the streams API sent it: the JSON the embedded source stores. */
function wireRecord(r: _Record): { json: string; createdMs: number; keys: unknown } {
  const d = r.dynamodb ?? {};
  const createdMs = d.ApproximateCreationDateTime ? d.ApproximateCreationDateTime.getTime() : Date.now();
  const dynamodb = {
    ApproximateCreationDateTime: Math.floor(createdMs / 1000),
    Keys: wireItem(d.Keys ?? {}),
    ...(d.NewImage ? { NewImage: wireItem(d.NewImage) } : {}),
    ...(d.OldImage ? { OldImage: wireItem(d.OldImage) } : {}),
    SequenceNumber: d.SequenceNumber,
    SizeBytes: d.SizeBytes,
    StreamViewType: d.StreamViewType,
  };
  const record = {
    eventID: r.eventID,
    eventName: r.eventName,
    eventVersion: r.eventVersion,
    eventSource: r.eventSource,
    awsRegion: r.awsRegion,
    dynamodb,
    ...(r.userIdentity ? { userIdentity: { PrincipalId: r.userIdentity.PrincipalId, Type: r.userIdentity.Type } } : {}),
  };
  return { json: JSON.stringify(record), createdMs, keys: dynamodb.Keys };
}

/**
 * Reads any AWS-compatible DynamoDB Streams endpoint with the official SDK client, polling each
 * shard once a second. The streams API has no AT_TIMESTAMP: a mapping's LATEST (its creation
 * time) reads from the trim horizon and skips records created more than a second before it
 * (ApproximateCreationDateTime has whole seconds). Credentials come from the SDK's default chain;
 * on a loopback endpoint without any, `test`/`test`.
 */
export class RemoteDynamodbSource implements StreamSource {
  private readonly client: DynamoDBStreamsClient;
  private readonly iterators = new Map<string, { key: string; iterator: string }>();

  constructor(
    readonly streamArn: string,
    endpoint: string,
  ) {
    const loopback = /^https?:\/\/(127\.|localhost|\[::1\])/.test(endpoint);
    const credentials = loopback && !process.env.AWS_ACCESS_KEY_ID ? { accessKeyId: 'test', secretAccessKey: 'test' } : undefined;
    this.client = new DynamoDBStreamsClient({ endpoint, region: regionOfArn(streamArn), credentials, maxAttempts: 2, requestHandler: new NodeHttpHandler() });
  }

  /** Whether the stream exists there (CreateEventSourceMapping's check). */
  async exists(): Promise<boolean> {
    try {
      await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn, Limit: 1 }));
      return true;
    } catch (err) {
      if ((err as { name?: string }).name === 'ResourceNotFoundException') return false;
      throw err;
    }
  }

  async listShards(): Promise<SourceShard[]> {
    const out: SourceShard[] = [];
    let start: string | undefined;
    do {
      const page = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }));
      for (const s of page.StreamDescription?.Shards ?? []) {
        out.push({
          shardId: s.ShardId ?? '',
          ...(s.ParentShardId ? { parentShardId: s.ParentShardId } : {}),
          closed: s.SequenceNumberRange?.EndingSequenceNumber !== undefined,
        });
      }
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return out;
  }

  async read(shardId: string, from: StreamPosition, limit: number): Promise<SourceRead> {
    const key = positionKey(from);
    const cached = this.iterators.get(shardId);
    const iterator = cached && cached.key === key ? cached.iterator : await this.iteratorAt(shardId, from);
    const page = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(limit, MAX_REMOTE_GET_RECORDS) }));
    const floorMs = from.type === 'AT_TIMESTAMP' ? Math.floor(from.timestampMs / 1000) * 1000 - 1000 : -Infinity;
    const records: SourceRecord[] = [];
    let lastSequence: string | undefined;
    for (const r of page.Records ?? []) {
      const wire = wireRecord(r);
      lastSequence = r.dynamodb?.SequenceNumber ?? lastSequence;
      if (wire.createdMs < floorMs) continue;
      records.push({ sequenceNumber: r.dynamodb?.SequenceNumber ?? '', partitionKey: JSON.stringify(wire.keys), data: Buffer.from(wire.json), arrivalMs: wire.createdMs });
    }
    if (!page.NextShardIterator) {
      this.iterators.delete(shardId);
      return { records, next: null };
    }
    const next: StreamPosition = lastSequence ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: lastSequence } : from;
    this.iterators.set(shardId, { key: positionKey(next), iterator: page.NextShardIterator });
    return { records, next };
  }

  private async iteratorAt(shardId: string, from: StreamPosition): Promise<string> {
    const type = from.type === 'AT_TIMESTAMP' ? 'TRIM_HORIZON' : from.type;
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamArn: this.streamArn,
        ShardId: shardId,
        ShardIteratorType: type,
        ...('sequenceNumber' in from ? { SequenceNumber: from.sequenceNumber } : {}),
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
