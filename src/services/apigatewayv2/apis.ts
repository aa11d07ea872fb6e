import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../protocols/rest-json.js';
import type { ServiceResponse } from '../../contracts/request-context.js';
import type { ApigwDeps } from './deps.js';
import { errors } from './errors.js';
import type { ApiDoc, IntegrationDoc, RouteDoc, StageDoc } from './model.js';
import { body, checkRouteKey, isoDate, optionalString, requiredString, scopeOf, stringMap } from './request.js';
import { newId } from './store.js';
import { integrationDoc } from './integrations.js';
import { apiEndpoint, requireApi } from './api-lookup.js';

export function apiRoutes(deps: ApigwDeps): RestJsonRoute[] {
  return [
    { operation: 'CreateApi', method: 'POST', path: '/v2/apis', handler: (r) => createApi(deps, r) },
    { operation: 'GetApis', method: 'GET', path: '/v2/apis', handler: (r) => getApis(deps, r) },
    { operation: 'GetApi', method: 'GET', path: '/v2/apis/{apiId}', handler: (r) => getApi(deps, r) },
    { operation: 'DeleteApi', method: 'DELETE', path: '/v2/apis/{apiId}', handler: (r) => deleteApi(deps, r) },
  ];
}

/** `http://<api-id>.execute-api.localhost:<port>`, served by the edge on the main port. */
async function createApi(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const input = body(req);
  const scope = scopeOf(req);
  const name = requiredString(input, 'name');
  const protocolType = requiredString(input, 'protocolType');
  if (protocolType !== 'HTTP') throw errors.badRequest(`Unsupported protocol type ${protocolType}: Lambkin serves HTTP APIs only`);
  const target = optionalString(input, 'target');
  const routeKey = optionalString(input, 'routeKey');
  if (routeKey && !target) throw errors.badRequest('RouteKey can only be specified when Target is provided');
  const now = deps.clock.now();
  const apiId = newId(10);
  const doc: ApiDoc = {
    apiEndpoint: apiEndpoint(req, apiId),
    apiId,
    apiKeySelectionExpression: optionalString(input, 'apiKeySelectionExpression') ?? '$request.header.x-api-key',
    createdDate: isoDate(now),
    disableExecuteApiEndpoint: input.disableExecuteApiEndpoint === true,
    name,
    protocolType,
    routeSelectionExpression: optionalString(input, 'routeSelectionExpression') ?? '$request.method $request.path',
    tags: stringMap(input, 'tags') ?? {},
  };
  const description = optionalString(input, 'description');
  if (description) doc.description = description;
  const version = optionalString(input, 'version');
  if (version) doc.version = version;
  await deps.store.put(scope, apiId, 'api', apiId, doc, now);
  if (target) {
    // Quick create: an AWS_PROXY integration, a catch-all route and an auto-deployed $default stage.
    const integration: IntegrationDoc = integrationDoc(newId(7), { integrationType: 'AWS_PROXY', integrationUri: target, payloadFormatVersion: '2.0' });
    await deps.store.put(scope, apiId, 'integration', integration.integrationId, integration, now);
    const route: RouteDoc = { apiKeyRequired: false, authorizationType: 'NONE', routeId: newId(7), routeKey: checkRouteKey(routeKey ?? '$default'), target: `integrations/${integration.integrationId}` };
    await deps.store.put(scope, apiId, 'route', route.routeId, route, now);
    const stage: StageDoc = {
      autoDeploy: true, createdDate: isoDate(now), defaultRouteSettings: { detailedMetricsEnabled: false }, lastUpdatedDate: isoDate(now), routeSettings: {}, stageName: '$default', tags: {},
    };
    await deps.store.put(scope, apiId, 'stage', '$default', stage, now);
  }
  return jsonResponse(201, doc);
}

async function getApis(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const apis = await deps.store.listApis<ApiDoc>(scopeOf(req));
  return jsonResponse(200, { items: apis.map((a) => ({ ...a, apiEndpoint: apiEndpoint(req, a.apiId) })) });
}

async function getApi(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  return jsonResponse(200, await requireApi(deps, req));
}

async function deleteApi(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  await deps.store.deleteApi(api.apiId);
  return emptyResponse(204);
}
