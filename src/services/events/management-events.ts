import { randomUUID } from 'node:crypto';
import type { ManagementCall, ManagementEventSink } from '../../contracts/management-events.js';
import type { RequestContext } from '../../contracts/request-context.js';
import type { Principal } from '../../contracts/principal.js';
import { DEFAULT_BUS } from './arns.js';
import type { EventsDeps } from './deps.js';
import { eventTime } from './model.js';
import { publishEvents } from './operations/put-events.js';

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** CloudTrail's `userIdentity` for who signed the call. */
function userIdentity(principal: Principal | undefined, ctx: RequestContext): Record<string, unknown> {
  const accessKeyId = ctx.accessKeyId ?? undefined;
  if (!principal) return { type: 'AWSAccount', accountId: ctx.accountId };
  switch (principal.kind) {
    case 'account':
      return { type: 'Root', principalId: principal.userId, arn: principal.arn, accountId: principal.accountId, accessKeyId };
    case 'user':
      return { type: 'IAMUser', principalId: principal.userId, arn: principal.arn, accountId: principal.accountId, accessKeyId, userName: principal.userName };
    case 'role-session':
      return {
        type: 'AssumedRole',
        principalId: principal.userId,
        arn: principal.arn,
        accountId: principal.accountId,
        accessKeyId,
        sessionContext: { sessionIssuer: { type: 'Role', principalId: principal.roleId, arn: principal.roleArn, accountId: principal.accountId, userName: principal.roleName } },
      };
  }
}

/** The CloudTrail record of a call, as EventBridge carries it in `detail`. */
export function cloudTrailDetail(call: ManagementCall, ctx: RequestContext, now: number): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: userIdentity(ctx.principal, ctx),
    eventTime: eventTime(now),
    eventSource: call.eventSource,
    eventName: call.eventName,
    awsRegion: ctx.region,
    sourceIPAddress: ctx.sourceIp,
    userAgent: String(ctx.headers['user-agent'] ?? ''),
    requestParameters: call.requestParameters,
    responseElements: call.responseElements,
    requestID: ctx.requestId,
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ctx.accountId,
    eventCategory: 'Management',
  };
}

/**
 * Puts "AWS API Call via CloudTrail" events on the caller's default bus: `source` is the service's
 * (`aws.lambda` for `lambda.amazonaws.com`), as AWS sends management events to EventBridge.
 */
export function managementEventSink(deps: EventsDeps): ManagementEventSink {
  return async (call, ctx) => {
    const now = deps.clock.now();
    const source = `aws.${call.eventSource.replace(/\.amazonaws\.com$/, '')}`;
    await publishEvents(deps, { accountId: ctx.accountId, region: ctx.region }, [
      { Source: source, DetailType: CLOUDTRAIL_DETAIL_TYPE, Detail: JSON.stringify(cloudTrailDetail(call, ctx, now)), EventBusName: DEFAULT_BUS },
    ]);
  };
}
