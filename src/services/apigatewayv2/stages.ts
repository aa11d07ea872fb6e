import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../protocols/rest-json.js';
import type { ServiceResponse } from '../../contracts/request-context.js';
import { requireApi } from './api-lookup.js';
import type { ApigwDeps } from './deps.js';
import { errors } from './errors.js';
import type { DeploymentDoc, StageDoc } from './model.js';
import { body, isoDate, optionalString, requiredString, scopeOf, stringMap } from './request.js';
import { newId } from './store.js';

export function stageRoutes(deps: ApigwDeps): RestJsonRoute[] {
  const base = '/v2/apis/{apiId}/stages';
  return [
    { operation: 'CreateStage', method: 'POST', path: base, handler: (r) => createStage(deps, r) },
    { operation: 'GetStages', method: 'GET', path: base, handler: (r) => getStages(deps, r) },
    { operation: 'GetStage', method: 'GET', path: `${base}/{stageName}`, handler: (r) => getStage(deps, r) },
    { operation: 'DeleteStage', method: 'DELETE', path: `${base}/{stageName}`, handler: (r) => deleteStage(deps, r) },
    { operation: 'CreateDeployment', method: 'POST', path: '/v2/apis/{apiId}/deployments', handler: (r) => createDeployment(deps, r) },
  ];
}

const STAGE_NAME = /^(\$default|[a-zA-Z0-9_-]{1,128})$/;

async function createStage(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  const input = body(req);
  const stageName = requiredString(input, 'stageName');
  if (!STAGE_NAME.test(stageName)) throw errors.badRequest(`Stage name only allows a-zA-Z0-9_-: ${stageName}`);
  const now = deps.clock.now();
  const doc: StageDoc = {
    autoDeploy: input.autoDeploy === true,
    createdDate: isoDate(now),
    defaultRouteSettings: { detailedMetricsEnabled: false },
    lastUpdatedDate: isoDate(now),
    routeSettings: {},
    stageName,
    tags: {},
  };
  const deploymentId = optionalString(input, 'deploymentId');
  if (deploymentId) doc.deploymentId = deploymentId;
  const variables = stringMap(input, 'stageVariables');
  if (variables) doc.stageVariables = variables;
  const description = optionalString(input, 'description');
  if (description) doc.description = description;
  if (!(await deps.store.create(scopeOf(req), api.apiId, 'stage', stageName, doc, now))) throw errors.conflict(`Stage ${stageName} already exists`);
  return jsonResponse(201, doc);
}

async function getStages(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  return jsonResponse(200, { items: await deps.store.list<StageDoc>(api.apiId, 'stage') });
}

async function getStage(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  const name = req.params.stageName ?? '';
  const doc = await deps.store.get<StageDoc>(api.apiId, 'stage', name);
  if (!doc) throw errors.stageNotFound(name);
  return jsonResponse(200, doc);
}

async function deleteStage(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  const name = req.params.stageName ?? '';
  if (!(await deps.store.delete(api.apiId, 'stage', name))) throw errors.stageNotFound(name);
  return emptyResponse(204);
}

/** A deployment makes a stage without auto-deploy serve (Lambkin serves the API's current routes). */
async function createDeployment(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  const input = body(req);
  const now = deps.clock.now();
  const doc: DeploymentDoc = { autoDeployed: false, createdDate: isoDate(now), deploymentId: newId(6), deploymentStatus: 'DEPLOYED' };
  const description = optionalString(input, 'description');
  if (description) doc.description = description;
  const scope = scopeOf(req);
  const stageName = optionalString(input, 'stageName');
  if (stageName) {
    // The stage is read and written back, with the deployment stored, in one transaction: written
    // back from an earlier read, a stage DeleteStage removed meanwhile came back.
    const deployment = { kind: 'deployment' as const, id: doc.deploymentId, doc, createdAt: now };
    const stage = await deps.store.change<StageDoc>(scope, api.apiId, 'stage', stageName, (current) => ({ ...current, deploymentId: doc.deploymentId, lastUpdatedDate: isoDate(now) }), [deployment]);
    if (!stage) throw errors.stageNotFound(stageName);
  } else {
    await deps.store.put(scope, api.apiId, 'deployment', doc.deploymentId, doc, now);
  }
  return jsonResponse(201, doc);
}
