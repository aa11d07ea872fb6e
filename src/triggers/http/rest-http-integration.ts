import type { IntegrationDoc } from '../../services/apigatewayv2/rest/model.js';
import type { HttpReply } from './http-reply.js';
import { firstHeader, queryPairs } from './incoming.js';
import type { RestCall } from './rest-call.js';
import { restReplies } from './rest-api-replies.js';
import { integrationUrl } from './rest-http-proxy.js';
import { mapRequest, mapResponse, selectResponse } from './rest-templates.js';

/** A requestParameters source (`method.request.{path,querystring,header}.X` or a `'literal'`) for this call. */
function parameterValue(call: RestCall, source: string): string | undefined {
  const literal = /^'(.*)'$/s.exec(source)?.[1];
  if (literal !== undefined) return literal;
  const m = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(source);
  if (!m) return undefined;
  const [, where, name] = m as unknown as [string, string, string];
  if (where === 'path') return call.pathParameters[name];
  if (where === 'header') return firstHeader(call.request, name.toLowerCase());
  for (const [k, v] of queryPairs(call.request.rawQuery, true)) if (k === name) return v;
  return undefined;
}

/**
 * HTTP (non-proxy): the request template (or the body, as passthroughBehavior allows) is sent to the
 * integration URI with the integration's method; only the query strings and headers that
 * requestParameters map (`integration.request.querystring.X` / `.header.X`) go with it. The
 * backend's status code picks the integration response (selectionPattern, else the default one),
 * whose template maps the answer. An unreachable or slow backend is API Gateway's 504.
 */
export async function httpIntegration(call: RestCall, integration: IntegrationDoc, authorizer: Record<string, unknown> | null): Promise<HttpReply> {
  const mapped = mapRequest(call, integration, authorizer);
  if ('reply' in mapped) return mapped.reply;
  const url = new URL(integrationUrl(call, integration));
  const headers = new Headers({ 'content-type': firstHeader(call.request, 'content-type') ?? 'application/json' });
  for (const [target, source] of Object.entries(integration.requestParameters ?? {})) {
    const m = /^integration\.request\.(querystring|header)\.(.+)$/.exec(target);
    const value = m ? parameterValue(call, source) : undefined;
    if (!m || value === undefined) continue;
    if (m[1] === 'querystring') url.searchParams.append(m[2]!, value);
    else headers.set(m[2]!, value);
  }
  const method = integration.httpMethod === 'ANY' || !integration.httpMethod ? call.request.method : integration.httpMethod;
  let status: number;
  let answer: string;
  let answerHeaders: Headers;
  try {
    const response = await fetch(url, {
      method, headers, redirect: 'manual', signal: AbortSignal.timeout(integration.timeoutInMillis),
      body: method === 'GET' || method === 'HEAD' || mapped.payload === '' ? undefined : mapped.payload,
    });
    status = response.status;
    answer = await response.text();
    answerHeaders = response.headers;
  } catch {
    return restReplies.gatewayTimeout();
  }
  const chosen = selectResponse(integration, String(status));
  // No integration response for this status and no default one: API Gateway's 500.
  return chosen ? mapResponse(call, chosen, answer, authorizer, answerHeaders) : restReplies.internal();
}
