import { randomUUID } from 'node:crypto';
import type { AwsError } from '../../contracts/aws-error.js';
import type { InternalRoute } from '../../contracts/internal-route.js';
import type { ServiceResponse } from '../../contracts/request-context.js';
import { QueryParams, queryError, queryResponse } from '../../protocols/query.js';
import type { SnsDeps } from './deps.js';
import { snsErrors } from './errors.js';
import { SNS_DIALECT } from './limits.js';
import { confirmSubscription, unsubscribe } from './operations/subscriptions.js';

/** The unsigned SubscribeURL / UnsubscribeURL links HTTP subscribers follow (`GET /_lambkin/sns/*`). */
export function subscriptionLinksRoute(deps: SnsDeps): InternalRoute {
  return {
    method: 'GET',
    path: '/_lambkin/sns/*',
    async handle(_rawPath: string, query: URLSearchParams): Promise<ServiceResponse> {
      const requestId = randomUUID();
      const params = new QueryParams(new Map(query));
      const action = params.get('Action');
      try {
        if (action === 'ConfirmSubscription') return queryResponse(SNS_DIALECT, action, requestId, await confirmSubscription(deps, { params }));
        if (action === 'Unsubscribe') return queryResponse(SNS_DIALECT, action, requestId, await unsubscribe(deps, { params }));
        throw snsErrors.invalidAction(action ?? '');
      } catch (err) {
        if (err instanceof Error && 'code' in err && 'status' in err) return queryError(SNS_DIALECT, err as AwsError, requestId);
        throw err;
      }
    },
  };
}
