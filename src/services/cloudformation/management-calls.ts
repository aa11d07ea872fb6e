import type { ManagementCall } from '../../contracts/management-events.js';
import type { RequestContext } from '../../contracts/request-context.js';
import { queryManagementCall, writesByVerb, type ManagementCallSpec } from '../../protocols/management-calls.js';

/**
 * Stack and change set writes (CreateStack, UpdateStack, DeleteStack, CreateChangeSet,
 * ExecuteChangeSet, SignalResource …); the stack's own resource calls make their services' events.
 */
const SPEC: ManagementCallSpec = {
  eventSource: 'cloudformation.amazonaws.com',
  isManagementWrite: writesByVerb(/^(Create|Update|Delete|Execute|Cancel|Continue|Set|Signal|Rollback)/),
};

export function cloudFormationManagementCall(ctx: RequestContext): ManagementCall | null {
  return queryManagementCall(SPEC, ctx);
}
