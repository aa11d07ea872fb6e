import { KeyedLock } from '../../../keyed-lock.js';
import type { RestJsonRoute } from '../../../protocols/rest-json.js';
import { authorizerRoutes } from './authorizers.js';
import { deploymentRoutes } from './deployments.js';
import { importRoutes } from './import-apply.js';
import type { RestDeps } from './lookup.js';
import { methodRoutes } from './methods.js';
import { resourceRoutes } from './resources.js';
import { restApiRoutes } from './rest-apis.js';
import { usagePlanRoutes } from './usage-plans.js';

/** The apigateway (REST API, 2015-07-09) operations Lambkin has; served by the one `apigateway` service. */
export function restApiOperations(deps: RestDeps): RestJsonRoute[] {
  const apis = restApiRoutes(deps);
  // ImportRestApi shares CreateRestApi's method and path, so its route (which hands CreateRestApi the rest) goes first.
  const create = apis.find((r) => r.operation === 'CreateRestApi')!;
  const routes = [...importRoutes(deps, create), ...apis, ...resourceRoutes(deps), ...methodRoutes(deps), ...deploymentRoutes(deps), ...authorizerRoutes(deps), ...usagePlanRoutes(deps)];
  return serializeChangesPerApi(routes);
}

/**
 * Changes to one REST API (or one usage plan) run one at a time: a resource's methods,
 * integrations and responses live in one stored document, read, changed and written back, so
 * two calls at once (CloudFormation creates a resource's methods in parallel) kept only the
 * last one's change. Reads are not held up. Within this process: calls to one API from two
 * nodes of a cluster at once are not serialized.
 */
function serializeChangesPerApi(routes: RestJsonRoute[]): RestJsonRoute[] {
  const lock = new KeyedLock();
  return routes.map((route) => {
    if (route.method === 'GET' || !/\{(restapi_id|usageplan_id)\}/.test(route.path)) return route;
    const { handler } = route;
    return { ...route, handler: (req) => lock.run(req.params.restapi_id ?? `usageplan ${req.params.usageplan_id ?? ''}`, () => handler(req)) };
  });
}

export function ownsRestApiPath(rawPath: string): boolean {
  return ['/restapis', '/apikeys', '/usageplans'].some((p) => rawPath === p || rawPath.startsWith(`${p}/`));
}
