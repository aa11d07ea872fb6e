import type { AwsError } from '../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../contracts/request-context.js';
import type { Service } from '../contracts/service.js';
import { headerValue } from './header-value.js';
import { JsonRpcBodyInvalid, jsonRpcError, jsonRpcInput, jsonRpcResponse, jsonRpcTarget, type JsonRpcDialect } from './json-rpc.js';

export type JsonRpcOperation = (input: Record<string, unknown>, ctx: RequestContext) => Promise<unknown>;

/** What one awsJson service is: its names, dialect and operations, and its own words for the protocol's errors. */
export interface JsonRpcServiceSpec {
  name: string;
  signingName: string;
  dialect: JsonRpcDialect;
  maxBodyBytes: number;
  operations: Record<string, JsonRpcOperation>;
  /** The service's UnknownOperationException; `target` is the operation named, or the whole header when it names none. */
  unknownOperation(target: string): AwsError;
  /** The service's SerializationException for a body that is not a JSON object; `detail` is the parser's reason. */
  notAnObject(detail: string): AwsError;
  /** Checks the caller's IAM permission once the operation and its input are known. */
  authorize?(ctx: RequestContext, operation: string, input: Record<string, unknown>): void;
  accessDenied?(message: string): AwsError;
  tooLarge(limit: number): AwsError;
  /** Errors some operations throw as their own classes, turned into the service's AwsError. */
  asAwsError?(err: unknown): unknown;
  /** The dialect an error is written in, where it varies by error (DynamoDB's namespace per code). */
  errorDialect?(error: AwsError): JsonRpcDialect;
  /** The CloudTrail management event of a successful call (protocols/management-calls.ts). */
  managementCall?: Service['managementCall'];
}

/**
 * A service whose whole API is awsJson behind one `X-Amz-Target` prefix: the target picks the
 * operation, the body must be an object, IAM is asked before the operation runs, and answers and
 * errors are written in the service's dialect. One shell, so the services differ only in their spec.
 */
export function jsonRpcService(spec: JsonRpcServiceSpec): Service {
  const { dialect, operations } = spec;
  return {
    name: spec.name,
    signingName: spec.signingName,
    targetPrefixes: [dialect.targetPrefix],
    maxBodyBytes: spec.maxBodyBytes,
    ownsPath: () => false,
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const { prefix, operation } = jsonRpcTarget(ctx.headers);
      const handler = prefix === dialect.targetPrefix && Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      if (!handler) throw spec.unknownOperation(operation || (headerValue(ctx.headers['x-amz-target']) ?? ''));
      let input: Record<string, unknown>;
      try {
        input = jsonRpcInput(ctx.body);
      } catch (err) {
        if (err instanceof JsonRpcBodyInvalid) throw spec.notAnObject(err.message);
        throw err;
      }
      spec.authorize?.(ctx, operation, input);
      try {
        return jsonRpcResponse(dialect, (await handler(input, ctx)) ?? {});
      } catch (err) {
        throw spec.asAwsError ? spec.asAwsError(err) : err;
      }
    },
    serializeError: (error: AwsError) => jsonRpcError(spec.errorDialect?.(error) ?? dialect, error),
    ...(spec.accessDenied ? { accessDenied: spec.accessDenied } : {}),
    tooLarge: spec.tooLarge,
    ...(spec.managementCall ? { managementCall: spec.managementCall } : {}),
  };
}
