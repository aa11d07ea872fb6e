import type { InternalRoute } from '../contracts/internal-route.js';
import { NODE_AUTH_HEADER } from '../store/cluster/node-calls.js';

/**
 * `GET /_lambkin/node`: which node answers, for the other nodes of the cluster only. The edge has
 * checked the node secret of any request that carries one; a request without one is refused here.
 */
export function nodeRoute(nodeId: string): InternalRoute {
  return {
    method: 'GET',
    path: '/_lambkin/node',
    handle(_rawPath, _query, caller) {
      if (caller.headers[NODE_AUTH_HEADER] === undefined) {
        return { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: "Node-to-node calls need the cluster's node secret." }) };
      }
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ node: nodeId }) };
    },
  };
}
