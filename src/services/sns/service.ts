import { randomUUID } from 'node:crypto';
import type { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { QueryParams, queryError, queryResponse } from '../../protocols/query.js';
import type { SnsDeps } from './deps.js';
import { snsErrors } from './errors.js';
import { SNS_DIALECT } from './limits.js';
import { snsOperations } from './operations/index.js';

/** SNS requests are small: 256 KiB messages, PublishBatch adds ids and attributes around them. */
const SNS_MAX_REQUEST_BYTES = 2 * 1024 * 1024;

/** The SNS API (query protocol, signing name `sns`). */
export function createSnsService(deps: SnsDeps): Service {
  return {
    name: 'sns',
    signingName: 'sns',
    targetPrefixes: [],
    maxBodyBytes: SNS_MAX_REQUEST_BYTES,
    // SNS is only ever reached signed (credential scope `sns`), never by path.
    ownsPath: () => false,
    queryActions: new Set(Object.keys(snsOperations)),
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const params = QueryParams.fromRequest(ctx, { formBodyOnly: true });
      const action = params.get('Action');
      if (!action) throw snsErrors.missingAction();
      const operation = snsOperations[action];
      if (!operation) throw snsErrors.invalidAction(action);
      const result = await operation(deps, { ctx, params });
      return queryResponse(SNS_DIALECT, action, ctx.requestId, result);
    },
    serializeError: (error: AwsError) => queryError(SNS_DIALECT, error, randomUUID()),
    tooLarge: (limit: number) => snsErrors.requestTooLarge(limit),
  };
}
