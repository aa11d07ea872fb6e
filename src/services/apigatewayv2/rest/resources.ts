import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { body, optionalString } from '../request.js';
import { newId } from '../store.js';
import { restErrors } from './errors.js';
import { requireResource, requireRestApi, saveResource, type RestDeps } from './lookup.js';
import type { ResourceDoc } from './model.js';
import { invalidPatchPath, patchOperations } from './patch.js';

export function resourceRoutes(deps: RestDeps): RestJsonRoute[] {
  const base = '/restapis/{restapi_id}/resources';
  return [
    { operation: 'GetResources', method: 'GET', path: base, handler: (r) => getResources(deps, r) },
    { operation: 'GetResource', method: 'GET', path: `${base}/{resource_id}`, handler: (r) => getResource(deps, r) },
    { operation: 'CreateResource', method: 'POST', path: `${base}/{parent_id}`, handler: (r) => createResource(deps, r) },
    { operation: 'UpdateResource', method: 'PATCH', path: `${base}/{resource_id}`, handler: (r) => updateResource(deps, r) },
    { operation: 'DeleteResource', method: 'DELETE', path: `${base}/{resource_id}`, handler: (r) => deleteResource(deps, r) },
  ];
}

const LITERAL_PART = /^[a-zA-Z0-9._:@-]+$/;
const VARIABLE_PART = /^\{[a-zA-Z0-9._-]+\+?\}$/;

const isVariable = (part: string | undefined) => part !== undefined && part.startsWith('{');

/** `{proxy+}`-style parts match the rest of the path; nothing can hang below them. */
const isGreedy = (part: string | undefined) => part !== undefined && part.endsWith('+}');

/** Whether `pathPart` may be a child of `parent` beside its other children (all but `selfId`), in AWS's words. */
function checkPlacement(all: ResourceDoc[], parent: ResourceDoc, pathPart: string, selfId?: string): void {
  if (!LITERAL_PART.test(pathPart) && !VARIABLE_PART.test(pathPart)) {
    throw restErrors.badRequest(
      "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
    );
  }
  if (isGreedy(parent.pathPart)) throw restErrors.badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`);
  const siblings = all.filter((r) => r.parentId === parent.id && r.id !== selfId);
  if (siblings.some((s) => s.pathPart === pathPart)) throw restErrors.conflict(`Another resource with the same parent already has this name: ${pathPart}`);
  const variableSibling = siblings.find((s) => isVariable(s.pathPart));
  if (isVariable(pathPart) && variableSibling) {
    throw restErrors.badRequest(`A sibling (${variableSibling.pathPart}) of this resource already has a variable path part -- only one is allowed`);
  }
}

const childPath = (parent: ResourceDoc, pathPart: string) => (parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}`);

async function createResource(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const parent = await requireResource(deps, api.id, req.params.parent_id ?? '');
  const pathPart = optionalString(body(req), 'pathPart') ?? '';
  checkPlacement(await deps.store.list<ResourceDoc>(api.id, 'rest-resource'), parent, pathPart);
  const doc: ResourceDoc = { id: newId(6), parentId: parent.id, pathPart, path: childPath(parent, pathPart) };
  await saveResource(deps, req, api.id, doc);
  return jsonResponse(201, doc);
}

/** The ids of `resource` and everything below it. */
function subtree(all: ResourceDoc[], resource: ResourceDoc): Set<string> {
  const ids = new Set([resource.id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of all) {
      if (r.parentId && ids.has(r.parentId) && !ids.has(r.id)) {
        ids.add(r.id);
        grew = true;
      }
    }
  }
  return ids;
}

const RESOURCE_PATHS = ['/pathPart', '/parentId'];

/**
 * UpdateResource: `replace` of `/pathPart` (renames it) or `/parentId` (moves it), checked as
 * CreateResource checks a new one; the paths of everything below it follow.
 */
async function updateResource(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const resource = await requireResource(deps, api.id, req.params.resource_id ?? '');
  const all = await deps.store.list<ResourceDoc>(api.id, 'rest-resource');
  let { pathPart, parentId } = resource;
  for (const op of patchOperations(body(req))) {
    if (op.op !== 'replace' || !RESOURCE_PATHS.includes(op.path)) throw invalidPatchPath(op, RESOURCE_PATHS);
    if (op.path === '/pathPart') pathPart = op.value ?? '';
    else parentId = op.value ?? '';
  }
  if (pathPart === resource.pathPart && parentId === resource.parentId) return jsonResponse(200, resource);
  if (resource.id === api.rootResourceId || pathPart === undefined) throw restErrors.badRequest('Cannot update the root resource');
  const parent = all.find((r) => r.id === parentId);
  if (!parent) throw restErrors.notFound('Invalid Resource identifier specified');
  const below = subtree(all, resource);
  if (below.has(parent.id)) throw restErrors.badRequest('Cannot move a resource below itself');
  checkPlacement(all, parent, pathPart, resource.id);
  const updated: ResourceDoc = { ...resource, parentId: parent.id, pathPart, path: childPath(parent, pathPart) };
  await saveResource(deps, req, api.id, updated);
  // Re-root the paths below it, parents before children.
  const paths = new Map([[updated.id, updated.path]]);
  for (const r of all.filter((x) => below.has(x.id) && x.id !== resource.id).sort((a, b) => a.path.split('/').length - b.path.split('/').length)) {
    const parentPath = paths.get(r.parentId ?? '');
    if (parentPath === undefined) continue;
    const path = parentPath === '/' ? `/${r.pathPart}` : `${parentPath}/${r.pathPart}`;
    paths.set(r.id, path);
    await saveResource(deps, req, api.id, { ...r, path });
  }
  return jsonResponse(200, updated);
}

/** Without `embed=methods` a resource lists its methods by name only, as AWS does. */
function listed(resource: ResourceDoc, embed: boolean): ResourceDoc {
  if (embed || !resource.resourceMethods) return resource;
  return { ...resource, resourceMethods: Object.fromEntries(Object.keys(resource.resourceMethods).map((m) => [m, {}])) as ResourceDoc['resourceMethods'] };
}

async function getResources(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const embed = req.query.getAll('embed').some((e) => e.split(',').includes('methods'));
  const resources = await deps.store.list<ResourceDoc>(api.id, 'rest-resource');
  resources.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return jsonResponse(200, { item: resources.map((r) => listed(r, embed)) });
}

async function getResource(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  return jsonResponse(200, await requireResource(deps, api.id, req.params.resource_id ?? ''));
}

/** Deleting a resource deletes everything below it; the root cannot be deleted. */
async function deleteResource(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const resource = await requireResource(deps, api.id, req.params.resource_id ?? '');
  if (resource.id === api.rootResourceId) throw restErrors.badRequest('Cannot delete root resource');
  const doomed = subtree(await deps.store.list<ResourceDoc>(api.id, 'rest-resource'), resource);
  for (const id of doomed) await deps.store.delete(api.id, 'rest-resource', id);
  return emptyResponse(202);
}
