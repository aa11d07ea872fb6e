import { randomUUID } from 'node:crypto';
import type { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { QueryParams, queryError, queryResponse } from '../../protocols/query.js';
import type { IamDeps } from './deps.js';
import { iamErrors } from './errors.js';
import { iamManagementCall } from './management-calls.js';
import { IAM_DIALECT, IAM_MAX_REQUEST_BYTES } from './limits.js';
import { iamOperations } from './operations/index.js';

/** IAM (query protocol, signing name `iam`; global: any region the caller signs for answers the same). */
export function createIamService(deps: IamDeps): Service {
  return {
    name: 'iam',
    signingName: 'iam',
    targetPrefixes: [],
    maxBodyBytes: IAM_MAX_REQUEST_BYTES,
    ownsPath: () => false,
    queryActions: new Set(Object.keys(iamOperations)),
    managementCall: (ctx: RequestContext) => iamManagementCall(ctx),
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const params = QueryParams.fromRequest(ctx, { formBodyOnly: true });
      const action = params.get('Action');
      if (!action) throw iamErrors.missingAction();
      const operation = iamOperations[action];
      if (!operation) throw iamErrors.invalidAction(action);
      ctx.authorize?.(`iam:${action}`, iamResource(ctx.accountId, params));
      const result = await operation(deps, { ctx, params });
      return queryResponse(IAM_DIALECT, action, ctx.requestId, result);
    },
    serializeError: (error: AwsError) => queryError(IAM_DIALECT, error, randomUUID()),
    accessDenied: (message: string) => iamErrors.accessDenied(message),
    tooLarge: (limit: number) => iamErrors.requestTooLarge(limit),
  };
}

/** The resource an IAM request acts on, as policies name it. */
function iamResource(accountId: string, params: QueryParams): string {
  const policyArn = params.get('PolicyArn');
  const role = params.get('RoleName');
  if (role !== undefined) return `arn:aws:iam::${accountId}:role/${role}`;
  const user = params.get('UserName');
  if (user !== undefined) return `arn:aws:iam::${accountId}:user/${user}`;
  if (policyArn !== undefined) return policyArn;
  const policyName = params.get('PolicyName');
  if (policyName !== undefined) return `arn:aws:iam::${accountId}:policy/${policyName}`;
  return '*';
}
