import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import type { NodeCalls } from '../../store/cluster/node-calls.js';
import { errors } from './errors.js';
import type { QueueScope } from './model.js';
import type { SqsQueueOwnership } from './queue-ownership.js';

export interface SqsCluster {
  ownership: SqsQueueOwnership;
  nodeCalls: NodeCalls;
}

/**
 * Serves the call here (undefined) when this node serves `scope`'s queues, else relays the
 * client's request unchanged to the node that does and returns its answer as it came (status,
 * headers, body; the serving node checks the client's signature itself). A long poll waits there.
 * A request that another node relayed is never relayed again: if the queues moved meanwhile, or
 * their node cannot be reached, the answer is ServiceUnavailable (503), which SDKs retry.
 */
export async function relayIfServedElsewhere(cluster: SqsCluster, scope: QueueScope, creating: boolean, ctx: RequestContext): Promise<ServiceResponse | undefined> {
  const route = await cluster.ownership.route(scope, creating);
  if ('local' in route) return undefined;
  if ('unavailable' in route || ctx.relayedByNode) throw errors.unavailable();
  const query = ctx.query.toString();
  try {
    return await cluster.nodeCalls.send(route.relayTo, { method: ctx.method, path: query ? `${ctx.rawPath}?${query}` : ctx.rawPath, headers: ctx.headers, body: ctx.body, requestId: ctx.requestId });
  } catch {
    cluster.ownership.forgetOwner(scope);
    throw errors.unavailable();
  }
}
