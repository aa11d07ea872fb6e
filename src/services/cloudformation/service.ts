import { randomUUID } from 'node:crypto';
import type { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { QueryParams, queryError, queryResponse } from '../../protocols/query.js';
import type { CfnDeps } from './deps.js';
import { cfnErrors } from './errors.js';
import { CFN_DIALECT, CFN_MAX_REQUEST_BYTES } from './limits.js';
import { cfnOperations } from './operations/index.js';
import { cloudFormationManagementCall } from './management-calls.js';

/** CloudFormation (query protocol, version 2010-05-15, signing name `cloudformation`). */
export function createCloudFormationService(deps: CfnDeps): Service {
  return {
    name: 'cloudformation',
    signingName: 'cloudformation',
    targetPrefixes: [],
    maxBodyBytes: CFN_MAX_REQUEST_BYTES,
    ownsPath: () => false,
    queryActions: new Set(Object.keys(cfnOperations)),
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const params = QueryParams.fromRequest(ctx, { formBodyOnly: true });
      const action = params.get('Action');
      if (!action) throw cfnErrors.missingAction();
      const operation = cfnOperations[action];
      if (!operation) throw cfnErrors.invalidAction(action);
      const stack = params.get('StackName');
      ctx.authorize?.(`cloudformation:${action}`, stack?.startsWith('arn:') ? stack : `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:stack/${stack ?? '*'}/*`);
      const result = await operation(deps, { ctx, params });
      return queryResponse(CFN_DIALECT, action, ctx.requestId, result);
    },
    serializeError: (error: AwsError) => queryError(CFN_DIALECT, error, randomUUID()),
    accessDenied: (message: string) => cfnErrors.accessDenied(message),
    tooLarge: (limit: number) => cfnErrors.requestTooLarge(limit),
    managementCall: (ctx: RequestContext) => cloudFormationManagementCall(ctx),
  };
}
