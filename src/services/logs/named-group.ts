import type { RequestContext } from '../../contracts/request-context.js';
import { parseGroupArn, type GroupKey } from './arns.js';
import { errors } from './errors.js';
import { checkGroupName, str } from './validation.js';

export function groupKey(ctx: RequestContext, name: string): GroupKey {
  return { accountId: ctx.accountId, region: ctx.region, name };
}

/**
 * The group a request names by `logGroupName` or `logGroupIdentifier` (a name or an ARN);
 * exactly one of them, as AWS requires.
 */
export function namedGroup(input: Record<string, unknown>, ctx: RequestContext): GroupKey {
  const name = checkGroupName(input.logGroupName, 'logGroupName', false);
  const identifier = str(input.logGroupIdentifier);
  if (name !== undefined && identifier !== undefined) throw errors.nameAndIdentifier();
  if (name !== undefined) return groupKey(ctx, name);
  if (identifier === undefined) throw errors.groupRequired();
  if (!identifier.startsWith('arn:')) return groupKey(ctx, checkGroupName(identifier, 'logGroupIdentifier')!);
  const parsed = parseGroupArn(identifier);
  // Another account's or region's group is not reachable from here.
  if (!parsed || parsed.accountId !== ctx.accountId || parsed.region !== ctx.region) throw errors.groupNotFound();
  return parsed;
}
