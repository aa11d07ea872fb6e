import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { body, optionalString, scopeOf, stringMap } from '../request.js';
import { newId } from '../store.js';
import { restErrors } from './errors.js';
import { epochSeconds, requireRestApi, type RestDeps } from './lookup.js';
import type { AuthorizerDoc, ResourceDoc, StageDoc, StoredDeployment } from './model.js';
import { invalidPatchPath, patchOperations, unescapePathSegment } from './patch.js';

export function deploymentRoutes(deps: RestDeps): RestJsonRoute[] {
  const deployments = '/restapis/{restapi_id}/deployments';
  const stages = '/restapis/{restapi_id}/stages';
  return [
    { operation: 'CreateDeployment', method: 'POST', path: deployments, handler: (r) => createDeployment(deps, r) },
    { operation: 'GetDeployments', method: 'GET', path: deployments, handler: (r) => getDeployments(deps, r) },
    { operation: 'GetDeployment', method: 'GET', path: `${deployments}/{deployment_id}`, handler: (r) => getDeployment(deps, r) },
    { operation: 'DeleteDeployment', method: 'DELETE', path: `${deployments}/{deployment_id}`, handler: (r) => deleteDeployment(deps, r) },
    { operation: 'CreateStage', method: 'POST', path: stages, handler: (r) => createStage(deps, r) },
    { operation: 'GetStages', method: 'GET', path: stages, handler: (r) => getStages(deps, r) },
    { operation: 'GetStage', method: 'GET', path: `${stages}/{stage_name}`, handler: (r) => getStage(deps, r) },
    { operation: 'UpdateStage', method: 'PATCH', path: `${stages}/{stage_name}`, handler: (r) => updateStage(deps, r) },
    { operation: 'DeleteStage', method: 'DELETE', path: `${stages}/{stage_name}`, handler: (r) => deleteStage(deps, r) },
  ];
}

const STAGE_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const VARIABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;
const VARIABLE_VALUE = /^[A-Za-z0-9\-._~:/?#&=,]{0,512}$/;

function checkVariables(variables: Record<string, string> | undefined): Record<string, string> | undefined {
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (!VARIABLE_NAME.test(name)) throw restErrors.badRequest(`Stage variable name ${name} is invalid: it must match [A-Za-z0-9_]{1,64}`);
    if (!VARIABLE_VALUE.test(value)) throw restErrors.badRequest(`Stage variable value ${value} is invalid: it must match [A-Za-z0-9-._~:/?#&=,]{0,512}`);
  }
  return variables;
}

/**
 * A deployment freezes the API: stages serve the resources, methods and integrations as they were
 * when it was made, and later changes wait for the next deployment, as on AWS.
 */
async function createDeployment(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const input = body(req);
  const resources = await deps.store.list<ResourceDoc>(api.id, 'rest-resource');
  const methods = resources.flatMap((r) => Object.values(r.resourceMethods ?? {}));
  if (methods.length === 0) throw restErrors.badRequest("The REST API doesn't contain any methods");
  if (methods.some((m) => !m.methodIntegration)) throw restErrors.badRequest('No integration defined for method');
  const stageName = optionalString(input, 'stageName');
  if (stageName !== undefined && !STAGE_NAME.test(stageName)) throw restErrors.badRequest('Stage name only allows a-zA-Z0-9_-');
  const variables = checkVariables(stringMap(input, 'variables'));
  const now = deps.clock.now();
  const stored: StoredDeployment = {
    doc: { id: newId(6), createdDate: epochSeconds(now) },
    snapshot: { resources, authorizers: await deps.store.list<AuthorizerDoc>(api.id, 'rest-authorizer') },
  };
  const description = optionalString(input, 'description');
  if (description) stored.doc.description = description;
  const scope = scopeOf(req);
  await deps.store.put(scope, api.id, 'rest-deployment', stored.doc.id, stored, now);
  if (stageName) {
    // Deploying to a stage creates it, or moves an existing one to the new deployment.
    const existing = await deps.store.get<StageDoc>(api.id, 'rest-stage', stageName);
    const stage: StageDoc = existing ?? newStage(stageName, stored.doc.id, now);
    stage.deploymentId = stored.doc.id;
    stage.lastUpdatedDate = epochSeconds(now);
    if (variables) stage.variables = { ...(stage.variables ?? {}), ...variables };
    const stageDescription = optionalString(input, 'stageDescription');
    if (!existing && stageDescription) stage.description = stageDescription;
    await deps.store.put(scope, api.id, 'rest-stage', stageName, stage, now);
  }
  return jsonResponse(201, stored.doc);
}

function newStage(stageName: string, deploymentId: string, now: number): StageDoc {
  return {
    deploymentId, stageName, cacheClusterEnabled: false, cacheClusterStatus: 'NOT_AVAILABLE', methodSettings: {}, tracingEnabled: false,
    createdDate: epochSeconds(now), lastUpdatedDate: epochSeconds(now),
  };
}

async function requireDeployment(deps: RestDeps, apiId: string, id: string): Promise<StoredDeployment> {
  const stored = await deps.store.get<StoredDeployment>(apiId, 'rest-deployment', id);
  if (!stored) throw restErrors.deploymentNotFound();
  return stored;
}

async function getDeployments(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  return jsonResponse(200, { item: (await deps.store.list<StoredDeployment>(api.id, 'rest-deployment')).map((d) => d.doc) });
}

async function getDeployment(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  return jsonResponse(200, (await requireDeployment(deps, api.id, req.params.deployment_id ?? '')).doc);
}

async function deleteDeployment(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const id = req.params.deployment_id ?? '';
  await requireDeployment(deps, api.id, id);
  const stages = await deps.store.list<StageDoc>(api.id, 'rest-stage');
  if (stages.some((s) => s.deploymentId === id)) throw restErrors.badRequest('Active stages pointing to this deployment must be moved or deleted');
  await deps.store.delete(api.id, 'rest-deployment', id);
  return emptyResponse(202);
}

async function createStage(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const input = body(req);
  const stageName = optionalString(input, 'stageName');
  if (!stageName) throw restErrors.badRequest('Invalid stage identifier specified');
  if (!STAGE_NAME.test(stageName)) throw restErrors.badRequest('Stage name only allows a-zA-Z0-9_-');
  const deploymentId = optionalString(input, 'deploymentId');
  if (!deploymentId) throw restErrors.badRequest('Invalid deployment identifier specified');
  await requireDeployment(deps, api.id, deploymentId);
  if (await deps.store.get(api.id, 'rest-stage', stageName)) throw restErrors.conflict('Stage already exists');
  const now = deps.clock.now();
  const stage = newStage(stageName, deploymentId, now);
  const description = optionalString(input, 'description');
  if (description) stage.description = description;
  const variables = checkVariables(stringMap(input, 'variables'));
  if (variables) stage.variables = variables;
  const tags = stringMap(input, 'tags');
  if (tags) stage.tags = tags;
  if (input.tracingEnabled === true) stage.tracingEnabled = true;
  await deps.store.put(scopeOf(req), api.id, 'rest-stage', stageName, stage, now);
  return jsonResponse(201, stage);
}

async function requireStage(deps: RestDeps, apiId: string, name: string): Promise<StageDoc> {
  const stage = await deps.store.get<StageDoc>(apiId, 'rest-stage', name);
  if (!stage) throw restErrors.stageNotFound();
  return stage;
}

async function getStages(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  let stages = await deps.store.list<StageDoc>(api.id, 'rest-stage');
  const deploymentId = req.query.get('deploymentId');
  if (deploymentId) stages = stages.filter((s) => s.deploymentId === deploymentId);
  return jsonResponse(200, { item: stages });
}

async function getStage(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  return jsonResponse(200, await requireStage(deps, api.id, req.params.stage_name ?? ''));
}

const STAGE_PATCH_PATHS = ['/deploymentId', '/description', '/variables/<name>', '/tracingEnabled', '/cacheClusterEnabled'];

async function updateStage(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const stage = await requireStage(deps, api.id, req.params.stage_name ?? '');
  for (const op of patchOperations(body(req))) {
    if (op.path.startsWith('/variables/')) {
      const name = unescapePathSegment(op.path.slice('/variables/'.length));
      const variables = { ...(stage.variables ?? {}) };
      if (op.op === 'remove') delete variables[name];
      else if (op.op === 'replace' || op.op === 'add') Object.assign(variables, checkVariables({ [name]: op.value ?? '' }));
      else throw invalidPatchPath(op, STAGE_PATCH_PATHS);
      if (Object.keys(variables).length > 0) stage.variables = variables;
      else delete stage.variables;
      continue;
    }
    if (op.op !== 'replace') throw invalidPatchPath(op, STAGE_PATCH_PATHS);
    if (op.path === '/deploymentId') {
      await requireDeployment(deps, api.id, op.value ?? '');
      stage.deploymentId = op.value!;
    } else if (op.path === '/description') {
      if (op.value) stage.description = op.value;
      else delete stage.description;
    } else if (op.path === '/tracingEnabled') stage.tracingEnabled = op.value === 'true';
    else if (op.path === '/cacheClusterEnabled') stage.cacheClusterEnabled = op.value === 'true';
    else throw invalidPatchPath(op, STAGE_PATCH_PATHS);
  }
  const now = deps.clock.now();
  stage.lastUpdatedDate = epochSeconds(now);
  await deps.store.put(scopeOf(req), api.id, 'rest-stage', stage.stageName, stage, now);
  return jsonResponse(200, stage);
}

async function deleteStage(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const name = req.params.stage_name ?? '';
  await requireStage(deps, api.id, name);
  await deps.store.delete(api.id, 'rest-stage', name);
  return emptyResponse(202);
}
