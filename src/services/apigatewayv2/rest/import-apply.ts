import { jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { scopeOf } from '../request.js';
import { newId, type ApigwScope } from '../store.js';
import { restErrors } from './errors.js';
import { epochSeconds, requireRestApi, type RestDeps } from './lookup.js';
import type { AuthorizerDoc, MethodDoc, ResourceDoc, RestApiDoc } from './model.js';
import { parseOpenApiDocument, planImport, type ImportPlan } from './openapi-import.js';

/**
 * ImportRestApi (`POST /restapis?mode=import`) and PutRestApi (`PUT /restapis/{id}?mode=overwrite|merge`):
 * the request body is the OpenAPI document itself. CreateRestApi shares ImportRestApi's path: the
 * POST route here hands it every request without `mode=import`.
 */
export function importRoutes(deps: RestDeps, createRestApi: RestJsonRoute): RestJsonRoute[] {
  return [
    {
      operation: 'CreateRestApi', method: 'POST', path: '/restapis',
      handler: (r) => (r.query.get('mode') === 'import' ? importRestApi(deps, r) : createRestApi.handler(r)),
    },
    { operation: 'PutRestApi', method: 'PUT', path: '/restapis/{restapi_id}', handler: (r) => putRestApi(deps, r) },
  ];
}

const ENDPOINT_TYPES = ['EDGE', 'REGIONAL', 'PRIVATE'];

async function importRestApi(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const plan = planImport(parseOpenApiDocument(req.body.toString('utf8')));
  if (!plan.title) throw restErrors.badRequest('Errors found during import:\n\tUnable to create the REST API: the document has no info.title to name it');
  const types = (req.query.get('endpointConfigurationTypes') ?? 'EDGE').split(',');
  if (types.length !== 1 || !ENDPOINT_TYPES.includes(types[0]!)) throw restErrors.badRequest('Invalid endpoint configuration: exactly one of EDGE, REGIONAL or PRIVATE must be specified');
  const now = deps.clock.now();
  const id = newId(10);
  const root: ResourceDoc = { id: newId(10), path: '/' };
  const api: RestApiDoc = {
    id, name: plan.title, createdDate: epochSeconds(now), apiKeySource: 'HEADER', endpointConfiguration: { types },
    tags: {}, disableExecuteApiEndpoint: false, rootResourceId: root.id,
  };
  describe(api, plan);
  const scope = scopeOf(req);
  await deps.store.put(scope, id, 'restapi', id, api, now);
  await deps.store.put(scope, id, 'rest-resource', root.id, root, now);
  await apply(deps, scope, api, plan, [root], []);
  return jsonResponse(201, api);
}

/** overwrite (the default) replaces resources, methods and authorizers; merge adds to them, the document winning per method. */
async function putRestApi(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const mode = req.query.get('mode') ?? 'merge';
  if (mode !== 'overwrite' && mode !== 'merge') throw restErrors.badRequest(`Invalid mode specified: ${mode}. Valid options are overwrite,merge`);
  const plan = planImport(parseOpenApiDocument(req.body.toString('utf8')));
  const scope = scopeOf(req);
  let resources = await deps.store.list<ResourceDoc>(api.id, 'rest-resource');
  let authorizers = await deps.store.list<AuthorizerDoc>(api.id, 'rest-authorizer');
  if (mode === 'overwrite') {
    for (const r of resources) if (r.id !== api.rootResourceId) await deps.store.delete(api.id, 'rest-resource', r.id);
    for (const a of authorizers) await deps.store.delete(api.id, 'rest-authorizer', a.id);
    resources = [{ id: api.rootResourceId, path: '/' }];
    authorizers = [];
    describe(api, plan);
  } else if (plan.binaryMediaTypes) {
    api.binaryMediaTypes = [...new Set([...(api.binaryMediaTypes ?? []), ...plan.binaryMediaTypes])];
  }
  await deps.store.put(scope, api.id, 'restapi', api.id, api, deps.clock.now());
  await apply(deps, scope, api, plan, resources, authorizers);
  return jsonResponse(200, api);
}

function describe(api: RestApiDoc, plan: ImportPlan): void {
  if (plan.title) api.name = plan.title;
  if (plan.description !== undefined) api.description = plan.description;
  else delete api.description;
  if (plan.version !== undefined) api.version = plan.version;
  else delete api.version;
  if (plan.binaryMediaTypes?.length) api.binaryMediaTypes = plan.binaryMediaTypes;
  else delete api.binaryMediaTypes;
}

/** Writes the plan's authorizers, then its resources (parents first) with their methods, over what `existing` holds. */
async function apply(deps: RestDeps, scope: ApigwScope, api: RestApiDoc, plan: ImportPlan, existing: ResourceDoc[], authorizers: AuthorizerDoc[]): Promise<void> {
  const now = deps.clock.now();
  const authorizerIds = new Map<string, string>();
  for (const a of plan.authorizers) {
    const doc: AuthorizerDoc = { id: authorizers.find((x) => x.name === a.name)?.id ?? newId(6), authType: 'custom', ...a };
    authorizerIds.set(a.name, doc.id);
    await deps.store.put(scope, api.id, 'rest-authorizer', doc.id, doc, now);
  }
  const byPath = new Map(existing.map((r) => [r.path, r]));
  const paths = [...plan.paths.keys()].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  for (const path of paths) {
    let resource = byPath.get(path);
    if (!resource) {
      const parentPath = path.slice(0, path.lastIndexOf('/')) || '/';
      const parent = byPath.get(parentPath)!;
      resource = { id: newId(6), parentId: parent.id, pathPart: path.slice(path.lastIndexOf('/') + 1), path };
      byPath.set(path, resource);
    }
    const methods = plan.paths.get(path)!;
    if (Object.keys(methods).length === 0 && existing.includes(resource)) continue;
    for (const [name, imported] of Object.entries(methods)) {
      const { authorizerName, ...method } = imported;
      const doc: MethodDoc = structuredClone(method);
      if (authorizerName) doc.authorizerId = authorizerIds.get(authorizerName)!;
      if (doc.methodIntegration) doc.methodIntegration.cacheNamespace = resource.id;
      resource.resourceMethods = { ...(resource.resourceMethods ?? {}), [name]: doc };
    }
    await deps.store.put(scope, api.id, 'rest-resource', resource.id, resource, now);
  }
}
