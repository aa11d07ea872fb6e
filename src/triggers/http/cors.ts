import type { UrlCors } from '../../services/lambda/model.js';
import { wildcardMatch } from '../../auth/policy/wildcard.js';
import type { HttpReply } from './http-reply.js';

/** CORS rules with AWS's member names (function URLs store them so; HTTP APIs are mapped to them). */
export type CorsConfig = UrlCors;

/** The allowed origin to echo (`*` when any is allowed), or null when the origin is not allowed. */
function allowedOrigin(cors: CorsConfig, origin: string): string | null {
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes('*')) return cors.AllowCredentials ? origin : '*';
  return origins.some((o) => wildcardMatch(o.toLowerCase(), origin.toLowerCase())) ? origin : null;
}

export function isPreflight(method: string, origin: string | undefined, requestMethod: string | undefined): boolean {
  return method === 'OPTIONS' && origin !== undefined && requestMethod !== undefined;
}

/** The preflight answer the platform gives itself, without invoking the function. */
export function preflightReply(cors: CorsConfig, origin: string, requestMethod: string, requestHeaders: string | undefined): HttpReply {
  const headers: Array<[string, string]> = [];
  const allowed = allowedOrigin(cors, origin);
  const methods = (cors.AllowMethods ?? []).map((m) => m.toUpperCase());
  const methodAllowed = methods.includes('*') || methods.includes(requestMethod.toUpperCase());
  if (allowed && methodAllowed) {
    headers.push(['access-control-allow-origin', allowed]);
    headers.push(['access-control-allow-methods', methods.includes('*') ? requestMethod.toUpperCase() : methods.join(',')]);
    const allowHeaders = cors.AllowHeaders ?? [];
    if (allowHeaders.includes('*')) {
      if (requestHeaders) headers.push(['access-control-allow-headers', requestHeaders]);
    } else if (allowHeaders.length > 0) {
      headers.push(['access-control-allow-headers', allowHeaders.join(',')]);
    }
    if (cors.AllowCredentials) headers.push(['access-control-allow-credentials', 'true']);
    if (cors.MaxAge !== undefined) headers.push(['access-control-max-age', String(cors.MaxAge)]);
    if (cors.ExposeHeaders?.length) headers.push(['access-control-expose-headers', cors.ExposeHeaders.join(',')]);
  }
  headers.push(['vary', 'Origin']);
  return { status: 200, headers, body: Buffer.alloc(0) };
}

/** CORS headers on an actual response: the platform's replace any the function set. */
export function applyCors(reply: HttpReply, cors: CorsConfig, origin: string | undefined): HttpReply {
  const headers = reply.headers.filter(([name]) => !name.toLowerCase().startsWith('access-control-'));
  if (origin !== undefined) {
    const allowed = allowedOrigin(cors, origin);
    if (allowed) {
      headers.push(['access-control-allow-origin', allowed]);
      if (cors.AllowCredentials) headers.push(['access-control-allow-credentials', 'true']);
      if (cors.ExposeHeaders?.length) headers.push(['access-control-expose-headers', cors.ExposeHeaders.join(',')]);
    }
  }
  headers.push(['vary', 'Origin']);
  return { ...reply, headers };
}
