import { AwsError } from '../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../contracts/request-context.js';
import { headerValue } from './header-value.js';

/**
 * The awsJson 1.0 / 1.1 wire protocol: `POST /` with `X-Amz-Target: <Prefix>.<Operation>`, a JSON
 * body, a JSON answer, and errors as `{"__type": code, "message": …}` plus `x-amzn-ErrorType`.
 * Services hand it a table of operations; it parses, dispatches and writes.
 */
export type JsonRpcHandler = (input: Record<string, unknown>, ctx: RequestContext) => Promise<unknown>;

export interface JsonRpcOptions {
  /** e.g. `AWSEvents` (the X-Amz-Target prefix). */
  targetPrefix: string;
  /** `1.0` or `1.1`: the content type's version. */
  jsonVersion: '1.0' | '1.1';
  operations: Record<string, JsonRpcHandler>;
}

export class JsonRpcRouter {
  constructor(private readonly options: JsonRpcOptions) {}

  /** The operation a request names, or null when the target is not one of ours. */
  operationOf(ctx: Pick<RequestContext, 'headers'>): string | null {
    const target = headerValue(ctx.headers['x-amz-target']) ?? '';
    const dot = target.indexOf('.');
    if (dot < 0 || target.slice(0, dot) !== this.options.targetPrefix) return null;
    const operation = target.slice(dot + 1);
    return Object.prototype.hasOwnProperty.call(this.options.operations, operation) ? operation : null;
  }

  async handle(ctx: RequestContext): Promise<ServiceResponse> {
    const operation = this.operationOf(ctx);
    if (!operation) {
      const target = headerValue(ctx.headers['x-amz-target']) ?? '';
      throw new AwsError('UnknownOperationException', 400, target ? `Operation ${target.split('.').pop()} is not supported.` : 'Missing X-Amz-Target header.');
    }
    let input: unknown = {};
    const text = ctx.body.toString('utf8').trim();
    if (text) {
      try {
        input = JSON.parse(text);
      } catch {
        throw new AwsError('SerializationException', 400, 'Start of structure or map found where not expected.');
      }
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new AwsError('SerializationException', 400, 'Start of structure or map found where not expected.');
    }
    const output = await this.options.operations[operation]!(input as Record<string, unknown>, ctx);
    return jsonRpcResponse(this.options.jsonVersion, output ?? {});
  }

  serializeError(error: AwsError): ServiceResponse {
    return jsonRpcError(this.options.jsonVersion, error);
  }
}

export function jsonRpcResponse(version: '1.0' | '1.1', output: unknown): ServiceResponse {
  return { status: 200, headers: { 'content-type': `application/x-amz-json-${version}` }, body: JSON.stringify(output) };
}

export function jsonRpcError(version: '1.0' | '1.1', error: AwsError): ServiceResponse {
  const body: Record<string, unknown> = { __type: error.code, [error.messageKey]: error.message, ...error.fields };
  return {
    status: error.status,
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amzn-ErrorType': error.code, ...error.headers },
    body: JSON.stringify(body),
  };
}
