import type { RequestContext } from '../../contracts/request-context.js';
import type { QueueScope } from './model.js';
import { parseQueueArn, parseQueueUrl } from './queue-arns.js';

/**
 * The account and region whose queues a call works on: the queue its `QueueUrl` names, the
 * source queue of a move task, the owner GetQueueUrl asks about, else the caller's own. A cluster
 * sends the call to the node serving that scope (queue-ownership.ts); input the operation will
 * refuse falls back to the caller's scope, where the refusal is the same.
 */
export function scopeOfCall(operation: string, input: Record<string, unknown>, ctx: RequestContext): QueueScope {
  const own = { accountId: ctx.accountId, region: ctx.region };
  if (typeof input.QueueUrl === 'string') {
    const parsed = parseQueueUrl(input.QueueUrl);
    return parsed ? { accountId: parsed.accountId, region: parsed.region ?? ctx.region } : own;
  }
  if (operation === 'GetQueueUrl' && typeof input.QueueOwnerAWSAccountId === 'string') return { accountId: input.QueueOwnerAWSAccountId, region: ctx.region };
  let sourceArn = typeof input.SourceArn === 'string' ? input.SourceArn : undefined;
  if (operation === 'CancelMessageMoveTask' && typeof input.TaskHandle === 'string') {
    try {
      sourceArn = (JSON.parse(Buffer.from(input.TaskHandle, 'base64').toString('utf8')) as { sourceArn?: string }).sourceArn;
    } catch {
      // Not a handle Lambkin gave out: refused where it runs.
    }
  }
  const parsed = sourceArn ? parseQueueArn(sourceArn) : null;
  return parsed ? { accountId: parsed.accountId, region: parsed.region } : own;
}
