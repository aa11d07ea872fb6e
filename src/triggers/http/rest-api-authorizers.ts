import type { AuthorizerDoc } from '../../services/apigatewayv2/rest/model.js';
import type { FunctionInvoker } from '../../services/lambda/function-invoker.js';
import type { HttpReply } from './http-reply.js';
import { firstHeader, queryPairs } from './incoming.js';
import { invokeForDoor } from './invoke-function.js';
import { payloadV1Event } from './payload-v1.js';
import { restReplies } from './rest-api-replies.js';
import { functionOfUri, type RestCall } from './rest-call.js';

interface AuthorizerOutput {
  principalId: string;
  statements: PolicyStatement[];
  context: Record<string, unknown>;
  /** The API key the request is metered by when the API's apiKeySource is AUTHORIZER. */
  usageIdentifierKey?: string;
}

interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  resources: string[];
}

const APIGW_PRINCIPAL = 'apigateway.amazonaws.com';

/**
 * Lambda authorizers of REST APIs: TOKEN (one header, checked against identityValidationExpression)
 * and REQUEST (every identity source must be present). The returned policy is evaluated against
 * the method ARN; results are cached per identity for authorizerResultTtlInSeconds, as on AWS, and
 * a cached policy is evaluated again for each method it is used for.
 */
export class RestApiAuthorizers {
  private readonly cache = new Map<string, { expires: number; output: AuthorizerOutput }>();

  constructor(private readonly invoker: FunctionInvoker) {}

  async authorize(call: RestCall): Promise<{ context: Record<string, unknown>; usageIdentifierKey?: string } | { reply: HttpReply }> {
    const authorizer = call.method.authorizerId ? call.deployed.authorizers.get(call.method.authorizerId) : undefined;
    if (!authorizer) return { reply: restReplies.internal() };
    const identity = identityOf(call, authorizer);
    if (identity === undefined) return { reply: restReplies.unauthorized() };
    const key = `${call.routing.api.id}/${authorizer.id}/${identity}`;
    const now = Date.now();
    const cached = this.cache.get(key);
    let output = cached && cached.expires > now ? cached.output : undefined;
    if (!output) {
      const invoked = await this.invoke(call, authorizer);
      if ('reply' in invoked) return invoked;
      output = invoked.output;
      if (authorizer.authorizerResultTtlInSeconds > 0) {
        if (this.cache.size >= 10_000) this.cache.clear();
        this.cache.set(key, { expires: now + authorizer.authorizerResultTtlInSeconds * 1000, output });
      }
    }
    if (!allows(output.statements, call.methodArn)) return { reply: restReplies.accessDenied() };
    return {
      context: { ...output.context, principalId: output.principalId, integrationLatency: 0 },
      ...(output.usageIdentifierKey !== undefined ? { usageIdentifierKey: output.usageIdentifierKey } : {}),
    };
  }

  private async invoke(call: RestCall, authorizer: AuthorizerDoc): Promise<{ output: AuthorizerOutput } | { reply: HttpReply }> {
    const ref = functionOfUri(authorizer.authorizerUri);
    if (!ref) return { reply: restReplies.authorizerFailed() };
    const { scope, api } = call.routing;
    const sourceArn = `arn:aws:execute-api:${scope.region}:${scope.accountId}:${api.id}/authorizers/${authorizer.id}`;
    const allowed = await this.invoker.isAllowed(ref, { action: 'lambda:InvokeFunction', principalService: APIGW_PRINCIPAL, sourceArn, sourceAccount: scope.accountId });
    if (!allowed) return { reply: restReplies.authorizerFailed() };
    const event = authorizer.type === 'TOKEN'
      ? { type: 'TOKEN', methodArn: call.methodArn, authorizationToken: tokenHeader(call, authorizer) ?? '' }
      : requestEvent(call);
    const outcome = await invokeForDoor(this.invoker, ref, Buffer.from(JSON.stringify(event)), call.requestId);
    if (outcome.kind !== 'answered') return { reply: restReplies.authorizerFailed() };
    if (outcome.functionError) {
      // `throw new Error('Unauthorized')` (callback('Unauthorized')) is how an authorizer says 401.
      const message = errorMessageOf(outcome.payload);
      return { reply: message === 'Unauthorized' ? restReplies.unauthorized() : restReplies.authorizerFailed() };
    }
    const output = parseOutput(outcome.payload);
    return output ? { output } : { reply: restReplies.authorizerFailed() };
  }
}

function tokenHeader(call: RestCall, authorizer: AuthorizerDoc): string | undefined {
  const name = /^method\.request\.header\.(.+)$/.exec(authorizer.identitySource ?? '')?.[1];
  return name ? firstHeader(call.request, name.toLowerCase()) : undefined;
}

/** The cache key's identity part, or undefined when an identity source is missing (401 without invoking). */
function identityOf(call: RestCall, authorizer: AuthorizerDoc): string | undefined {
  if (authorizer.type === 'TOKEN') {
    const token = tokenHeader(call, authorizer);
    if (!token) return undefined;
    if (authorizer.identityValidationExpression && !new RegExp(`^(?:${authorizer.identityValidationExpression})$`).test(token)) return undefined;
    return token;
  }
  const sources = (authorizer.identitySource ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const values: string[] = [];
  for (const source of sources) {
    const value = identityValue(call, source);
    if (value === undefined || value === '') return undefined;
    values.push(value);
  }
  // Without identity sources nothing can be cached: every request invokes the authorizer.
  return sources.length === 0 ? `uncached:${call.requestId}` : JSON.stringify(values);
}

function identityValue(call: RestCall, source: string): string | undefined {
  let m = /^method\.request\.header\.(.+)$/.exec(source);
  if (m) return firstHeader(call.request, m[1]!.toLowerCase());
  m = /^method\.request\.querystring\.(.+)$/.exec(source);
  if (m) return queryPairs(call.request.rawQuery, true).find(([k]) => k === m![1])?.[1];
  m = /^stageVariables\.(.+)$/.exec(source);
  if (m) return call.stage.variables?.[m[1]!];
  m = /^context\.(.+)$/.exec(source);
  if (m) return m[1] === 'httpMethod' ? call.request.method : m[1] === 'stage' ? call.stage.stageName : undefined;
  return undefined;
}

/** A REQUEST authorizer's event: the proxy event's request parts plus `type` and `methodArn`. */
function requestEvent(call: RestCall): Record<string, unknown> {
  const { request, routing, stage, resource } = call;
  const proxy = payloadV1Event(request, {
    accountId: routing.scope.accountId, apiId: routing.api.id, domainName: request.hostname, requestId: call.requestId, routeKey: resource.path,
    resource: resource.path, stage: stage.stageName, fullPath: request.rawPath,
    pathParameters: call.pathParameters, stageVariables: stage.variables ?? {},
    rest: { resourceId: resource.id, path: call.path, isBinary: () => false, authorizer: null },
  });
  delete proxy.body;
  delete proxy.isBase64Encoded;
  return { type: 'REQUEST', methodArn: call.methodArn, ...proxy };
}

function errorMessageOf(payload: Buffer): string | undefined {
  try {
    const doc = JSON.parse(payload.toString('utf8')) as { errorMessage?: unknown };
    return typeof doc.errorMessage === 'string' ? doc.errorMessage : undefined;
  } catch {
    return undefined;
  }
}

/** `{principalId, policyDocument: {Statement: [...]}, context}`; anything else is a configuration error. */
function parseOutput(payload: Buffer): AuthorizerOutput | undefined {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || doc.principalId === undefined) return undefined;
  const policy = doc.policyDocument as { Statement?: unknown } | undefined;
  if (!policy || typeof policy !== 'object') return undefined;
  const raw = Array.isArray(policy.Statement) ? policy.Statement : policy.Statement ? [policy.Statement] : [];
  const statements: PolicyStatement[] = [];
  for (const s of raw as Array<Record<string, unknown>>) {
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return undefined;
    statements.push({ effect: s.Effect, actions: list(s.Action), resources: list(s.Resource) });
  }
  const context: Record<string, unknown> = {};
  // AWS passes only string, number and boolean context values on.
  for (const [k, v] of Object.entries((doc.context as Record<string, unknown> | undefined) ?? {})) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') context[k] = v;
    else return undefined;
  }
  return { principalId: String(doc.principalId), statements, context, ...(typeof doc.usageIdentifierKey === 'string' ? { usageIdentifierKey: doc.usageIdentifierKey } : {}) };
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
}

/** Explicit Deny wins; otherwise an Allow for execute-api:Invoke on a matching resource is needed. */
function allows(statements: PolicyStatement[], methodArn: string): boolean {
  const applies = (s: PolicyStatement) => s.actions.some((a) => wildcard(a, 'execute-api:Invoke', 'i')) && s.resources.some((r) => wildcard(r, methodArn, ''));
  if (statements.some((s) => s.effect === 'Deny' && applies(s))) return false;
  return statements.some((s) => s.effect === 'Allow' && applies(s));
}

/** IAM's `*` and `?` wildcards; actions compare without case, resources with it. */
function wildcard(pattern: string, value: string, flags: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, flags).test(value);
}
