import type { AwsError } from '../../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../../contracts/request-context.js';
import type { Service } from '../../../contracts/service.js';
import { authorizeDynamodb, dynamodbAccessDenied } from '../iam-actions.js';
import { headerValue } from '../../../protocols/header-value.js';
import { JsonRpcBodyInvalid, jsonRpcError, jsonRpcInput, jsonRpcResponse, jsonRpcTarget, type JsonRpcDialect } from '../../../protocols/json-rpc.js';
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
  return {
    name: 'dynamodbstreams',
    signingName: 'dynamodb',
    targetPrefixes: [TARGET_PREFIX],
    maxBodyBytes: MAX_REQUEST_BYTES,
    ownsPath: () => false,
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const { prefix, operation } = jsonRpcTarget(ctx.headers);
      const handler = prefix === TARGET_PREFIX && Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      if (!handler) throw errors.unknownOperation(operation || (headerValue(ctx.headers['x-amz-target']) ?? ''));
      let input: Record<string, unknown>;
      try {
        input = jsonRpcInput(ctx.body);
      } catch (err) {
        if (err instanceof JsonRpcBodyInvalid) throw errors.serialization();
        throw err;
      }
      authorizeDynamodb(ctx, operation, input);
      return jsonRpcResponse(DIALECT, await handler(input, ctx));
    },
    serializeError: (error: AwsError) => jsonRpcError(DIALECT, error),
    accessDenied: dynamodbAccessDenied,
    tooLarge: () => errors.constraints(['Request too large']),
  };
}
