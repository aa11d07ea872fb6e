import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../protocols/rest-json.js';
import type { ServiceResponse } from '../../contracts/request-context.js';
import { requireApi } from './api-lookup.js';
import type { ApigwDeps } from './deps.js';
import { errors } from './errors.js';
import type { RouteDoc } from './model.js';
import { body, checkRouteKey, optionalString, requiredString, scopeOf } from './request.js';
import { newId } from './store.js';

export function routeRoutes(deps: ApigwDeps): RestJsonRoute[] {
  const base = '/v2/apis/{apiId}/routes';
  return [
    { operation: 'CreateRoute', method: 'POST', path: base, handler: (r) => createRoute(deps, r) },
    { operation: 'GetRoutes', method: 'GET', path: base, handler: (r) => getRoutes(deps, r) },
    { operation: 'GetRoute', method: 'GET', path: `${base}/{routeId}`, handler: (r) => getRoute(deps, r) },
    { operation: 'UpdateRoute', method: 'PATCH', path: `${base}/{routeId}`, handler: (r) => updateRoute(deps, r) },
    { operation: 'DeleteRoute', method: 'DELETE', path: `${base}/{routeId}`, handler: (r) => deleteRoute(deps, r) },
  ];
}

async function checkTarget(deps: ApigwDeps, apiId: string, target: string | undefined): Promise<void> {
  if (target === undefined) return;
  const m = /^integrations\/([a-z0-9]+)$/.exec(target);
  if (!m || !(await deps.store.get(apiId, 'integration', m[1]!))) throw errors.badRequest(`Invalid target: ${target}. The target must be integrations/<integration-id> of this API`);
}

async function createRoute(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  const input = body(req);
  const routeKey = checkRouteKey(requiredString(input, 'routeKey'));
  const target = optionalString(input, 'target');
  await checkTarget(deps, api.apiId, target);
  const existing = await deps.store.list<RouteDoc>(api.apiId, 'route');
  if (existing.some((r) => r.routeKey === routeKey)) throw errors.conflict(`Unable to create route. Route key '${routeKey}' already exists for this API`);
  const doc: RouteDoc = { apiKeyRequired: false, authorizationType: optionalString(input, 'authorizationType') ?? 'NONE', routeId: newId(7), routeKey };
  if (doc.authorizationType !== 'NONE') throw errors.badRequest(`Authorization type ${doc.authorizationType} is not supported by Lambkin`);
  if (target) doc.target = target;
  await deps.store.put(scopeOf(req), api.apiId, 'route', doc.routeId, doc, deps.clock.now());
  return jsonResponse(201, doc);
}

async function getRoutes(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  return jsonResponse(200, { items: await deps.store.list<RouteDoc>(api.apiId, 'route') });
}

async function requireRoute(deps: ApigwDeps, apiId: string, routeId: string): Promise<RouteDoc> {
  const doc = await deps.store.get<RouteDoc>(apiId, 'route', routeId);
  if (!doc) throw errors.routeNotFound(routeId);
  return doc;
}

async function getRoute(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  return jsonResponse(200, await requireRoute(deps, api.apiId, req.params.routeId ?? ''));
}

async function updateRoute(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  const routeId = req.params.routeId ?? '';
  await requireRoute(deps, api.apiId, routeId);
  const input = body(req);
  const given = optionalString(input, 'routeKey');
  const routeKey = given ? checkRouteKey(given) : undefined;
  const target = optionalString(input, 'target');
  await checkTarget(deps, api.apiId, target);
  // Read, changed and written back in one transaction: from an earlier read, UpdateRoute calls at
  // once each wrote back the route without the others' change.
  const doc = await deps.store.change<RouteDoc>(scopeOf(req), api.apiId, 'route', routeId, (current) => ({
    ...current,
    ...(routeKey ? { routeKey } : {}),
    ...(target !== undefined ? { target } : {}),
  }));
  if (!doc) throw errors.routeNotFound(routeId);
  return jsonResponse(200, doc);
}

async function deleteRoute(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  const id = req.params.routeId ?? '';
  if (!(await deps.store.delete(api.apiId, 'route', id))) throw errors.routeNotFound(id);
  return emptyResponse(204);
}
