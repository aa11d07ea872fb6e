import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { CborBodyInvalid, cborError, cborResponse, decodeCborBody, isCborRequest } from '../../protocols/aws-cbor.js';
import { headerValue } from '../../protocols/header-value.js';
import { JsonRpcBodyInvalid, parseJsonRpc } from '../../protocols/json-rpc.js';
import type { KinesisDeps, KinesisOperation } from './deps.js';
import { errors } from './errors.js';
import { KINESIS_MAX_REQUEST_BYTES, TARGET_PREFIX } from './limits.js';
import { consumerOperations } from './operations/consumers.js';
import { readingOperations } from './operations/reading.js';
import { recordOperations } from './operations/records.js';
import { retentionOperations } from './operations/retention.js';
import { shardOperations } from './operations/shards.js';
import { streamOperations } from './operations/streams.js';
import { tagOperations } from './operations/tags.js';
import { toWire, type WireFormat } from './wire.js';

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

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
    targetPrefixes: [TARGET_PREFIX],
    maxBodyBytes: KINESIS_MAX_REQUEST_BYTES,
    ownsPath: () => false,
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const format: WireFormat = isCborRequest(ctx.headers) ? 'cbor' : 'json';
      const target = headerValue(ctx.headers['x-amz-target']) ?? '';
      const dot = target.indexOf('.');
      const operation = target.slice(dot + 1);
      const handler = dot > 0 && target.slice(0, dot) === TARGET_PREFIX && Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      if (!handler) throw errors.unknownOperation(operation || target);
      const output = toWire((await handler(readInput(ctx, format), ctx)) ?? {}, format);
      return format === 'cbor' ? cborResponse(output) : { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE }, body: JSON.stringify(output) };
    },
    serializeError(error: AwsError, headers?: IncomingHttpHeaders): ServiceResponse {
      if (headers && isCborRequest(headers)) return cborError(error);
      return {
        status: error.status,
        headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-ErrorType': error.code, ...error.headers },
        body: JSON.stringify({ __type: error.code, [error.messageKey]: error.message, ...error.fields }),
      };
    },
    tooLarge: (limit: number) => errors.requestTooLarge(limit),
  };
}

function readInput(ctx: RequestContext, format: WireFormat): Record<string, unknown> {
  try {
    return format === 'cbor' ? decodeCborBody(ctx.body) : parseJsonRpc(ctx).input;
  } catch (err) {
    if (err instanceof JsonRpcBodyInvalid || err instanceof CborBodyInvalid) throw errors.serialization(err.message);
    throw err;
  }
}
