import type { KeySchema } from '../attribute-value.js';
import type { TableStream } from '../stream-contract.js';
import type { ShardRow } from './tables/shards.js';

/** A shard as DescribeStream shows it. */
export function shardView(row: ShardRow): Record<string, unknown> {
  return {
    ShardId: row.shard_id,
    SequenceNumberRange: {
      StartingSequenceNumber: row.starting_sequence_number,
      ...(row.ending_sequence_number !== null ? { EndingSequenceNumber: row.ending_sequence_number } : {}),
    },
    ...(row.parent_shard_id ? { ParentShardId: row.parent_shard_id } : {}),
  };
}

export function keySchemaView(keySchema: KeySchema): Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }> {
  return [
    { AttributeName: keySchema.hash.name, KeyType: 'HASH' },
    ...(keySchema.range ? [{ AttributeName: keySchema.range.name, KeyType: 'RANGE' as const }] : []),
  ];
}

/** ListStreams' entry for a stream. */
export function streamSummaryView(stream: TableStream): Record<string, unknown> {
  return { StreamArn: stream.streamArn, TableName: stream.tableName, StreamLabel: stream.label };
}
