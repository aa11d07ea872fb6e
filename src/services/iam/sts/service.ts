import { randomUUID } from 'node:crypto';
import type { AwsError } from '../../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../../contracts/request-context.js';
import type { Service } from '../../../contracts/service.js';
import { QueryParams, queryError, queryResponse } from '../../../protocols/query.js';
import type { IamDeps, IamOperation } from '../deps.js';
import { stsErrors } from '../errors.js';
import { IAM_MAX_REQUEST_BYTES, STS_DIALECT } from '../limits.js';
import { assumeRole, getCallerIdentity, getSessionToken } from './operations.js';

const STS_OPERATIONS: Record<string, IamOperation> = {
  GetCallerIdentity: getCallerIdentity,
  AssumeRole: assumeRole,
  GetSessionToken: getSessionToken,
};

/** STS (query protocol, signing name `sts`); it shares IAM's roles and the session store. */
export function createStsService(deps: IamDeps): Service {
  return {
    name: 'sts',
    signingName: 'sts',
    targetPrefixes: [],
    maxBodyBytes: IAM_MAX_REQUEST_BYTES,
    ownsPath: () => false,
    queryActions: new Set(Object.keys(STS_OPERATIONS)),
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const params = QueryParams.fromRequest(ctx, { formBodyOnly: true });
      const action = params.get('Action');
      if (!action) throw stsErrors.missingAction();
      const operation = STS_OPERATIONS[action];
      if (!operation) throw stsErrors.invalidAction(action);
      const result = await operation(deps, { ctx, params });
      return queryResponse(STS_DIALECT, action, ctx.requestId, result);
    },
    serializeError: (error: AwsError) => queryError(STS_DIALECT, error, randomUUID()),
    accessDenied: (message: string) => stsErrors.accessDenied(message),
    tooLarge: (limit: number) => stsErrors.requestTooLarge(limit),
  };
}
