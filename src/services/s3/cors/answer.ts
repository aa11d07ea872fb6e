import type { ServiceResponse } from '../../../contracts/request-context.js';
import { headerValue } from '../../../protocols/header-value.js';
import { errors } from '../errors.js';
import type { S3Request } from '../request.js';
import type { BucketRow } from '../tables/objects-table.js';
import { matchingRule, type CorsRule } from './rules.js';

export function corsRulesOf(bucket: BucketRow): CorsRule[] {
  return bucket.cors ? (JSON.parse(bucket.cors) as CorsRule[]) : [];
}

/** The Access-Control-* headers a matching rule gives a request from `origin`. */
function allowHeaders(rule: CorsRule, origin: string): Record<string, string> {
  // A rule for any origin answers `*` and allows no credentials; a named origin is echoed.
  const anyOrigin = rule.allowedOrigins.includes('*');
  const headers: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (!anyOrigin) headers['access-control-allow-credentials'] = 'true';
  if (rule.exposeHeaders.length > 0) headers['access-control-expose-headers'] = rule.exposeHeaders.join(', ');
  if (rule.maxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.maxAgeSeconds);
  return headers;
}

/**
 * A browser's preflight (OPTIONS with Origin and Access-Control-Request-Method), answered from the
 * bucket's rules. Unsigned, as browsers send it; S3 answers 403 when no rule allows the request.
 */
export function answerPreflight(req: S3Request, bucket: BucketRow): ServiceResponse {
  const origin = headerValue(req.ctx.headers.origin);
  const method = headerValue(req.ctx.headers['access-control-request-method']);
  const resourceType = req.key === null ? 'BUCKET' : 'OBJECT';
  if (origin === undefined) throw errors.corsOriginMissing();
  if (method === undefined || !['GET', 'PUT', 'HEAD', 'POST', 'DELETE'].includes(method)) throw errors.corsRequestMethodInvalid(method ?? 'null');
  const rules = corsRulesOf(bucket);
  if (rules.length === 0) throw errors.corsNotEnabled('OPTIONS', resourceType);
  const requested = (headerValue(req.ctx.headers['access-control-request-headers']) ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  const rule = matchingRule(rules, origin, method, requested);
  if (!rule) throw errors.corsNotAllowed('OPTIONS', resourceType);
  const headers = allowHeaders(rule, origin);
  if (requested.length > 0) headers['access-control-allow-headers'] = requested.join(', ');
  return { status: 200, headers };
}

/** Headers for an actual request that carries an Origin: those of the first rule that allows it, else none. */
export function corsHeadersFor(req: S3Request, bucket: BucketRow): Record<string, string> {
  const origin = headerValue(req.ctx.headers.origin);
  if (origin === undefined || bucket.cors === null) return {};
  const rule = matchingRule(corsRulesOf(bucket), origin, req.ctx.method);
  return rule ? allowHeaders(rule, origin) : {};
}
