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
}

export class RestJsonRouter {
  private readonly routes: CompiledRoute[] = [];

  add(routes: RestJsonRoute[]): this {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.path.replace(/\{(\w+)(\+?)\}/g, (_, name: string, greedy: string) => {
        names.push(name);
        return greedy ? '(.+)' : '([^/]+)';
      });
      this.routes.push({ ...route, pattern: new RegExp(`^${source}/?$`), names });
    }
    return this;
  }

  match(method: string, rawPath: string): { route: RestJsonRoute; params: Record<string, string> } | 'method-not-allowed' | null {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(rawPath);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? '');
      });
      return { route, params };
    }
    return pathMatched ? 'method-not-allowed' : null;
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
