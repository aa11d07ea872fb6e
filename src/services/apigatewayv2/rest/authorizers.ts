import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { body, optionalString, scopeOf } from '../request.js';
import { newId } from '../store.js';
import { restErrors } from './errors.js';
import { requireRestApi, type RestDeps } from './lookup.js';
import { LAMBDA_INTEGRATION_URI } from './integration-uri.js';
import { invalidPatchPath, patchOperations, unescapePathSegment } from './patch.js';
import type { AuthorizerDoc, ResourceDoc } from './model.js';

export function authorizerRoutes(deps: RestDeps): RestJsonRoute[] {
  const base = '/restapis/{restapi_id}/authorizers';
  return [
    { operation: 'CreateAuthorizer', method: 'POST', path: base, handler: (r) => createAuthorizer(deps, r) },
    { operation: 'GetAuthorizers', method: 'GET', path: base, handler: (r) => getAuthorizers(deps, r) },
    { operation: 'GetAuthorizer', method: 'GET', path: `${base}/{authorizer_id}`, handler: (r) => getAuthorizer(deps, r) },
    { operation: 'UpdateAuthorizer', method: 'PATCH', path: `${base}/{authorizer_id}`, handler: (r) => updateAuthorizer(deps, r) },
    { operation: 'DeleteAuthorizer', method: 'DELETE', path: `${base}/{authorizer_id}`, handler: (r) => deleteAuthorizer(deps, r) },
  ];
}

const IDENTITY_SOURCE = /^method\.request\.(header|querystring)\.[^\s,]+$|^(stageVariables|context)\.[^\s,]+$/;
const USER_POOL_ARN = /^arn:aws[a-zA-Z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool\/[a-z0-9-]+_[A-Za-z0-9]+$/;
const AUTHORIZER_TYPES = ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'];

/**
 * An authorizer as CreateAuthorizer (or an UpdateAuthorizer's patched copy) describes it, checked as
 * AWS checks it: Lambda authorizers (TOKEN, REQUEST) need a function URI, Cognito user pool ones
 * their pools' ARNs (stored; Lambkin has no user pools to check tokens against), TOKEN and Cognito
 * ones a header as identity source.
 */
function authorizerOf(input: Record<string, unknown>, id: string): AuthorizerDoc {
  const name = optionalString(input, 'name');
  if (!name) throw restErrors.badRequest('Invalid authorizer name specified');
  const type = optionalString(input, 'type');
  if (!type || !AUTHORIZER_TYPES.includes(type)) throw restErrors.badRequest(`Invalid authorizer type specified. Valid options are ${AUTHORIZER_TYPES.join(',')}`);
  const identitySource = optionalString(input, 'identitySource');
  if (type !== 'REQUEST' && (!identitySource || !/^method\.request\.header\.[^\s,]+$/.test(identitySource))) {
    throw restErrors.badRequest(`Invalid identity source specified: a ${type} authorizer needs method.request.header.<name>`);
  }
  if (identitySource && !identitySource.split(',').every((s) => IDENTITY_SOURCE.test(s.trim()))) throw restErrors.badRequest(`Invalid identity source specified: ${identitySource}`);
  const ttl = input.authorizerResultTtlInSeconds ?? 300;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > 3600) throw restErrors.badRequest('Invalid authorizer result TTL: it must be between 0 and 3600 seconds');
  const doc: AuthorizerDoc = { id, name, type, authType: optionalString(input, 'authType') ?? (type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom'), authorizerResultTtlInSeconds: ttl };
  if (type === 'COGNITO_USER_POOLS') {
    const arns = Array.isArray(input.providerARNs) ? input.providerARNs.map(String) : [];
    const bad = arns.filter((a) => !USER_POOL_ARN.test(a));
    if (arns.length === 0 || bad.length > 0) throw restErrors.badRequest(`ProviderARNs need to be valid Cognito Userpools. Invalid ARNs-\n${bad.join('\n')}`);
    doc.providerARNs = arns;
  } else {
    const uri = optionalString(input, 'authorizerUri');
    if (!uri || !LAMBDA_INTEGRATION_URI.test(uri)) throw restErrors.badRequest('Invalid Authorizer URI specified');
    doc.authorizerUri = uri;
  }
  const credentials = optionalString(input, 'authorizerCredentials');
  if (credentials) doc.authorizerCredentials = credentials;
  if (identitySource) doc.identitySource = identitySource;
  const validation = optionalString(input, 'identityValidationExpression');
  if (validation) doc.identityValidationExpression = validation;
  return doc;
}

async function createAuthorizer(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const doc = authorizerOf(body(req), newId(6));
  await deps.store.put(scopeOf(req), api.id, 'rest-authorizer', doc.id, doc, deps.clock.now());
  return jsonResponse(201, doc);
}

const AUTHORIZER_PATHS = [
  '/name', '/type', '/authType', '/authorizerUri', '/authorizerCredentials', '/identitySource', '/identityValidationExpression',
  '/authorizerResultTtlInSeconds', '/providerARNs',
];

/**
 * UpdateAuthorizer: `replace` of its members, `add`/`remove` of one provider ARN
 * (`/providerARNs/<arn>`, `/` escaped as `~1` or not); the result is checked as CreateAuthorizer
 * checks a new one. Deployed stages keep the authorizer they were deployed with.
 */
async function updateAuthorizer(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const api = await requireRestApi(deps, req);
  const current = await deps.store.get<AuthorizerDoc>(api.id, 'rest-authorizer', req.params.authorizer_id ?? '');
  if (!current) throw restErrors.authorizerNotFound();
  const patched: Record<string, unknown> = { ...current };
  for (const op of patchOperations(body(req))) {
    if (op.path.startsWith('/providerARNs/') && (op.op === 'add' || op.op === 'remove')) {
      const arn = unescapePathSegment(op.path.slice('/providerARNs/'.length));
      const arns = Array.isArray(patched.providerARNs) ? (patched.providerARNs as string[]).filter((a) => a !== arn) : [];
      patched.providerARNs = op.op === 'add' ? [...arns, arn] : arns;
      continue;
    }
    if (op.op !== 'replace' || !AUTHORIZER_PATHS.includes(op.path)) throw invalidPatchPath(op, AUTHORIZER_PATHS);
    const member = op.path.slice(1);
    if (member === 'authorizerResultTtlInSeconds') patched[member] = op.value === undefined || op.value === '' ? undefined : Number(op.value);
    else if (member === 'providerARNs') patched[member] = (op.value ?? '').split(',').map((a) => a.trim()).filter(Boolean);
    else patched[member] = op.value;
  }
  // A type change drops what belonged to the other kind of authorizer.
  if (patched.type === 'COGNITO_USER_POOLS') delete patched.authorizerUri;
  else delete patched.providerARNs;
  if (patched.type !== current.type && patched.authType === current.authType) delete patched.authType;
  const doc = authorizerOf(patched, current.id);
  await deps.store.put(scopeOf(req), api.id, 'rest-authorizer', doc.id, doc, deps.clock.now());
  return jsonResponse(200, doc);
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
