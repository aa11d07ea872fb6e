import type { ManagementCall } from '../../contracts/management-events.js';
import type { RequestContext } from '../../contracts/request-context.js';
import { queryManagementCall, writesByVerb, type ManagementCallSpec } from '../../protocols/management-calls.js';

/** Load balancer, target group, listener and rule writes (Create*, Modify*, Delete*, Register/DeregisterTargets, SetRulePriorities, tags). */
const SPEC: ManagementCallSpec = {
  eventSource: 'elasticloadbalancing.amazonaws.com',
  isManagementWrite: writesByVerb(/^(Create|Modify|Delete|Register|Deregister|Set|Add|Remove)/),
};

export function elbManagementCall(ctx: RequestContext): ManagementCall | null {
  return queryManagementCall(SPEC, ctx);
}
