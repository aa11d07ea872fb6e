import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from '../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../contracts/request-context.js';
import { headerValue } from './header-value.js';

/**
 * The awsJson 1.0 / 1.1 wire protocol: `POST /` with `X-Amz-Target: <Prefix>.<Operation>`, a JSON
 * body, a JSON answer, and errors as `{"__type": …, "message": …}`. Services differ in a few
 * details, which their dialect states; services with the `awsQueryCompatible` trait (SQS) also
 * send `x-amzn-query-error: <QueryCode>;<Sender|Receiver>` among the error's own headers, so SDKs
 * can report the old query error code.
 */
export interface JsonRpcDialect {
  /** The X-Amz-Target prefix, e.g. `AWSEvents`, `AmazonSQS`. */
  targetPrefix: string;
  /** `1.0` or `1.1`: the content type's version. */
  jsonVersion: '1.0' | '1.1';
  /** `__type` as the Smithy shape id `<namespace>#<Code>` (SQS); absent, the bare code (EventBridge). */
  errorNamespace?: string;
  /** The code again in `x-amzn-ErrorType` (EventBridge). */
  errorTypeHeader: boolean;
  /** The message member of every error (SQS: always `message`); absent, each error's own `messageKey`. */
  messageKey?: 'message' | 'Message';
}

export interface JsonRpcRequest {
  operation: string;
  input: Record<string, unknown>;
}

/** The body is not a JSON object; each service answers this in its own words. */
export class JsonRpcBodyInvalid extends Error {}

export function isJsonRpcRequest(headers: IncomingHttpHeaders): boolean {
  return typeof headers['x-amz-target'] === 'string';
}

/** `X-Amz-Target` split at its first dot; without a dot the whole value is the operation. */
export function jsonRpcTarget(headers: IncomingHttpHeaders): { prefix: string | undefined; operation: string } {
  const target = headerValue(headers['x-amz-target']) ?? '';
  const dot = target.indexOf('.');
  return dot < 0 ? { prefix: undefined, operation: target } : { prefix: target.slice(0, dot), operation: target.slice(dot + 1) };
}

/** The body as an object: an empty (or blank) body is `{}`; anything but an object is refused. */
export function jsonRpcInput(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new JsonRpcBodyInvalid(err instanceof Error ? err.message : String(err));
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new JsonRpcBodyInvalid('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** The operation `X-Amz-Target` names (whatever its prefix) and the body as an object. */
export function parseJsonRpc(ctx: Pick<RequestContext, 'headers' | 'body'>): JsonRpcRequest {
  return { operation: jsonRpcTarget(ctx.headers).operation, input: jsonRpcInput(ctx.body) };
}

export function jsonRpcResponse(dialect: JsonRpcDialect, output: unknown): ServiceResponse {
  return { status: 200, headers: { 'content-type': `application/x-amz-json-${dialect.jsonVersion}` }, body: JSON.stringify(output ?? {}) };
}

export function jsonRpcError(dialect: JsonRpcDialect, error: AwsError): ServiceResponse {
  const body: Record<string, unknown> = {
    __type: dialect.errorNamespace ? `${dialect.errorNamespace}#${error.code}` : error.code,
    [dialect.messageKey ?? error.messageKey]: error.message,
    ...error.fields,
  };
  return {
    status: error.status,
    headers: {
      'content-type': `application/x-amz-json-${dialect.jsonVersion}`,
      ...(dialect.errorTypeHeader ? { 'x-amzn-ErrorType': error.code } : {}),
      ...error.headers,
    },
    body: JSON.stringify(body),
  };
}

export type JsonRpcHandler = (input: Record<string, unknown>, ctx: RequestContext) => Promise<unknown>;

/**
 * A service whose whole API is awsJson (EventBridge): a table of operations, dispatched by target,
 * with the protocol's own errors for an unknown target (`UnknownOperationException`) and a body
 * that is not an object (`SerializationException`).
 */
export class JsonRpcRouter {
  constructor(
    private readonly dialect: JsonRpcDialect,
    private readonly operations: Record<string, JsonRpcHandler>,
  ) {}

  /** The operation a request names, or null when the target is not one of ours. */
  operationOf(ctx: Pick<RequestContext, 'headers'>): string | null {
    const { prefix, operation } = jsonRpcTarget(ctx.headers);
    if (prefix !== this.dialect.targetPrefix) return null;
    return Object.prototype.hasOwnProperty.call(this.operations, operation) ? operation : null;
  }

  async handle(ctx: RequestContext): Promise<ServiceResponse> {
    const operation = this.operationOf(ctx);
    if (!operation) {
      const target = headerValue(ctx.headers['x-amz-target']) ?? '';
      throw new AwsError('UnknownOperationException', 400, target ? `Operation ${target.split('.').pop()} is not supported.` : 'Missing X-Amz-Target header.');
    }
    let input: Record<string, unknown>;
    try {
      input = jsonRpcInput(ctx.body);
    } catch (err) {
      if (err instanceof JsonRpcBodyInvalid) throw new AwsError('SerializationException', 400, 'Start of structure or map found where not expected.');
      throw err;
    }
    return jsonRpcResponse(this.dialect, await this.operations[operation]!(input, ctx));
  }

  serializeError(error: AwsError): ServiceResponse {
    return jsonRpcError(this.dialect, error);
  }
}
