import { randomBytes } from 'node:crypto';
import { isTextContentType } from './content-types.js';
import type { HttpReply } from './http-reply.js';
import { clfTime, firstHeader, queryPairs, type IncomingHttpRequest } from './incoming.js';

export interface PayloadV1Context {
  accountId: string;
  apiId: string;
  domainName: string;
  requestId: string;
  routeKey: string;
  /** The route's path (`/items/{id}`), or `$default`. */
  resource: string;
  stage: string;
  /** The request path as the client sent it, stage prefix included. */
  fullPath: string;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  /** Set by REST APIs, whose proxy event differs from an HTTP API's 1.0 event in these points. */
  rest?: RestApiEventParts;
}

export interface RestApiEventParts {
  /** The matched resource's id (an HTTP API puts its route key in `resourceId`). */
  resourceId: string;
  /** The path without the stage (`path`); `requestContext.path` keeps the stage. */
  path: string;
  /** Whether a body of this content type goes base64 (the API's binaryMediaTypes); else it is text. */
  isBinary: (contentType: string | undefined) => boolean;
  /** What a Lambda authorizer returned (principalId and context); null without one. */
  authorizer: Record<string, unknown> | null;
  /** The API key a usage plan metered the request by (`identity.apiKey`, `apiKeyId`); null without one. */
  apiKey?: { id: string; value: string } | null;
}

/**
 * The REST-API proxy event (payload format 1.0, spec §4.2): single-value maps beside multi-value
 * ones, `null` for absent maps. HTTP APIs add `version: "1.0"`; REST APIs (`context.rest`) send
 * the path without the stage, the resource id and the authorizer's output.
 */
export function payloadV1Event(request: IncomingHttpRequest, context: PayloadV1Context): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, values] of request.headers) {
    headers[name] = values.join(',');
    multiValueHeaders[name] = values;
  }
  const pairs = queryPairs(request.rawQuery, true);
  let query: Record<string, string> | null = null;
  let multiQuery: Record<string, string[]> | null = null;
  if (pairs.length > 0) {
    query = {};
    multiQuery = {};
    for (const [k, v] of pairs) {
      query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
      (multiQuery[k] ??= []).push(v);
    }
  }
  const userAgent = firstHeader(request, 'user-agent') ?? '';
  let body: string | null = null;
  let isBase64Encoded = false;
  if (request.body.length > 0) {
    const contentType = firstHeader(request, 'content-type');
    const text = context.rest ? !context.rest.isBinary(contentType) : isTextContentType(contentType);
    body = text ? request.body.toString('utf8') : request.body.toString('base64');
    isBase64Encoded = !text;
  }
  const rest = context.rest;
  const identity: Record<string, unknown> = {
    accessKey: null, accountId: null, caller: null, cognitoAuthenticationProvider: null, cognitoAuthenticationType: null,
    cognitoIdentityId: null, cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: request.sourceIp, user: null, userAgent, userArn: null,
  };
  if (rest) Object.assign(identity, { apiKey: rest.apiKey?.value ?? null, apiKeyId: rest.apiKey?.id ?? null });
  return {
    ...(rest ? {} : { version: '1.0' }),
    resource: context.resource,
    path: rest ? rest.path : context.fullPath,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query,
    multiValueQueryStringParameters: multiQuery,
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      domainName: context.domainName,
      domainPrefix: context.apiId,
      extendedRequestId: randomBytes(12).toString('base64').replace(/[+/=]/g, 'A').slice(0, 16) + '=',
      httpMethod: request.method,
      identity,
      path: context.fullPath,
      protocol: 'HTTP/1.1',
      requestId: context.requestId,
      requestTime: clfTime(request.receivedAt),
      requestTimeEpoch: request.receivedAt,
      resourceId: rest ? rest.resourceId : context.routeKey,
      resourcePath: context.resource,
      stage: context.stage,
      ...(rest ? { authorizer: rest.authorizer } : {}),
    },
    pathParameters: context.pathParameters,
    stageVariables: context.stageVariables,
    body,
    isBase64Encoded,
  };
}

/** A 1.0 answer: `statusCode` is required; `headers` and `multiValueHeaders` both apply. Null = malformed. */
export function replyFromV1(payload: Buffer): HttpReply | null {
  let doc: Record<string, unknown>;
  try {
    const value = JSON.parse(payload.toString('utf8')) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    doc = value as Record<string, unknown>;
  } catch {
    return null;
  }
  const status = typeof doc.statusCode === 'number' ? doc.statusCode : Number(doc.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return null;
  const headers: Array<[string, string]> = [];
  const single = (doc.headers as Record<string, unknown> | undefined) ?? {};
  const multi = (doc.multiValueHeaders as Record<string, unknown> | undefined) ?? {};
  for (const [name, value] of Object.entries(single)) if (!(name in multi)) headers.push([name, String(value)]);
  for (const [name, values] of Object.entries(multi)) for (const v of Array.isArray(values) ? values : [values]) headers.push([name, String(v)]);
  const rawBody = typeof doc.body === 'string' ? doc.body : doc.body === undefined || doc.body === null ? '' : JSON.stringify(doc.body);
  const body = doc.isBase64Encoded === true ? Buffer.from(rawBody, 'base64') : Buffer.from(rawBody);
  return { status, headers, body };
}
