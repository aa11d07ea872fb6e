import type { Service } from '../../contracts/service.js';
import type { JsonRpcDialect } from '../../protocols/json-rpc.js';
import { jsonRpcService } from '../../protocols/json-rpc-service.js';
import type { EcrDeps, EcrOperation } from './deps.js';
import { errors } from './errors.js';
import { ECR_MAX_REQUEST_BYTES, TARGET_PREFIX } from './limits.js';
import { authorizationOperations } from './operations/authorization.js';
import { imageOperations } from './operations/images.js';
import { repositoryOperations } from './operations/repositories.js';
import { tagOperations } from './operations/tags.js';
import { jsonManagementCall } from '../../protocols/management-calls.js';
import { ECR_MANAGEMENT_CALLS } from './management-calls.js';

const DIALECT: JsonRpcDialect = { targetPrefix: TARGET_PREFIX, jsonVersion: '1.1', errorTypeHeader: true };

/** The ECR control plane (`X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.*`, signing name `ecr`) in awsJson 1.1. */
export function createEcrService(deps: EcrDeps): Service {
  const operations: Record<string, EcrOperation> = {
    ...repositoryOperations(deps),
    ...imageOperations(deps),
    ...tagOperations(deps),
    ...authorizationOperations(deps),
  };
  return jsonRpcService({
    name: 'ecr',
    signingName: 'ecr',
    dialect: DIALECT,
    maxBodyBytes: ECR_MAX_REQUEST_BYTES,
    operations,
    unknownOperation: (target) => errors.unknownOperation(target),
    notAnObject: (detail) => errors.serialization(detail),
    authorize(ctx, operation, input) {
      // Creating and deleting a repository are asked for by the operations themselves.
      if (!ctx.authorize || ['CreateRepository', 'DeleteRepository'].includes(operation)) return;
      const name = typeof input.repositoryName === 'string' ? input.repositoryName : null;
      ctx.authorize(`ecr:${operation}`, name ? `arn:aws:ecr:${ctx.region}:${ctx.accountId}:repository/${name}` : '*');
    },
    tooLarge: () => errors.invalidParameter('Request body too large'),
    managementCall: (ctx, response) => jsonManagementCall(ECR_MANAGEMENT_CALLS, ctx, response),
  });
}
