import type { DynamodbStreamsDeps, StreamsOperation } from '../deps.js';
import { errors } from '../errors.js';
import { DEFAULT_DESCRIBE_STREAM_LIMIT, MAX_DESCRIBE_STREAM_LIMIT } from '../limits.js';
import { syncShards } from '../stream-shards.js';
import { listShards } from '../tables/shards.js';
import { StreamsConstraints } from '../validation.js';
import { keySchemaView, shardView } from '../views.js';

/** DescribeStream: the stream and a page of its shards, oldest first, after ExclusiveStartShardId. */
export function describeStream(deps: DynamodbStreamsDeps): StreamsOperation {
  return async (input) => {
    const check = new StreamsConstraints(input);
    const arn = check.string('StreamArn', { required: true, min: 37, max: 1024 });
    const limit = check.integer('Limit', { min: 1 }) ?? DEFAULT_DESCRIBE_STREAM_LIMIT;
    const exclusiveStart = check.string('ExclusiveStartShardId', { min: 28, max: 65 });
    check.throwIfFailed();
    const stream = await deps.catalog.find(arn!);
    if (!stream) throw errors.streamNotFound(arn!);
    await syncShards(deps, stream);
    const pageSize = Math.min(limit, MAX_DESCRIBE_STREAM_LIMIT);
    const rows = await listShards(deps.db, stream.streamArn, pageSize + 1, exclusiveStart);
    const page = rows.slice(0, pageSize);
    return {
      StreamDescription: {
        StreamArn: stream.streamArn,
        StreamLabel: stream.label,
        StreamStatus: stream.status,
        StreamViewType: stream.viewType,
        CreationRequestDateTime: stream.createdMs / 1000,
        TableName: stream.tableName,
        KeySchema: keySchemaView(stream.keySchema),
        Shards: page.map(shardView),
        ...(rows.length > pageSize ? { LastEvaluatedShardId: page[page.length - 1]!.shard_id } : {}),
      },
    };
  };
}
