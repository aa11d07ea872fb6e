import { isTextContentType } from './content-types.js';
import { clfTime, firstHeader, queryPairs, type IncomingHttpRequest } from './incoming.js';

export interface PayloadV2Context {
  accountId: string;
  apiId: string;
  domainName: string;
  domainPrefix: string;
  requestId: string;
  routeKey: string;
  stage: string;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  authorizer?: Record<string, unknown>;
}

/**
 * The payload format 2.0 event of HTTP APIs and function URLs (spec §4.3): duplicate headers and
 * query parameters joined with commas, `Cookie` headers moved to `cookies`, binary bodies base64.
 */
export function payloadV2Event(request: IncomingHttpRequest, context: PayloadV2Context): Record<string, unknown> {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of request.headers) {
    if (name === 'cookie') {
      cookies ??= [];
      for (const value of values) for (const c of value.split(';')) if (c.trim()) cookies.push(c.trim());
      continue;
    }
    headers[name] = values.join(',');
  }
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: context.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQuery,
  };
  if (cookies) event.cookies = cookies;
  event.headers = headers;
  const pairs = queryPairs(request.rawQuery, true);
  if (pairs.length > 0) {
    const params: Record<string, string> = {};
    for (const [k, v] of pairs) params[k] = params[k] === undefined ? v : `${params[k]},${v}`;
    event.queryStringParameters = params;
  }
  const requestContext: Record<string, unknown> = {
    accountId: context.accountId,
    apiId: context.apiId,
  };
  if (context.authorizer) requestContext.authorizer = context.authorizer;
  Object.assign(requestContext, {
    domainName: context.domainName,
    domainPrefix: context.domainPrefix,
    http: {
      method: request.method,
      path: decodePath(request.rawPath),
      protocol: 'HTTP/1.1',
      sourceIp: request.sourceIp,
      userAgent: firstHeader(request, 'user-agent') ?? '',
    },
    requestId: context.requestId,
    routeKey: context.routeKey,
    stage: context.stage,
    time: clfTime(request.receivedAt),
    timeEpoch: request.receivedAt,
  });
  event.requestContext = requestContext;
  if (context.pathParameters) event.pathParameters = context.pathParameters;
  if (context.stageVariables) event.stageVariables = context.stageVariables;
  if (request.body.length > 0) {
    const text = isTextContentType(firstHeader(request, 'content-type'));
    event.body = text ? request.body.toString('utf8') : request.body.toString('base64');
    event.isBase64Encoded = !text;
  } else {
    event.isBase64Encoded = false;
  }
  return event;
}

function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}
