import type { InternalRoute } from '../contracts/internal-route.js';
import { operatorAccess } from '../observability/operator-access.js';
import type { ClusterMembership } from '../store/cluster/membership.js';

/**
 * `GET /_lambkin/cluster`: the live members sharing this node's store, as of its last heartbeat,
 * each with its URL, start and heartbeat times, whether it is draining, and its load (invocations
 * in flight, per function, environments by state, idle ones per version). Operators only
 * (loopback or the bearer token, as /metrics): it names every account's functions.
 */
export function clusterRoute(membership: ClusterMembership, token: string | undefined): InternalRoute {
  return {
    method: 'GET',
    path: '/_lambkin/cluster',
    async handle(_rawPath, _query, caller) {
      const access = await operatorAccess(caller, token);
      if ('refused' in access) return access.refused;
      if (access.allowed !== 'all') {
        return { status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' }, body: JSON.stringify({ __type: 'AccessDeniedException', message: 'The cluster listing is for operators: call from loopback or with the bearer token.' }) };
      }
      const members = membership.members().map((m) => ({
        nodeId: m.nodeId,
        url: m.url,
        self: m.nodeId === membership.nodeId,
        startedAt: new Date(m.startedAt).toISOString(),
        heartbeatAt: new Date(m.heartbeatAt).toISOString(),
        draining: m.draining,
        inFlight: m.load.inFlight,
        functions: m.load.functions,
        environments: m.load.environments,
        provisioned: m.load.provisioned ?? {},
        idle: m.load.idle ?? {},
        running: m.load.running ?? 0,
        ...(m.load.capacity !== undefined ? { capacity: m.load.capacity } : {}),
      }));
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ node: membership.nodeId, heartbeatMs: membership.timing.heartbeatMs, expiryMs: membership.timing.expiryMs, members }) };
    },
  };
}
