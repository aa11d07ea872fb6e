import type { Service } from '../../contracts/service.js';
import type { JsonRpcDialect } from '../../protocols/json-rpc.js';
import { jsonRpcService } from '../../protocols/json-rpc-service.js';
import type { SsmDeps, SsmOperation } from './deps.js';
import { errors } from './errors.js';
import { SSM_MAX_REQUEST_BYTES, TARGET_PREFIX } from './limits.js';
import { nameFromIdentifier } from './names.js';
import { parameterOperations } from './operations/parameters.js';
import { queryOperations } from './operations/queries.js';
import { tagOperations } from './operations/tags.js';
import { jsonManagementCall } from '../../protocols/management-calls.js';
import { SSM_MANAGEMENT_CALLS } from './management-calls.js';

/** awsJson 1.1; `__type` is the bare exception name, the message member is `message`. */
const DIALECT: JsonRpcDialect = { targetPrefix: TARGET_PREFIX, jsonVersion: '1.1', errorTypeHeader: false, messageKey: 'message' };

/** The SSM Parameter Store API (`X-Amz-Target: AmazonSSM.*`, signing name `ssm`). */
export function createSsmService(deps: SsmDeps): Service {
  const operations: Record<string, SsmOperation> = {
    ...parameterOperations(deps),
    ...queryOperations(deps),
    ...tagOperations(deps),
  };
  return jsonRpcService({
    name: 'ssm',
    signingName: 'ssm',
    dialect: DIALECT,
    maxBodyBytes: SSM_MAX_REQUEST_BYTES,
    operations,
    unknownOperation: (target) => errors.unknownOperation(target),
    notAnObject: () => errors.serialization('Start of structure or map found where not expected.'),
    authorize(ctx, operation, input) {
      if (!ctx.authorize) return;
      const name = typeof input.Name === 'string' ? nameFromIdentifier(input.Name) : typeof input.ResourceId === 'string' ? input.ResourceId : null;
      const resource = name ? `arn:aws:ssm:${ctx.region}:${ctx.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}` : '*';
      ctx.authorize(`ssm:${operation}`, resource);
    },
    tooLarge: () => errors.validation('Request body too large'),
    managementCall: (ctx, response) => jsonManagementCall(SSM_MANAGEMENT_CALLS, ctx, response),
  });
}
