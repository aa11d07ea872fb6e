import type { IntegrationDoc } from '../../services/apigatewayv2/rest/model.js';
import type { HttpReply } from './http-reply.js';
import type { RestCall } from './rest-call.js';
import { restReplies } from './rest-api-replies.js';

/** Hop-by-hop headers, and those fetch sets itself, are not forwarded either way. */
const NOT_FORWARDED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect', 'x-api-key']);

/**
 * The integration URI (HTTP and HTTP_PROXY) with its `{name}` parts filled from the path parameters
 * (through requestParameters `integration.request.path.X: method.request.path.Y`, else the same name).
 */
export function integrationUrl(call: RestCall, integration: IntegrationDoc): string {
  const sources: Record<string, string> = { ...call.pathParameters };
  for (const [target, source] of Object.entries(integration.requestParameters ?? {})) {
    const to = /^integration\.request\.path\.(.+)$/.exec(target)?.[1];
    const from = /^method\.request\.path\.(.+)$/.exec(source)?.[1];
    if (to && from && call.pathParameters[from] !== undefined) sources[to] = call.pathParameters[from]!;
  }
  // A greedy value (`a/b` from {proxy+}) keeps its slashes; each segment is encoded again.
  return (integration.uri ?? '').replace(/\{([^}]+)\}/g, (_w, name: string) =>
    (sources[name] ?? sources[name.replace(/\+$/, '')] ?? '').split('/').map(encodeURIComponent).join('/'));
}

/**
 * HTTP_PROXY: the request goes on to the integration URI, its `{name}` parts filled from the path
 * parameters (through requestParameters `integration.request.path.X: method.request.path.Y`, else the
 * same name), with the query string, headers and body; the answer comes back as it is. A backend that
 * cannot be reached, or takes longer than timeoutInMillis, is API Gateway's 504.
 */
export async function httpProxy(call: RestCall, integration: IntegrationDoc): Promise<HttpReply> {
  const { request } = call;
  const base = integrationUrl(call, integration);
  const url = request.rawQuery ? `${base}${base.includes('?') ? '&' : '?'}${request.rawQuery}` : base;
  const headers = new Headers();
  for (const [name, values] of request.headers) if (!NOT_FORWARDED.has(name)) for (const v of values) headers.append(name, v);
  const method = integration.httpMethod === 'ANY' || !integration.httpMethod ? request.method : integration.httpMethod;
  try {
    const response = await fetch(url, {
      method, headers, redirect: 'manual', signal: AbortSignal.timeout(integration.timeoutInMillis),
      body: method === 'GET' || method === 'HEAD' || request.body.length === 0 ? undefined : new Uint8Array(request.body),
    });
    const out: Array<[string, string]> = [];
    response.headers.forEach((value, name) => {
      if (!NOT_FORWARDED.has(name) && name !== 'content-encoding' && name !== 'set-cookie') out.push([name, value]);
    });
    for (const cookie of response.headers.getSetCookie()) out.push(['set-cookie', cookie]);
    return { status: response.status, headers: out, body: Buffer.from(await response.arrayBuffer()) };
  } catch {
    return restReplies.gatewayTimeout();
  }
}
