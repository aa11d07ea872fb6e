import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../protocols/rest-json.js';
import type { ServiceResponse } from '../../contracts/request-context.js';
import { requireApi } from './api-lookup.js';
import type { ApigwDeps } from './deps.js';
import { errors } from './errors.js';
import type { IntegrationDoc } from './model.js';
import { body, optionalString, requiredString, scopeOf } from './request.js';
import { newId } from './store.js';

const PAYLOAD_VERSIONS = ['1.0', '2.0'];
const INTEGRATION_TIMEOUT_MS_DEFAULT = 30_000;

export function integrationRoutes(deps: ApigwDeps): RestJsonRoute[] {
  const base = '/v2/apis/{apiId}/integrations';
  return [
    { operation: 'CreateIntegration', method: 'POST', path: base, handler: (r) => createIntegration(deps, r) },
    { operation: 'GetIntegrations', method: 'GET', path: base, handler: (r) => getIntegrations(deps, r) },
    { operation: 'GetIntegration', method: 'GET', path: `${base}/{integrationId}`, handler: (r) => getIntegration(deps, r) },
    { operation: 'DeleteIntegration', method: 'DELETE', path: `${base}/{integrationId}`, handler: (r) => deleteIntegration(deps, r) },
  ];
}

export function integrationDoc(id: string, input: { integrationType: string; integrationUri: string; payloadFormatVersion: string; timeoutInMillis?: number }): IntegrationDoc {
  return {
    connectionType: 'INTERNET',
    integrationId: id,
    integrationMethod: 'POST',
    integrationType: input.integrationType,
    integrationUri: input.integrationUri,
    payloadFormatVersion: input.payloadFormatVersion,
    timeoutInMillis: input.timeoutInMillis ?? INTEGRATION_TIMEOUT_MS_DEFAULT,
  };
}

async function createIntegration(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  const input = body(req);
  const integrationType = requiredString(input, 'integrationType');
  if (integrationType !== 'AWS_PROXY') throw errors.badRequest(`Integration type ${integrationType} is not supported by Lambkin; use AWS_PROXY with a Lambda function`);
  const integrationUri = requiredString(input, 'integrationUri');
  const payloadFormatVersion = optionalString(input, 'payloadFormatVersion');
  if (!payloadFormatVersion) throw errors.badRequest('PayloadFormatVersion is required for AWS_PROXY integrations on HTTP APIs');
  if (!PAYLOAD_VERSIONS.includes(payloadFormatVersion)) throw errors.badRequest(`Invalid PayloadFormatVersion: ${payloadFormatVersion}. Supported values are 1.0 and 2.0`);
  const timeout = input.timeoutInMillis;
  if (timeout !== undefined && (typeof timeout !== 'number' || timeout < 50 || timeout > 30_000)) {
    throw errors.badRequest('Invalid integration timeout: it must be between 50 and 30000 milliseconds');
  }
  const doc = integrationDoc(newId(7), { integrationType, integrationUri, payloadFormatVersion, timeoutInMillis: timeout as number | undefined });
  const description = optionalString(input, 'description');
  if (description) doc.description = description;
  await deps.store.put(scopeOf(req), api.apiId, 'integration', doc.integrationId, doc, deps.clock.now());
  return jsonResponse(201, doc);
}

async function getIntegrations(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  return jsonResponse(200, { items: await deps.store.list<IntegrationDoc>(api.apiId, 'integration') });
}

async function getIntegration(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  const id = req.params.integrationId ?? '';
  const doc = await deps.store.get<IntegrationDoc>(api.apiId, 'integration', id);
  if (!doc) throw errors.integrationNotFound(id);
  return jsonResponse(200, doc);
}

async function deleteIntegration(deps: ApigwDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireApi(deps, req);
  const id = req.params.integrationId ?? '';
  if (!(await deps.store.delete(api.apiId, 'integration', id))) throw errors.integrationNotFound(id);
  return emptyResponse(204);
}
