import type { AwsError } from '../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../contracts/request-context.js';

/** A rest-json request after routing: decoded path parameters plus the edge's context. */
export interface RestJsonRequest extends RequestContext {
  params: Record<string, string>;
  operation: string;
}

export type RestJsonHandler = (req: RestJsonRequest) => Promise<ServiceResponse>;

export interface RestJsonRoute {
  operation: string;
  method: string;
  /** e.g. `/2015-03-31/functions/{FunctionName}/aliases/{Name}`; `{Name+}` matches the rest. */
  path: string;
  handler: RestJsonHandler;
}

interface CompiledRoute extends RestJsonRoute {
  pattern: RegExp;
  names: string[];
  /** The path's text before its first parameter: a path that does not start so cannot match. */
  prefix: string;
}

/**
 * Routes a rest-json request by method and path, in the order routes were added. Each request
 * tries only its method's routes, and a route's pattern only when the path starts with the
 * route's literal prefix: Lambda has about 60 routes, and trying every pattern in turn cost each
 * warm invoke a few percent of the server's CPU.
 */
export class RestJsonRouter {
  private readonly routes: CompiledRoute[] = [];
  private readonly byMethod = new Map<string, CompiledRoute[]>();

  add(routes: RestJsonRoute[]): this {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.path.replace(/\{(\w+)(\+?)\}/g, (_, name: string, greedy: string) => {
        names.push(name);
        return greedy ? '(.+)' : '([^/]+)';
      });
      const literal = route.path.split('{')[0] ?? '';
      // A prefix with regex metacharacters would compare differently from the pattern: none then.
      const compiled = { ...route, pattern: new RegExp(`^${source}/?$`), names, prefix: /[.*+?^$()|[\]\\]/.test(literal) ? '' : literal };
      this.routes.push(compiled);
      const same = this.byMethod.get(route.method) ?? [];
      same.push(compiled);
      this.byMethod.set(route.method, same);
    }
    return this;
  }

  match(method: string, rawPath: string): { route: RestJsonRoute; params: Record<string, string> } | 'method-not-allowed' | null {
    for (const route of this.byMethod.get(method) ?? []) {
      if (!rawPath.startsWith(route.prefix)) continue;
      const m = route.pattern.exec(rawPath);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? '');
      });
      return { route, params };
    }
    // No route of this method: another method's route for the path makes it 405, not 404.
    return this.routes.some((route) => route.method !== method && rawPath.startsWith(route.prefix) && route.pattern.test(rawPath)) ? 'method-not-allowed' : null;
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): ServiceResponse {
  return { status, headers, body: '' };
}

/** rest-json error wire form: `x-amzn-ErrorType` header plus `{Type, message|Message, ...}`. */
export function restJsonError(error: AwsError): ServiceResponse {
  const body: Record<string, unknown> = {};
  if (error.type) body.Type = error.type;
  body[error.messageKey] = error.message;
  Object.assign(body, error.fields);
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': error.code, ...error.headers },
    body: JSON.stringify(body),
  };
}
