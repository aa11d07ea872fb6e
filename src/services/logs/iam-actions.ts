import { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext } from '../../contracts/request-context.js';
import { groupArnWildcard, parseGroupArn, streamArn } from './arns.js';

/** Operations whose resource is a log stream (AWS's `log-stream` resource type). */
const STREAM_OPERATIONS = new Set(['PutLogEvents', 'GetLogEvents', 'CreateLogStream', 'DeleteLogStream']);

/**
 * Asks the caller's policies about a Logs request: `logs:<operation>` on the stream or group
 * it names (`arn:aws:logs:<region>:<account>:log-group:<name>:*`, or `…:log-stream:<stream>`),
 * else `*` (DescribeLogGroups, GetQueryResults …).
 */
export function authorizeLogs(ctx: RequestContext, operation: string, input: Record<string, unknown>): void {
  const authorize = ctx.authorize;
  if (!authorize) return;
  const action = `logs:${operation}`;
  const scope = { accountId: ctx.accountId, region: ctx.region };
  const groupNames: string[] = [];
  if (typeof input.logGroupName === 'string') groupNames.push(input.logGroupName);
  else if (typeof input.logGroupIdentifier === 'string') groupNames.push(parseGroupArn(input.logGroupIdentifier)?.name ?? input.logGroupIdentifier);
  else if (typeof input.resourceArn === 'string') groupNames.push(parseGroupArn(input.resourceArn)?.name ?? input.resourceArn);
  for (const list of [input.logGroupNames, input.logGroupIdentifiers]) {
    if (Array.isArray(list)) for (const n of list) groupNames.push(parseGroupArn(String(n))?.name ?? String(n));
  }
  if (groupNames.length === 0) return authorize(action, '*');
  for (const name of groupNames) {
    const group = { ...scope, name };
    if (STREAM_OPERATIONS.has(operation) && typeof input.logStreamName === 'string') authorize(action, streamArn(group, input.logStreamName));
    else authorize(action, groupArnWildcard(group));
  }
}

/** AWS answers a denied Logs caller `AccessDeniedException` (400). */
export function logsAccessDenied(message: string): AwsError {
  return new AwsError('AccessDeniedException', 400, message, { messageKey: 'message', type: null });
}
