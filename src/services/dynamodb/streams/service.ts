import type { Service } from '../../../contracts/service.js';
import { authorizeDynamodb, dynamodbAccessDenied } from '../iam-actions.js';
import type { JsonRpcDialect } from '../../../protocols/json-rpc.js';
import { jsonRpcService } from '../../../protocols/json-rpc-service.js';
import type { DynamodbStreamsDeps, StreamsOperation } from './deps.js';
import { errors } from './errors.js';
import { TARGET_PREFIX } from './limits.js';
import { describeStream } from './operations/describe-stream.js';
import { listStreams } from './operations/list-streams.js';
import { getRecords, getShardIterator } from './operations/shard-iterators.js';

/** DynamoDB's awsJson 1.0: `__type` as `com.amazonaws.dynamodb.v20120810#<Code>`. */
const DIALECT: JsonRpcDialect = { targetPrefix: TARGET_PREFIX, jsonVersion: '1.0', errorNamespace: 'com.amazonaws.dynamodb.v20120810', errorTypeHeader: false, messageKey: 'message' };

/** Requests are small (an ARN, an iterator); 1 MiB is generous. */
const MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * The DynamoDB Streams API (`X-Amz-Target: DynamoDBStreams_20120810.*`). Its clients sign with
 * `dynamodb`, as DynamoDB's do; the edge tells the two apart by the target prefix.
 */
export function createDynamodbStreamsService(deps: DynamodbStreamsDeps): Service {
  const operations: Record<string, StreamsOperation> = {
    ListStreams: listStreams(deps),
    DescribeStream: describeStream(deps),
    GetShardIterator: getShardIterator(deps),
    GetRecords: getRecords(deps),
  };
  return jsonRpcService({
    name: 'dynamodbstreams',
    signingName: 'dynamodb',
    dialect: DIALECT,
    maxBodyBytes: MAX_REQUEST_BYTES,
    operations,
    unknownOperation: (target) => errors.unknownOperation(target),
    notAnObject: () => errors.serialization(),
    authorize: authorizeDynamodb,
    accessDenied: dynamodbAccessDenied,
    tooLarge: () => errors.constraints(['Request too large']),
  });
}
