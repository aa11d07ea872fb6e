import { randomUUID } from 'node:crypto';
import { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { Service } from '../../contracts/service.js';
import { QueryParams, queryError, queryResponse } from '../../protocols/query.js';
import type { SnsDeps } from './deps.js';
import { snsErrors } from './errors.js';
import { snsManagementCall } from './management-calls.js';
import { SNS_DIALECT } from './limits.js';
import { snsOperations } from './operations/index.js';
import { topicPolicyAllows } from './topic-policy.js';

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
    managementCall: (ctx: RequestContext) => snsManagementCall(ctx),
    async handle(ctx: RequestContext): Promise<ServiceResponse> {
      const params = QueryParams.fromRequest(ctx, { formBodyOnly: true });
      const action = params.get('Action');
      if (!action) throw snsErrors.missingAction();
      const operation = snsOperations[action];
      if (!operation) throw snsErrors.invalidAction(action);
      ctx.authorize?.(`sns:${action}`, snsResource(ctx, params));
      await authorizeCrossAccount(deps, ctx, action, params.get('TopicArn') ?? params.get('ResourceArn'));
      const result = await operation(deps, { ctx, params });
      return queryResponse(SNS_DIALECT, action, ctx.requestId, result);
    },
    serializeError: (error: AwsError) => queryError(SNS_DIALECT, error, randomUUID()),
    accessDenied: (message: string) => new AwsError('AuthorizationError', 403, message),
    tooLarge: (limit: number) => snsErrors.requestTooLarge(limit),
  };
}

/** The topic a request acts on (by ARN, name or a subscription's ARN); `*` for account-wide ones. */
function snsResource(ctx: RequestContext, params: QueryParams): string {
  const arn = params.get('TopicArn') ?? params.get('ResourceArn');
  if (arn !== undefined) return arn;
  const subscription = params.get('SubscriptionArn');
  if (subscription !== undefined) return subscription.split(':').slice(0, 6).join(':');
  const name = params.get('Name');
  if (name !== undefined) return `arn:aws:sns:${ctx.region}:${ctx.accountId}:${name}`;
  return '*';
}

/**
 * A call naming another account's topic (Publish, Subscribe, GetTopicAttributes, …): AWS lets it
 * through only when the topic policy allows the caller the action; the default policy allows the
 * owner account alone. A topic that does not exist is left to the operation (NotFound).
 */
async function authorizeCrossAccount(deps: SnsDeps, ctx: RequestContext, action: string, resource: string | undefined): Promise<void> {
  const owner = resource?.split(':')[4];
  if (resource === undefined || !resource.startsWith('arn:aws:sns:') || owner === undefined || owner === ctx.accountId) return;
  const topic = await deps.topics.get(resource);
  if (!topic) return;
  const caller = { accountId: ctx.accountId, arn: ctx.principal?.arn ?? `arn:aws:iam::${ctx.accountId}:root` };
  if (!topicPolicyAllows(topic, caller, `sns:${action}`)) throw snsErrors.notAuthorized(caller.arn, action, topic.arn);
}
