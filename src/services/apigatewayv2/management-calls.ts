import type { ManagementCall } from '../../contracts/management-events.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import { hidden, jsonObject, managementCallOf, type ManagementCallSpec } from '../../protocols/management-calls.js';

/** Every create, update and delete of both APIs (one event source for REST and HTTP APIs, as on AWS). */
const SPEC: ManagementCallSpec = { eventSource: 'apigateway.amazonaws.com', isManagementWrite: (operation) => !/^(Get|Test)/.test(operation) };
/** An API key's value is a secret: hidden in the request and the answer. */
const KEY_SPEC: ManagementCallSpec = { ...SPEC, hiddenMembers: ['value'] };

/** CloudTrail's names of the REST API's path labels, where the routes spell them as the REST API's URIs do. */
const LABELS: Record<string, string> = {
  restapi_id: 'restApiId', resource_id: 'resourceId', parent_id: 'parentId', http_method: 'httpMethod', status_code: 'statusCode',
  deployment_id: 'deploymentId', stage_name: 'stageName', authorizer_id: 'authorizerId', api_Key: 'apiKey', usageplanId: 'usagePlanId',
};

/**
 * The event of an API Gateway write: the path's labels beside the body's members for HTTP APIs
 * (`{apiId, name, protocolType}`); for REST APIs, as CloudTrail records them, the body under
 * `<operation>Input` (`{restApiId, createDeploymentInput: {stageName}, template: false}`). The
 * answer as `responseElements`.
 */
export function apigatewayManagementCall(operation: string, params: Record<string, string>, ctx: RequestContext, response: ServiceResponse): ManagementCall | null {
  if (ctx.method === 'GET' || !SPEC.isManagementWrite(operation)) return null;
  const spec = operation.includes('ApiKey') ? KEY_SPEC : SPEC;
  const labels = Object.fromEntries(Object.entries(params).map(([name, value]) => [LABELS[name] ?? name, value]));
  const body = jsonObject(ctx.body);
  const answer = response.stream ? null : jsonObject(response.body as Buffer | string | undefined);
  if (ctx.rawPath.startsWith('/v2/')) return managementCallOf(spec, operation, { ...labels, ...body }, answer);
  // Wrapped, the body's members are no longer top-level: hidden before, as managementCallOf would.
  const wrapped = body ? { [`${operation.charAt(0).toLowerCase()}${operation.slice(1)}Input`]: hidden(spec, body) } : {};
  return managementCallOf(spec, operation, { ...labels, ...wrapped, template: false }, answer);
}
