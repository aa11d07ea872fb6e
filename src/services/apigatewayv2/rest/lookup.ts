import type { RestJsonRequest } from '../../../protocols/rest-json.js';
import type { ApigwStore } from '../store.js';
import { scopeOf } from '../request.js';
import { restErrors } from './errors.js';
import type { MethodDoc, ResourceDoc, RestApiDoc } from './model.js';

export interface RestDeps {
  store: ApigwStore;
  clock: { now(): number };
}

/** `{restapi_id}` in the caller's account and region, or AWS's NotFoundException. */
export async function requireRestApi(deps: RestDeps, req: RestJsonRequest): Promise<RestApiDoc> {
  const scope = scopeOf(req);
  const id = req.params.restapi_id ?? '';
  const api = await deps.store.getApi<RestApiDoc>(scope, id, 'restapi');
  if (!api) throw restErrors.apiNotFound(scope.accountId, id);
  return api;
}

export async function requireResource(deps: RestDeps, apiId: string, resourceId: string): Promise<ResourceDoc> {
  const doc = await deps.store.get<ResourceDoc>(apiId, 'rest-resource', resourceId);
  if (!doc) throw restErrors.resourceNotFound();
  return doc;
}

/** The method named by `{http_method}` on the resource; AWS names methods in upper case. */
export function requireMethod(resource: ResourceDoc, httpMethod: string): MethodDoc {
  const method = resource.resourceMethods?.[httpMethod.toUpperCase()];
  if (!method) throw restErrors.methodNotFound();
  return method;
}

/** Epoch seconds: rest-json bodies carry timestamps as numbers. */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export async function saveResource(deps: RestDeps, req: RestJsonRequest, apiId: string, resource: ResourceDoc): Promise<void> {
  await deps.store.put(scopeOf(req), apiId, 'rest-resource', resource.id, resource, deps.clock.now());
}
