import { errors } from '../errors.js';
import { sqsAction } from '../iam-actions.js';
import { parseQueueArn, queueUrl } from '../queue-arns.js';
import { queuePolicyAllows } from '../queue-policy.js';
import type { SqsCall } from './context.js';
import { ownerOnly } from './permissions.js';

/**
 * A call on another account's queue: AWS lets it through only when the queue policy allows the
 * caller the action, and never for the owner's own actions (AddPermission, SetQueueAttributes,
 * DeleteQueue, tags, …). A queue that does not exist is left to the handler (QueueDoesNotExist).
 */
export function authorizeCrossAccount(call: SqsCall, operation: string, resourceArn: string): void {
  const target = parseQueueArn(resourceArn);
  if (!target || target.accountId === call.ctx.accountId) return;
  const queue = call.queues.find({ accountId: target.accountId, region: target.region }, target.name);
  if (!queue) return;
  const caller = { accountId: call.ctx.accountId, arn: call.ctx.principal?.arn ?? `arn:aws:iam::${call.ctx.accountId}:root` };
  if (ownerOnly(operation) || !queuePolicyAllows(queue, caller, sqsAction(operation))) {
    throw errors.accessDenied(queueUrl(call.ctx.endpoint, queue.scope.accountId, queue.name));
  }
}
