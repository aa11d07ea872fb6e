import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { body, optionalString, stringMap } from '../request.js';
import { restErrors } from './errors.js';
import { LAMBDA_INTEGRATION_URI } from './integration-uri.js';
import { applyPatch, patchOperations, type PatchSpec } from './patch.js';
import { checkResponseParameters } from './response-parameters.js';
import { requireMethod, requireResource, requireRestApi, saveResource, type RestDeps } from './lookup.js';
import type { AuthorizerDoc, IntegrationDoc, IntegrationResponseDoc, MethodDoc, MethodResponseDoc, ResourceDoc } from './model.js';

export function methodRoutes(deps: RestDeps): RestJsonRoute[] {
  const method = '/restapis/{restapi_id}/resources/{resource_id}/methods/{http_method}';
  const on = (handler: (deps: RestDeps, req: RestJsonRequest, ctx: MethodContext) => Promise<ServiceResponse>) => async (req: RestJsonRequest) =>
    handler(deps, req, await methodContext(deps, req));
  return [
    { operation: 'PutMethod', method: 'PUT', path: method, handler: on(putMethod) },
    { operation: 'GetMethod', method: 'GET', path: method, handler: on(async (_d, _r, c) => jsonResponse(200, requireMethod(c.resource, c.httpMethod))) },
    { operation: 'UpdateMethod', method: 'PATCH', path: method, handler: on(updateMethod) },
    { operation: 'DeleteMethod', method: 'DELETE', path: method, handler: on(deleteMethod) },
    { operation: 'PutMethodResponse', method: 'PUT', path: `${method}/responses/{status_code}`, handler: on(putMethodResponse) },
    { operation: 'GetMethodResponse', method: 'GET', path: `${method}/responses/{status_code}`, handler: on(getMethodResponse) },
    { operation: 'UpdateMethodResponse', method: 'PATCH', path: `${method}/responses/{status_code}`, handler: on(updateMethodResponse) },
    { operation: 'DeleteMethodResponse', method: 'DELETE', path: `${method}/responses/{status_code}`, handler: on(deleteMethodResponse) },
    { operation: 'PutIntegration', method: 'PUT', path: `${method}/integration`, handler: on(putIntegration) },
    { operation: 'GetIntegration', method: 'GET', path: `${method}/integration`, handler: on(async (_d, _r, c) => jsonResponse(200, requireIntegration(c))) },
    { operation: 'UpdateIntegration', method: 'PATCH', path: `${method}/integration`, handler: on(updateIntegration) },
    { operation: 'DeleteIntegration', method: 'DELETE', path: `${method}/integration`, handler: on(deleteIntegration) },
    { operation: 'PutIntegrationResponse', method: 'PUT', path: `${method}/integration/responses/{status_code}`, handler: on(putIntegrationResponse) },
    { operation: 'GetIntegrationResponse', method: 'GET', path: `${method}/integration/responses/{status_code}`, handler: on(getIntegrationResponse) },
    { operation: 'UpdateIntegrationResponse', method: 'PATCH', path: `${method}/integration/responses/{status_code}`, handler: on(updateIntegrationResponse) },
    { operation: 'DeleteIntegrationResponse', method: 'DELETE', path: `${method}/integration/responses/{status_code}`, handler: on(deleteIntegrationResponse) },
  ];
}

interface MethodContext {
  apiId: string;
  resource: ResourceDoc;
  httpMethod: string;
}

const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'ANY'];
const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS'];
/** What Lambkin serves (AWS: to Lambda only); HTTP integrations are refused rather than stored and never served. */
const INTEGRATION_TYPES = ['HTTP', 'AWS', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY'];
const STATUS_CODE = /^[1-5]\d\d$/;

async function methodContext(deps: RestDeps, req: RestJsonRequest): Promise<MethodContext> {
  const api = await requireRestApi(deps, req);
  const resource = await requireResource(deps, api.id, req.params.resource_id ?? '');
  return { apiId: api.id, resource, httpMethod: (req.params.http_method ?? '').toUpperCase() };
}

function booleanMap(input: Record<string, unknown>, key: string): Record<string, boolean> | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'boolean')) throw restErrors.badRequest(`Invalid input: ${key} must be a map of booleans`);
  return v as Record<string, boolean>;
}

async function putMethod(deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  if (!HTTP_METHODS.includes(ctx.httpMethod)) throw restErrors.badRequest('Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY');
  if (ctx.resource.resourceMethods?.[ctx.httpMethod]) throw restErrors.conflict('Method already exists for this resource');
  const doc = await methodOf(deps, ctx, body(req));
  ctx.resource.resourceMethods = { ...(ctx.resource.resourceMethods ?? {}), [ctx.httpMethod]: doc };
  await saveResource(deps, req, ctx.apiId, ctx.resource);
  return jsonResponse(201, doc);
}

/** A method as PutMethod (or an UpdateMethod's patched copy) describes it, checked as AWS checks it. */
async function methodOf(deps: RestDeps, ctx: MethodContext, input: Record<string, unknown>): Promise<MethodDoc> {
  const authorizationType = optionalString(input, 'authorizationType');
  if (!authorizationType || !AUTHORIZATION_TYPES.includes(authorizationType)) {
    throw restErrors.badRequest(`Invalid authorization type specified. Valid options are ${AUTHORIZATION_TYPES.join(',')}`);
  }
  const doc: MethodDoc = { httpMethod: ctx.httpMethod, authorizationType, apiKeyRequired: input.apiKeyRequired === true };
  const authorizerId = optionalString(input, 'authorizerId');
  if (authorizationType === 'CUSTOM' || authorizationType === 'COGNITO_USER_POOLS') {
    const authorizer = authorizerId ? await deps.store.get<AuthorizerDoc>(ctx.apiId, 'rest-authorizer', authorizerId) : undefined;
    // A Cognito authorizer serves COGNITO_USER_POOLS methods only, a Lambda one CUSTOM methods only.
    if (!authorizer || (authorizer.type === 'COGNITO_USER_POOLS') !== (authorizationType === 'COGNITO_USER_POOLS')) {
      throw restErrors.badRequest('Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');
    }
    doc.authorizerId = authorizer.id;
    const scopes = input.authorizationScopes;
    if (authorizationType === 'COGNITO_USER_POOLS' && Array.isArray(scopes) && scopes.length > 0) doc.authorizationScopes = scopes.map(String);
  }
  const operationName = optionalString(input, 'operationName');
  if (operationName) doc.operationName = operationName;
  const params = booleanMap(input, 'requestParameters');
  if (params) doc.requestParameters = params;
  return doc;
}

async function deleteMethod(deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  requireMethod(ctx.resource, ctx.httpMethod);
  delete ctx.resource.resourceMethods![ctx.httpMethod];
  if (Object.keys(ctx.resource.resourceMethods!).length === 0) delete ctx.resource.resourceMethods;
  await saveResource(deps, req, ctx.apiId, ctx.resource);
  return emptyResponse(204);
}

function statusCodeOf(req: RestJsonRequest): string {
  const code = req.params.status_code ?? '';
  if (!STATUS_CODE.test(code)) throw restErrors.badRequest('Invalid status code specified');
  return code;
}

async function putMethodResponse(deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  const method = requireMethod(ctx.resource, ctx.httpMethod);
  const statusCode = statusCodeOf(req);
  const doc = methodResponseOf(statusCode, body(req));
  method.methodResponses = { ...(method.methodResponses ?? {}), [statusCode]: doc };
  await saveResource(deps, req, ctx.apiId, ctx.resource);
  return jsonResponse(201, doc);
}

function methodResponseOf(statusCode: string, input: Record<string, unknown>): MethodResponseDoc {
  const doc: MethodResponseDoc = { statusCode };
  const params = booleanMap(input, 'responseParameters');
  if (params) doc.responseParameters = params;
  const models = stringMap(input, 'responseModels');
  if (models) doc.responseModels = models;
  return doc;
}

async function getMethodResponse(_deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  const doc = requireMethod(ctx.resource, ctx.httpMethod).methodResponses?.[req.params.status_code ?? ''];
  if (!doc) throw restErrors.responseNotFound();
  return jsonResponse(200, doc);
}

async function deleteMethodResponse(deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  const method = requireMethod(ctx.resource, ctx.httpMethod);
  const code = req.params.status_code ?? '';
  if (!method.methodResponses?.[code]) throw restErrors.responseNotFound();
  delete method.methodResponses[code];
  await saveResource(deps, req, ctx.apiId, ctx.resource);
  return emptyResponse(204);
}

async function putIntegration(deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  const method = requireMethod(ctx.resource, ctx.httpMethod);
  const doc = integrationOf(ctx, body(req));
  method.methodIntegration = doc;
  await saveResource(deps, req, ctx.apiId, ctx.resource);
  return jsonResponse(201, doc);
}

/** An integration as PutIntegration (or an UpdateIntegration's patched copy) describes it. */
function integrationOf(ctx: MethodContext, input: Record<string, unknown>): IntegrationDoc {
  const type = optionalString(input, 'type');
  if (!type || !INTEGRATION_TYPES.includes(type)) throw restErrors.badRequest(`Invalid integration type specified. Valid options are ${INTEGRATION_TYPES.join(',')}`);
  const timeout = input.timeoutInMillis;
  if (timeout !== undefined && timeout !== null && (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 50 || timeout > 29_000)) {
    throw restErrors.badRequest('Timeout should be between 50 ms and 29000 ms');
  }
  const doc: IntegrationDoc = {
    type, passthroughBehavior: optionalString(input, 'passthroughBehavior') ?? 'WHEN_NO_MATCH',
    timeoutInMillis: (timeout as number | undefined) ?? 29_000, cacheNamespace: ctx.resource.id, cacheKeyParameters: [],
  };
  if (!['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'].includes(doc.passthroughBehavior)) throw restErrors.badRequest(`Invalid passthrough behavior specified: ${doc.passthroughBehavior}`);
  if (type !== 'MOCK') {
    const httpMethod = optionalString(input, 'httpMethod');
    if (!httpMethod) throw restErrors.badRequest('Enumeration value for HttpMethod must be non-empty');
    const uri = optionalString(input, 'uri');
    if (type === 'HTTP_PROXY' || type === 'HTTP') {
      if (!uri || !/^https?:\/\/[^/\s]+/.test(uri)) throw restErrors.badRequest('Invalid HTTP endpoint specified for URI');
    } else {
      if (!uri) throw restErrors.badRequest('Invalid ARN specified in the request');
      if (type === 'AWS_PROXY' && !LAMBDA_INTEGRATION_URI.test(uri)) throw restErrors.badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
      if (type === 'AWS' && !LAMBDA_INTEGRATION_URI.test(uri)) throw restErrors.badRequest('Integration type AWS is served by Lambkin for Lambda functions only (uri arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations)');
    }
    doc.httpMethod = httpMethod;
    doc.uri = uri;
  }
  const templates = stringMap(input, 'requestTemplates');
  if (templates) doc.requestTemplates = templates;
  const params = stringMap(input, 'requestParameters');
  if (params) doc.requestParameters = params;
  return doc;
}

function requireIntegration(ctx: MethodContext): IntegrationDoc {
  const integration = requireMethod(ctx.resource, ctx.httpMethod).methodIntegration;
  if (!integration) throw restErrors.integrationNotFound();
  return integration;
}

async function deleteIntegration(deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  requireIntegration(ctx);
  delete requireMethod(ctx.resource, ctx.httpMethod).methodIntegration;
  await saveResource(deps, req, ctx.apiId, ctx.resource);
  return emptyResponse(204);
}

/** An integration response needs the method response of the same status code first. */
async function putIntegrationResponse(deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  const method = requireMethod(ctx.resource, ctx.httpMethod);
  const integration = requireIntegration(ctx);
  const statusCode = statusCodeOf(req);
  const doc = integrationResponseOf(method, statusCode, body(req));
  integration.integrationResponses = { ...(integration.integrationResponses ?? {}), [statusCode]: doc };
  await saveResource(deps, req, ctx.apiId, ctx.resource);
  return jsonResponse(201, doc);
}

/** An integration response; it needs the method response of its status code, whose headers it may map. */
function integrationResponseOf(method: MethodDoc, statusCode: string, input: Record<string, unknown>): IntegrationResponseDoc {
  if (!method.methodResponses?.[statusCode]) throw restErrors.responseNotFound();
  const doc: IntegrationResponseDoc = { statusCode };
  const pattern = optionalString(input, 'selectionPattern');
  if (pattern !== undefined) {
    try {
      new RegExp(pattern);
    } catch {
      throw restErrors.badRequest(`Invalid selection pattern specified: ${pattern}`);
    }
    doc.selectionPattern = pattern;
  }
  const params = stringMap(input, 'responseParameters');
  if (params) {
    checkResponseParameters(params, method.methodResponses[statusCode]!.responseParameters);
    doc.responseParameters = params;
  }
  const templates = stringMap(input, 'responseTemplates');
  if (templates) doc.responseTemplates = templates;
  return doc;
}

async function getIntegrationResponse(_deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  const doc = requireIntegration(ctx).integrationResponses?.[req.params.status_code ?? ''];
  if (!doc) throw restErrors.responseNotFound();
  return jsonResponse(200, doc);
}

async function deleteIntegrationResponse(deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  const integration = requireIntegration(ctx);
  const code = req.params.status_code ?? '';
  if (!integration.integrationResponses?.[code]) throw restErrors.responseNotFound();
  delete integration.integrationResponses[code];
  await saveResource(deps, req, ctx.apiId, ctx.resource);
  return emptyResponse(204);
}

/*
 * Update*: the stored item patched (a copy, in the shape its Put* takes), checked as Put* checks a
 * new one, and stored in its place with what hangs below it (responses, the integration). As with
 * every change, a stage serves it after the next deployment.
 */

const METHOD_PATCH: PatchSpec = {
  members: { authorizationType: 'string', authorizerId: 'string', apiKeyRequired: 'boolean', operationName: 'string' },
  maps: { requestParameters: 'boolean' }, lists: ['authorizationScopes'],
};
const METHOD_RESPONSE_PATCH: PatchSpec = { maps: { responseParameters: 'boolean', responseModels: 'string' } };
const INTEGRATION_PATCH: PatchSpec = {
  members: { uri: 'string', httpMethod: 'string', passthroughBehavior: 'string', timeoutInMillis: 'number' },
  maps: { requestTemplates: 'string', requestParameters: 'string' },
};
const INTEGRATION_RESPONSE_PATCH: PatchSpec = { members: { selectionPattern: 'string' }, maps: { responseTemplates: 'string', responseParameters: 'string' } };

function patched<T extends object>(doc: T, req: RestJsonRequest, spec: PatchSpec): Record<string, unknown> {
  const copy = structuredClone(doc) as Record<string, unknown>;
  applyPatch(copy, patchOperations(body(req)), spec);
  return copy;
}

async function updateMethod(deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  const current = requireMethod(ctx.resource, ctx.httpMethod);
  const doc = await methodOf(deps, ctx, patched(current, req, METHOD_PATCH));
  if (current.methodResponses) doc.methodResponses = current.methodResponses;
  if (current.methodIntegration) doc.methodIntegration = current.methodIntegration;
  ctx.resource.resourceMethods![ctx.httpMethod] = doc;
  await saveResource(deps, req, ctx.apiId, ctx.resource);
  return jsonResponse(200, doc);
}

async function updateMethodResponse(deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  const method = requireMethod(ctx.resource, ctx.httpMethod);
  const current = method.methodResponses?.[req.params.status_code ?? ''];
  if (!current) throw restErrors.responseNotFound();
  const doc = methodResponseOf(current.statusCode, patched(current, req, METHOD_RESPONSE_PATCH));
  method.methodResponses![doc.statusCode] = doc;
  await saveResource(deps, req, ctx.apiId, ctx.resource);
  return jsonResponse(200, doc);
}

async function updateIntegration(deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  const current = requireIntegration(ctx);
  const doc = integrationOf(ctx, patched(current, req, INTEGRATION_PATCH));
  if (current.integrationResponses) doc.integrationResponses = current.integrationResponses;
  requireMethod(ctx.resource, ctx.httpMethod).methodIntegration = doc;
  await saveResource(deps, req, ctx.apiId, ctx.resource);
  return jsonResponse(200, doc);
}

async function updateIntegrationResponse(deps: RestDeps, req: RestJsonRequest, ctx: MethodContext): Promise<ServiceResponse> {
  const integration = requireIntegration(ctx);
  const current = integration.integrationResponses?.[req.params.status_code ?? ''];
  if (!current) throw restErrors.responseNotFound();
  const doc = integrationResponseOf(requireMethod(ctx.resource, ctx.httpMethod), current.statusCode, patched(current, req, INTEGRATION_RESPONSE_PATCH));
  integration.integrationResponses![doc.statusCode] = doc;
  await saveResource(deps, req, ctx.apiId, ctx.resource);
  return jsonResponse(200, doc);
}
