import type { RestJsonRequest } from '../../protocols/rest-json.js';
import type { ApigwDeps } from './deps.js';
import { errors } from './errors.js';
import type { ApiDoc } from './model.js';
import { scopeOf } from './request.js';

/** The URL clients invoke the API at (host-style, on Lambkin's own port). */
export function apiEndpoint(req: RestJsonRequest, apiId: string): string {
  return `${req.endpoint.protocol}://${apiId}.execute-api.localhost:${req.endpoint.port}`;
}

/** The API named by `{apiId}` in the caller's account and region, or AWS's NotFoundException. */
export async function requireApi(deps: ApigwDeps, req: RestJsonRequest): Promise<ApiDoc> {
  const scope = scopeOf(req);
  const apiId = req.params.apiId ?? '';
  const api = await deps.store.getApi<ApiDoc>(scope, apiId);
  if (!api) throw errors.apiNotFound(scope.accountId, apiId);
  return { ...api, apiEndpoint: apiEndpoint(req, api.apiId) };
}
