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
  return [...importRoutes(deps, create), ...apis, ...resourceRoutes(deps), ...methodRoutes(deps), ...deploymentRoutes(deps), ...authorizerRoutes(deps), ...usagePlanRoutes(deps)];
}

export function ownsRestApiPath(rawPath: string): boolean {
  return ['/restapis', '/apikeys', '/usageplans'].some((p) => rawPath === p || rawPath.startsWith(`${p}/`));
}
