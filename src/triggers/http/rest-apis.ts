import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newTraceId } from '../../engine/trace-id.js';
import type { IntegrationDoc } from '../../services/apigatewayv2/rest/model.js';
import type { ApigwStore } from '../../services/apigatewayv2/store.js';
import type { FunctionInvoker, FunctionRef } from '../../services/lambda/function-invoker.js';
import { textReply, writeReply, type HttpReply } from './http-reply.js';
import { firstHeader, readIncoming, type IncomingHttpRequest } from './incoming.js';
import { invokeForDoor } from './invoke-function.js';
import { REST_API_MAX_REQUEST_BYTES } from './limits.js';
import { payloadV1Event, replyFromV1 } from './payload-v1.js';
import { RestApiAuthorizers } from './rest-api-authorizers.js';
import { RestApiKeys } from './rest-api-keys.js';
import { functionOfUri, type RestCall } from './rest-call.js';
import { httpIntegration } from './rest-http-integration.js';
import { httpProxy } from './rest-http-proxy.js';
import { restReplies } from './rest-api-replies.js';
import { mapRequest, mapResponse, selectResponse } from './rest-templates.js';
import { matchResource, RestApiRoutingCache, type RestApiRouting } from './rest-api-routing.js';

const APIGW_PRINCIPAL = 'apigateway.amazonaws.com';

/**
 * Serves REST APIs: stage (first path segment) → the stage's deployment → resource → method →
 * authorizer → AWS_PROXY (payload 1.0), AWS, HTTP, HTTP_PROXY or MOCK integration.
 */
export class RestApiDoor {
  private readonly routing: RestApiRoutingCache;
  private readonly authorizers: RestApiAuthorizers;
  private readonly keys: RestApiKeys;

  constructor(
    private readonly invoker: FunctionInvoker,
    store: ApigwStore,
  ) {
    this.routing = new RestApiRoutingCache(store);
    this.authorizers = new RestApiAuthorizers(invoker);
    this.keys = new RestApiKeys(store);
  }

  /** Whether `apiId` names a REST API (else the HTTP API door serves it). */
  async serves(apiId: string): Promise<boolean> {
    return (await this.routing.get(apiId)) !== undefined;
  }

  async serve(req: IncomingMessage, res: ServerResponse, target: { apiId: string; rawPath: string; rawQuery: string }): Promise<void> {
    const requestId = randomUUID();
    const request = await readIncoming(req, target.rawPath, target.rawQuery, REST_API_MAX_REQUEST_BYTES);
    const routing = await this.routing.get(target.apiId);
    const reply = !request ? restReplies.tooLarge() : routing ? await this.answer(request, routing, requestId) : restReplies.forbidden();
    reply.headers.push(['x-amzn-RequestId', requestId], ['x-amz-apigw-id', randomBytes(8).toString('base64').replace(/[+/=]/g, 'A').slice(0, 11) + '=']);
    writeReply(res, reply);
  }

  private async answer(request: IncomingHttpRequest, routing: RestApiRouting, requestId: string): Promise<HttpReply> {
    const slash = request.rawPath.indexOf('/', 1);
    const stageName = decodeSegment(slash > 0 ? request.rawPath.slice(1, slash) : request.rawPath.slice(1));
    const stage = routing.stages.get(stageName);
    const deployed = stage && routing.deployments.get(stage.deploymentId);
    if (!stage || !deployed) return restReplies.forbidden();
    const path = slash > 0 ? request.rawPath.slice(slash) : '/';
    const match = matchResource(deployed, path);
    const methods = match?.resource.resourceMethods;
    const method = methods?.[request.method] ?? methods?.ANY;
    if (!match || !method) return restReplies.missingToken();
    const { scope, api } = routing;
    const methodArn = `arn:aws:execute-api:${scope.region}:${scope.accountId}:${api.id}/${stage.stageName}/${request.method}${path}`;
    const call: RestCall = { request, routing, deployed, stage, resource: match.resource, method, path, pathParameters: match.pathParameters, requestId, methodArn };

    const keyFromAuthorizer = routing.api.apiKeySource === 'AUTHORIZER';
    if (method.apiKeyRequired && !keyFromAuthorizer) {
      const refused = await this.keys.check(call, firstHeader(request, 'x-api-key'));
      if (refused) return refused;
    }
    // AWS_IAM: a request without a signature is refused; signatures themselves are not verified.
    if (method.authorizationType === 'AWS_IAM' && !firstHeader(request, 'authorization') && !/(^|&)X-Amz-Signature=/.test(request.rawQuery)) {
      return restReplies.missingToken();
    }
    // Lambkin has no Cognito user pools, so no token can be verified: every caller is refused as
    // API Gateway refuses a missing or invalid token.
    if (method.authorizationType === 'COGNITO_USER_POOLS') return restReplies.unauthorized();
    let authorizer: Record<string, unknown> | null = null;
    let usageIdentifierKey: string | undefined;
    if (method.authorizationType === 'CUSTOM') {
      const result = await this.authorizers.authorize(call);
      if ('reply' in result) return result.reply;
      authorizer = result.context;
      usageIdentifierKey = result.usageIdentifierKey;
    }
    // apiKeySource AUTHORIZER: the key is the one the Lambda authorizer names (none without one → 403).
    if (method.apiKeyRequired && keyFromAuthorizer) {
      const refused = await this.keys.check(call, usageIdentifierKey);
      if (refused) return refused;
    }
    const integration = method.methodIntegration;
    if (!integration) return restReplies.internal();
    if (integration.type === 'MOCK') return mockReply(call, integration, authorizer);
    if (integration.type === 'AWS') return this.lambda(call, integration, authorizer);
    if (integration.type === 'HTTP_PROXY') return httpProxy(call, integration);
    if (integration.type === 'HTTP') return httpIntegration(call, integration, authorizer);
    return this.proxy(call, integration, authorizer);
  }

  /** The function an AWS or AWS_PROXY integration names, if API Gateway may invoke it for this method. */
  private async permittedFunction(call: RestCall, integration: IntegrationDoc): Promise<FunctionRef | undefined> {
    const { routing, stage, resource, method } = call;
    const ref = functionOfUri(integration.uri);
    // Lambda's Invoke is a POST: an integration with another method fails as it does on AWS.
    if (!ref || integration.httpMethod !== 'POST') return undefined;
    const { scope, api } = routing;
    const verb = method.httpMethod === 'ANY' ? '*' : method.httpMethod;
    const sourceArn = `arn:aws:execute-api:${scope.region}:${scope.accountId}:${api.id}/${stage.stageName}/${verb}${resource.path}`;
    const allowed = await this.invoker.isAllowed(ref, { action: 'lambda:InvokeFunction', principalService: APIGW_PRINCIPAL, sourceArn, sourceAccount: scope.accountId });
    return allowed ? ref : undefined;
  }

  /**
   * AWS (non-proxy Lambda): the request template makes the event; the answer, or a function error's
   * errorMessage matched against selectionPatterns, picks the integration response that maps it.
   */
  private async lambda(call: RestCall, integration: IntegrationDoc, authorizer: Record<string, unknown> | null): Promise<HttpReply> {
    const ref = await this.permittedFunction(call, integration);
    if (!ref) return restReplies.internal();
    const mapped = mapRequest(call, integration, authorizer);
    if ('reply' in mapped) return mapped.reply;
    const payload = mapped.payload.trim() === '' ? '{}' : mapped.payload;
    // Lambda refuses a payload that is not JSON (InvalidRequestContentException): API Gateway's 500.
    if (!isJson(payload)) return restReplies.internal();
    const outcome = await invokeForDoor(this.invoker, ref, Buffer.from(payload), call.requestId, newTraceId());
    if (outcome.kind !== 'answered') return restReplies.internal();
    const answer = outcome.payload.toString('utf8');
    const chosen = selectResponse(integration, outcome.functionError ? errorMessageOf(answer) : undefined);
    // No default integration response: "No match for output mapping and no default output mapping".
    return chosen ? mapResponse(call, chosen, answer, authorizer) : restReplies.internal();
  }

  /** AWS_PROXY to a Lambda function, with the permission check API Gateway's invocation meets. */
  private async proxy(call: RestCall, integration: IntegrationDoc, authorizer: Record<string, unknown> | null): Promise<HttpReply> {
    const { request, routing, stage, resource } = call;
    const ref = await this.permittedFunction(call, integration);
    if (!ref) return restReplies.internal();
    const { scope, api } = routing;

    const traceId = newTraceId();
    setForwardingHeaders(request, traceId);
    const binary = api.binaryMediaTypes ?? [];
    const event = payloadV1Event(request, {
      accountId: scope.accountId, apiId: api.id, domainName: domainOf(request, api.id), requestId: call.requestId, routeKey: resource.path,
      resource: resource.path, stage: stage.stageName, fullPath: request.rawPath,
      pathParameters: Object.keys(call.pathParameters).length > 0 ? call.pathParameters : null, stageVariables: stage.variables ?? null,
      rest: { resourceId: resource.id, path: call.path, isBinary: (type) => isBinaryType(binary, type), authorizer, apiKey: call.apiKey ?? null },
    });
    const outcome = await invokeForDoor(this.invoker, ref, Buffer.from(JSON.stringify(event)), call.requestId, traceId);
    if (outcome.kind !== 'answered') return restReplies.internal();
    if (outcome.functionError) return restReplies.badGateway();
    const reply = replyFromV1(outcome.payload);
    if (!reply) return restReplies.badGateway();
    reply.headers.push(['X-Amzn-Trace-Id', traceId.split(';')[0]!]);
    return reply;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function domainOf(request: IncomingHttpRequest, apiId: string): string {
  return request.hostname.includes('.execute-api.') ? request.hostname : `${apiId}.execute-api.localhost`;
}

function setForwardingHeaders(request: IncomingHttpRequest, traceId: string): void {
  request.headers.set('x-amzn-trace-id', [traceId.split(';')[0]!]);
  const forwarded = request.headers.get('x-forwarded-for');
  request.headers.set('x-forwarded-for', [forwarded ? `${forwarded.join(', ')}, ${request.sourceIp}` : request.sourceIp]);
  request.headers.set('x-forwarded-port', [String(request.localPort)]);
  request.headers.set('x-forwarded-proto', ['http']);
}

/** A content type is binary when it matches one of the API's binaryMediaTypes (`*` wildcards allowed). */
function isBinaryType(binaryMediaTypes: string[], contentType: string | undefined): boolean {
  if (!contentType || binaryMediaTypes.length === 0) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return binaryMediaTypes.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p === '*/*') return true;
    if (p.endsWith('/*')) return type.startsWith(p.slice(0, -1));
    return p === type;
  });
}

/**
 * MOCK: the request template gives `statusCode`; the integration response whose selectionPattern
 * matches it (else the default one) gives the status, the headers and the body template.
 */
function mockReply(call: RestCall, integration: IntegrationDoc, authorizer: Record<string, unknown> | null): HttpReply {
  const mapped = mapRequest(call, { ...integration, passthroughBehavior: 'WHEN_NO_MATCH' }, authorizer);
  if ('reply' in mapped) return mapped.reply;
  let statusCode = '200';
  if (mapped.payload.trim() !== '') {
    try {
      const parsed = JSON.parse(mapped.payload) as { statusCode?: unknown };
      if (parsed && (typeof parsed.statusCode === 'number' || typeof parsed.statusCode === 'string')) statusCode = String(parsed.statusCode);
    } catch {
      // API Gateway reads MOCK templates leniently: the CDK's CORS preflight sends `{ statusCode: 200 }`.
      const loose = /^\s*\{\s*["']?statusCode["']?\s*:\s*["']?(\d{3})["']?\s*[,}]/.exec(mapped.payload)?.[1];
      if (loose === undefined) return restReplies.internal();
      statusCode = loose;
    }
  }
  const chosen = selectResponse(integration, statusCode);
  return chosen ? mapResponse(call, chosen, '', authorizer) : restReplies.internal();
}

/** A function error's `errorMessage` (what selectionPatterns match), or the whole answer when it is not one. */
function errorMessageOf(answer: string): string {
  try {
    const parsed = JSON.parse(answer) as { errorMessage?: unknown };
    if (parsed && typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: matched as it is
  }
  return answer;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
