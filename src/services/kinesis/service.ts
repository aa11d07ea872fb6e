import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { CborBodyInvalid, cborError, cborResponse, decodeCborBody, isCborRequest } from '../../protocols/aws-cbor.js';
import { headerValue } from '../../protocols/header-value.js';
import { JsonRpcBodyInvalid, jsonRpcError, jsonRpcInput, jsonRpcResponse, jsonRpcTarget, type JsonRpcDialect } from '../../protocols/json-rpc.js';
import type { KinesisDeps, KinesisOperation } from './deps.js';
import { errors } from './errors.js';
import { KINESIS_MAX_REQUEST_BYTES, TARGET_PREFIX } from './limits.js';
import { consumerOperations } from './operations/consumers.js';
import { readingOperations } from './operations/reading.js';
import { recordOperations } from './operations/records.js';
import { retentionOperations } from './operations/retention.js';
import { shardOperations } from './operations/shards.js';
import { streamOperations } from './operations/streams.js';
import { subscribeToShard } from './operations/subscribe-to-shard.js';
import { tagOperations } from './operations/tags.js';
import { jsonManagementCall } from '../../protocols/management-calls.js';
import { KINESIS_MANAGEMENT_CALLS } from './management-calls.js';
import { toWire, type WireFormat } from './wire.js';

/** Kinesis's awsJson: bare error codes, repeated in `x-amzn-ErrorType` (as EventBridge). */
const JSON_DIALECT: JsonRpcDialect = { targetPrefix: TARGET_PREFIX, jsonVersion: '1.1', errorTypeHeader: true };

/**
 * The Kinesis Data Streams API (`X-Amz-Target: Kinesis_20131202.*`, signing name `kinesis`) in
 * awsJson 1.1 and in AWS's CBOR (`application/x-amz-cbor-1.1`); each answer, errors included,
 * in the protocol of its request.
 */
export function createKinesisService(deps: KinesisDeps): Service {
  const operations: Record<string, KinesisOperation> = {
    ...streamOperations(deps),
    ...shardOperations(deps),
    ...retentionOperations(deps),
    ...tagOperations(deps),
    ...recordOperations(deps),
    ...readingOperations(deps),
    ...consumerOperations(deps),
  };
  return {
    name: 'kinesis',
    signingName: 'kinesis',
    targetPrefixes: [JSON_DIALECT.targetPrefix],
    maxBodyBytes: KINESIS_MAX_REQUEST_BYTES,
    ownsPath: () => false,
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const format: WireFormat = isCborRequest(ctx.headers) ? 'cbor' : 'json';
      const { prefix, operation } = jsonRpcTarget(ctx.headers);
      if (ctx.authorize) ctx.authorize(`kinesis:${operation}`, kinesisResource(ctx, readInput(ctx, format)));
      // The one operation whose answer is an event stream rather than a document.
      if (prefix === TARGET_PREFIX && operation === 'SubscribeToShard') return subscribeToShard(deps, readInput(ctx, format), ctx, format);
      const handler = prefix === TARGET_PREFIX && Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      if (!handler) throw errors.unknownOperation(operation || (headerValue(ctx.headers['x-amz-target']) ?? ''));
      const output = toWire((await handler(readInput(ctx, format), ctx)) ?? {}, format);
      return format === 'cbor' ? cborResponse(output) : jsonRpcResponse(JSON_DIALECT, output);
    },
    serializeError(error: AwsError, headers?: IncomingHttpHeaders): ServiceResponse {
      if (headers && isCborRequest(headers)) return cborError(error);
      return jsonRpcError(JSON_DIALECT, error);
    },
    accessDenied: (message: string) => new AwsError('AccessDeniedException', 400, message),
    // CBOR requests are read as the handler reads them; answers of CBOR calls are left out.
    managementCall: (ctx: RequestContext, response: ServiceResponse) =>
      jsonManagementCall(KINESIS_MANAGEMENT_CALLS, ctx, isCborRequest(ctx.headers) ? { ...response, body: undefined } : response, () => readInput(ctx, isCborRequest(ctx.headers) ? 'cbor' : 'json')),
    tooLarge: (limit: number) => errors.requestTooLarge(limit),
  };
}

function readInput(ctx: RequestContext, format: WireFormat): Record<string, unknown> {
  try {
    return format === 'cbor' ? decodeCborBody(ctx.body) : jsonRpcInput(ctx.body);
  } catch (err) {
    if (err instanceof JsonRpcBodyInvalid || err instanceof CborBodyInvalid) throw errors.serialization(err.message);
    throw err;
  }
}

/** The stream or consumer a request names, as its ARN; `*` for account-wide operations. */
function kinesisResource(ctx: RequestContext, input: unknown): string {
  const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  for (const key of ['ConsumerARN', 'StreamARN', 'ResourceARN']) if (typeof body[key] === 'string') return body[key] as string;
  if (typeof body.StreamName === 'string') return `arn:aws:kinesis:${ctx.region}:${ctx.accountId}:stream/${body.StreamName}`;
  return '*';
}
