import type { ManagementCall } from '../../contracts/management-events.js';
import type { RequestContext } from '../../contracts/request-context.js';
import { queryManagementCall, writesByVerb, type ManagementCallSpec } from '../../protocols/management-calls.js';

/**
 * Every IAM write. AWS delivers IAM's events to EventBridge in us-east-1 only (IAM is global);
 * Lambkin puts them on the default bus of the region the call was signed for.
 */
const SPEC: ManagementCallSpec = {
  eventSource: 'iam.amazonaws.com',
  isManagementWrite: writesByVerb(/^(Create|Delete|Put|Attach|Detach|Update|Add|Remove|Tag|Untag|Set|Change|Upload|Enable|Deactivate|Reset|Resync)/),
};

export function iamManagementCall(ctx: RequestContext): ManagementCall | null {
  return queryManagementCall(SPEC, ctx);
}
