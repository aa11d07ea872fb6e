import type { ManagementCall } from '../../contracts/management-events.js';
import type { RequestContext } from '../../contracts/request-context.js';
import { queryManagementCall, writesByVerb, type ManagementCallSpec } from '../../protocols/management-calls.js';

/** Topic and subscription configuration; Publish and PublishBatch are data events. */
const SPEC: ManagementCallSpec = {
  eventSource: 'sns.amazonaws.com',
  isManagementWrite: writesByVerb(/^(Create|Delete|Set|Put|Add|Remove|Tag|Untag|Subscribe|Unsubscribe|ConfirmSubscription)/),
};

export function snsManagementCall(ctx: RequestContext): ManagementCall | null {
  return queryManagementCall(SPEC, ctx);
}
