import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { body, optionalString, scopeOf } from '../request.js';
import { newId } from '../store.js';
import { restErrors } from './errors.js';
import { requireRestApi, type RestDeps } from './lookup.js';
import { LAMBDA_INTEGRATION_URI } from './integration-uri.js';
import type { AuthorizerDoc, ResourceDoc } from './model.js';

export function authorizerRoutes(deps: RestDeps): RestJsonRoute[] {
  const base = '/restapis/{restapi_id}/authorizers';
  return [
    { operation: 'CreateAuthorizer', method: 'POST', path: base, handler: (r) => createAuthorizer(deps, r) },
    { operation: 'GetAuthorizers', method: 'GET', path: base, handler: (r) => getAuthorizers(deps, r) },
    { operation: 'GetAuthorizer', method: 'GET', path: `${base}/{authorizer_id}`, handler: (r) => getAuthorizer(deps, r) },
    { operation: 'DeleteAuthorizer', method: 'DELETE', path: `${base}/{authorizer_id}`, handler: (r) => deleteAuthorizer(deps, r) },
  ];
}

const IDENTITY_SOURCE = /^method\.request\.(header|querystring)\.[^\s,]+$|^(stageVariables|context)\.[^\s,]+$/;

/** Lambda authorizers (TOKEN, REQUEST); Cognito user pools are not served, so not accepted. */
async function createAuthorizer(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const input = body(req);
  const name = optionalString(input, 'name');
  if (!name) throw restErrors.badRequest('Invalid authorizer name specified');
  const type = optionalString(input, 'type');
  if (type === 'COGNITO_USER_POOLS') throw restErrors.badRequest('COGNITO_USER_POOLS authorizers are not supported by Lambkin; use a TOKEN or REQUEST Lambda authorizer');
  if (type !== 'TOKEN' && type !== 'REQUEST') throw restErrors.badRequest('Invalid authorizer type specified. Valid options are TOKEN,REQUEST,COGNITO_USER_POOLS');
  const uri = optionalString(input, 'authorizerUri');
  if (!uri || !LAMBDA_INTEGRATION_URI.test(uri)) throw restErrors.badRequest('Invalid Authorizer URI specified');
  const identitySource = optionalString(input, 'identitySource');
  if (type === 'TOKEN' && (!identitySource || !/^method\.request\.header\.[^\s,]+$/.test(identitySource))) {
    throw restErrors.badRequest('Invalid identity source specified: a TOKEN authorizer needs method.request.header.<name>');
  }
  if (identitySource && !identitySource.split(',').every((s) => IDENTITY_SOURCE.test(s.trim()))) throw restErrors.badRequest(`Invalid identity source specified: ${identitySource}`);
  const ttl = input.authorizerResultTtlInSeconds ?? 300;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 3600) throw restErrors.badRequest('Invalid authorizer result TTL: it must be between 0 and 3600 seconds');
  const doc: AuthorizerDoc = { id: newId(6), name, type, authType: optionalString(input, 'authType') ?? 'custom', authorizerUri: uri, authorizerResultTtlInSeconds: ttl };
  if (identitySource) doc.identitySource = identitySource;
  const validation = optionalString(input, 'identityValidationExpression');
  if (validation) doc.identityValidationExpression = validation;
  await deps.store.put(scopeOf(req), api.id, 'rest-authorizer', doc.id, doc, deps.clock.now());
  return jsonResponse(201, doc);
}

async function getAuthorizers(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  return jsonResponse(200, { item: await deps.store.list<AuthorizerDoc>(api.id, 'rest-authorizer') });
}

async function getAuthorizer(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const doc = await deps.store.get<AuthorizerDoc>(api.id, 'rest-authorizer', req.params.authorizer_id ?? '');
  if (!doc) throw restErrors.authorizerNotFound();
  return jsonResponse(200, doc);
}

/** An authorizer a method still uses cannot be deleted. */
async function deleteAuthorizer(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const id = req.params.authorizer_id ?? '';
  if (!(await deps.store.get(api.id, 'rest-authorizer', id))) throw restErrors.authorizerNotFound();
  const resources = await deps.store.list<ResourceDoc>(api.id, 'rest-resource');
  if (resources.some((r) => Object.values(r.resourceMethods ?? {}).some((m) => m.authorizerId === id))) {
    throw restErrors.conflict('Cannot delete authorizer, because it is used by at least one method');
  }
  await deps.store.delete(api.id, 'rest-authorizer', id);
  return emptyResponse(202);
}
