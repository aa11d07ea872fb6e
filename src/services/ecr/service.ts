import type { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { headerValue } from '../../protocols/header-value.js';
import { JsonRpcBodyInvalid, jsonRpcError, jsonRpcInput, jsonRpcResponse, jsonRpcTarget, type JsonRpcDialect } from '../../protocols/json-rpc.js';
import type { EcrDeps, EcrOperation } from './deps.js';
import { errors } from './errors.js';
import { ECR_MAX_REQUEST_BYTES, TARGET_PREFIX } from './limits.js';
import { authorizationOperations } from './operations/authorization.js';
import { imageOperations } from './operations/images.js';
import { repositoryOperations } from './operations/repositories.js';
import { tagOperations } from './operations/tags.js';

const DIALECT: JsonRpcDialect = { targetPrefix: TARGET_PREFIX, jsonVersion: '1.1', errorTypeHeader: true };

/** The ECR control plane (`X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.*`, signing name `ecr`) in awsJson 1.1. */
export function createEcrService(deps: EcrDeps): Service {
  const operations: Record<string, EcrOperation> = {
    ...repositoryOperations(deps),
    ...imageOperations(deps),
    ...tagOperations(deps),
    ...authorizationOperations(deps),
  };
  return {
    name: 'ecr',
    signingName: 'ecr',
    targetPrefixes: [TARGET_PREFIX],
    maxBodyBytes: ECR_MAX_REQUEST_BYTES,
    ownsPath: () => false,
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const { prefix, operation } = jsonRpcTarget(ctx.headers);
      const handler = prefix === TARGET_PREFIX && Object.hasOwn(operations, operation) ? operations[operation] : undefined;
      if (!handler) throw errors.unknownOperation(operation || (headerValue(ctx.headers['x-amz-target']) ?? ''));
      let input: Record<string, unknown>;
      try {
        input = jsonRpcInput(ctx.body);
      } catch (err) {
        if (err instanceof JsonRpcBodyInvalid) throw errors.serialization(err.message);
        throw err;
      }
      if (ctx.authorize && !['CreateRepository', 'DeleteRepository'].includes(operation)) {
        const name = typeof input.repositoryName === 'string' ? input.repositoryName : null;
        ctx.authorize(`ecr:${operation}`, name ? `arn:aws:ecr:${ctx.region}:${ctx.accountId}:repository/${name}` : '*');
      }
      return jsonRpcResponse(DIALECT, await handler(input, ctx));
    },
    serializeError: (error: AwsError) => jsonRpcError(DIALECT, error),
    tooLarge: () => errors.invalidParameter('Request body too large'),
  };
}
