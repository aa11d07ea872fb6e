import type { ClusterMembership } from './membership.js';
import type { SingletonLeases } from './singletons.js';

/**
 * The cluster's side of provisioned concurrency (services/lambda/provisioned-placement.ts): each
 * configured environment is a singleton lease of kind `provisioned`, and what every live node has
 * running comes from the loads their heartbeats report.
 */
export function provisionedClusterView(singletons: SingletonLeases, membership: ClusterMembership) {
  return {
    owned: (names: readonly string[]): Promise<ReadonlySet<string>> => singletons.owned('provisioned', names),
    readyByVersion: (): Record<string, number> => {
      const total: Record<string, number> = {};
      for (const member of membership.members()) {
        for (const [key, n] of Object.entries(member.load.provisioned ?? {})) total[key] = (total[key] ?? 0) + n;
      }
      return total;
    },
  };
}
