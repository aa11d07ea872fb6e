import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from '../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../contracts/request-context.js';

/**
 * The AWS JSON RPC protocols (awsJson1_0 / awsJson1_1): `POST /` with `X-Amz-Target:
 * <Prefix>.<Operation>` and a JSON body. Errors carry `__type` (namespace-qualified shape id) and
 * `message`; services with the `awsQueryCompatible` trait (SQS) add `x-amzn-query-error:
 * <QueryCode>;<Sender|Receiver>` so SDKs can report the old query error code.
 */
export interface JsonRpcRequest {
  operation: string;
  input: Record<string, unknown>;
}

export class JsonRpcBodyInvalid extends Error {}

export function isJsonRpcRequest(headers: IncomingHttpHeaders): boolean {
  return typeof headers['x-amz-target'] === 'string';
}

/** The operation named by `X-Amz-Target` and the body as an object (empty body → `{}`). */
export function parseJsonRpc(ctx: Pick<RequestContext, 'headers' | 'body'>): JsonRpcRequest {
  const target = String(ctx.headers['x-amz-target'] ?? '');
  const operation = target.slice(target.indexOf('.') + 1);
  if (ctx.body.length === 0) return { operation, input: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.body.toString('utf8'));
  } catch (err) {
    throw new JsonRpcBodyInvalid(err instanceof Error ? err.message : String(err));
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new JsonRpcBodyInvalid('body must be a JSON object');
  return { operation, input: parsed as Record<string, unknown> };
}

export function jsonRpcResponse(output: unknown, version: '1.0' | '1.1' = '1.0'): ServiceResponse {
  return { status: 200, headers: { 'content-type': `application/x-amz-json-${version}` }, body: JSON.stringify(output ?? {}) };
}

export function jsonRpcError(error: AwsError, options: { namespace: string; version?: '1.0' | '1.1' }): ServiceResponse {
  const body: Record<string, unknown> = { __type: `${options.namespace}#${error.code}`, message: error.message, ...error.fields };
  return {
    status: error.status,
    headers: { 'content-type': `application/x-amz-json-${options.version ?? '1.0'}`, ...error.headers },
    body: JSON.stringify(body),
  };
}
