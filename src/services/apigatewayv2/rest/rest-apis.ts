import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { body, optionalString, requiredString, scopeOf, stringMap } from '../request.js';
import { newId } from '../store.js';
import { restErrors } from './errors.js';
import { epochSeconds, requireRestApi, type RestDeps } from './lookup.js';
import type { ResourceDoc, RestApiDoc } from './model.js';
import { invalidPatchPath, patchOperations, unescapePathSegment } from './patch.js';

const ENDPOINT_TYPES = ['EDGE', 'REGIONAL', 'PRIVATE'];

export function restApiRoutes(deps: RestDeps): RestJsonRoute[] {
  return [
    { operation: 'CreateRestApi', method: 'POST', path: '/restapis', handler: (r) => createRestApi(deps, r) },
    { operation: 'GetRestApis', method: 'GET', path: '/restapis', handler: (r) => getRestApis(deps, r) },
    { operation: 'GetRestApi', method: 'GET', path: '/restapis/{restapi_id}', handler: async (r) => jsonResponse(200, await requireRestApi(deps, r)) },
    { operation: 'UpdateRestApi', method: 'PATCH', path: '/restapis/{restapi_id}', handler: (r) => updateRestApi(deps, r) },
    { operation: 'DeleteRestApi', method: 'DELETE', path: '/restapis/{restapi_id}', handler: (r) => deleteRestApi(deps, r) },
  ];
}

function stringList(input: Record<string, unknown>, key: string): string[] | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw restErrors.badRequest(`Invalid input: ${key} must be a list of strings`);
  return v as string[];
}

/** A REST API starts with its root resource `/` (GetRestApi's rootResourceId). */
async function createRestApi(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const input = body(req);
  const name = optionalString(input, 'name');
  if (!name) throw restErrors.badRequest('Invalid REST API name specified');
  if (input.cloneFrom !== undefined) throw restErrors.badRequest('cloneFrom is not supported by Lambkin');
  const endpoint = input.endpointConfiguration as { types?: unknown } | undefined;
  const types = endpoint?.types === undefined ? ['EDGE'] : (endpoint.types as string[]);
  if (!Array.isArray(types) || types.length !== 1 || !ENDPOINT_TYPES.includes(types[0]!)) {
    throw restErrors.badRequest('Invalid endpoint configuration: exactly one of EDGE, REGIONAL or PRIVATE must be specified');
  }
  const apiKeySource = optionalString(input, 'apiKeySource') ?? 'HEADER';
  if (apiKeySource !== 'HEADER' && apiKeySource !== 'AUTHORIZER') throw restErrors.badRequest(`Invalid API key source: ${apiKeySource}`);
  const now = deps.clock.now();
  const id = newId(10);
  const root: ResourceDoc = { id: newId(10), path: '/' };
  const doc: RestApiDoc = {
    id, name, createdDate: epochSeconds(now), apiKeySource, endpointConfiguration: { types },
    tags: stringMap(input, 'tags') ?? {}, disableExecuteApiEndpoint: input.disableExecuteApiEndpoint === true, rootResourceId: root.id,
  };
  const description = optionalString(input, 'description');
  if (description !== undefined) doc.description = description;
  const version = optionalString(input, 'version');
  if (version !== undefined) doc.version = version;
  const binary = stringList(input, 'binaryMediaTypes');
  if (binary && binary.length > 0) doc.binaryMediaTypes = binary;
  const scope = scopeOf(req);
  await deps.store.put(scope, id, 'restapi', id, doc, now);
  await deps.store.put(scope, id, 'rest-resource', root.id, root, now);
  return jsonResponse(201, doc);
}

async function getRestApis(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const apis = await deps.store.listApis<RestApiDoc>(scopeOf(req), 'restapi');
  return jsonResponse(200, { item: apis });
}

const API_PATCH_PATHS = ['/name', '/description', '/version', '/apiKeySource', '/disableExecuteApiEndpoint', '/binaryMediaTypes/<type>'];

async function updateRestApi(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  for (const op of patchOperations(body(req))) {
    if (op.path.startsWith('/binaryMediaTypes/') && (op.op === 'add' || op.op === 'remove')) {
      const type = unescapePathSegment(op.path.slice('/binaryMediaTypes/'.length));
      const list = (api.binaryMediaTypes ?? []).filter((t) => t !== type);
      if (op.op === 'add') list.push(type);
      if (list.length > 0) api.binaryMediaTypes = list;
      else delete api.binaryMediaTypes;
      continue;
    }
    if (op.op !== 'replace') throw invalidPatchPath(op, API_PATCH_PATHS);
    switch (op.path) {
      case '/name':
        if (!op.value) throw restErrors.badRequest('Invalid REST API name specified');
        api.name = op.value;
        break;
      case '/description':
        if (op.value) api.description = op.value;
        else delete api.description;
        break;
      case '/version':
        if (op.value) api.version = op.value;
        else delete api.version;
        break;
      case '/apiKeySource':
        if (op.value !== 'HEADER' && op.value !== 'AUTHORIZER') throw restErrors.badRequest(`Invalid API key source: ${op.value ?? ''}`);
        api.apiKeySource = op.value;
        break;
      case '/disableExecuteApiEndpoint':
        api.disableExecuteApiEndpoint = op.value === 'true';
        break;
      default:
        throw invalidPatchPath(op, API_PATCH_PATHS);
    }
  }
  await deps.store.put(scopeOf(req), api.id, 'restapi', api.id, api, deps.clock.now());
  return jsonResponse(200, api);
}

async function deleteRestApi(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  await deps.store.deleteApi(api.id);
  return emptyResponse(202);
}
