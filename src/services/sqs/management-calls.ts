import type { ManagementCall } from '../../contracts/management-events.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import { isJsonRpcRequest } from '../../protocols/json-rpc.js';
import { jsonManagementCall, queryManagementCall, type ManagementCallSpec } from '../../protocols/management-calls.js';

/** Queue configuration calls; messages (SendMessage, ReceiveMessage, DeleteMessage …) are data events. */
const SQS_MANAGEMENT_WRITES = new Set([
  'CreateQueue', 'DeleteQueue', 'SetQueueAttributes', 'PurgeQueue', 'AddPermission', 'RemovePermission', 'TagQueue', 'UntagQueue', 'StartMessageMoveTask', 'CancelMessageMoveTask',
]);

const SPEC: ManagementCallSpec = { eventSource: 'sqs.amazonaws.com', isManagementWrite: (operation) => SQS_MANAGEMENT_WRITES.has(operation) };

/** In the protocol the client used: JSON (current SDKs) or query. */
export function sqsManagementCall(ctx: RequestContext, response: ServiceResponse): ManagementCall | null {
  return isJsonRpcRequest(ctx.headers) ? jsonManagementCall(SPEC, ctx, response) : queryManagementCall(SPEC, ctx);
}
