/** A route of an HTTP API, compiled for matching. */
export interface CompiledRoute {
  routeKey: string;
  method: string;
  /** Path segments; `{name}` and a final `{name+}` are parameters. */
  segments: string[];
  greedy: boolean;
  target?: string;
}

export function compileRoute(routeKey: string, target?: string): CompiledRoute {
  if (routeKey === '$default') return { routeKey, method: '*', segments: [], greedy: true, target };
  const [method, path] = routeKey.split(' ') as [string, string];
  const segments = path.split('/').filter((s) => s !== '');
  const greedy = segments.length > 0 && /^\{[^}]+\+\}$/.test(segments[segments.length - 1]!);
  return { routeKey, method, segments, greedy, target };
}

export interface RouteMatch {
  route: CompiledRoute;
  pathParameters: Record<string, string>;
}

/**
 * API Gateway's choice: the most specific route wins — literal segments over parameters, an exact
 * method over ANY, anything over a greedy `{proxy+}`, and `$default` last.
 */
export function matchRoute(routes: CompiledRoute[], method: string, path: string): RouteMatch | null {
  const parts = path.split('/').filter((s) => s !== '');
  let best: { match: RouteMatch; score: number[] } | null = null;
  for (const route of routes) {
    if (route.routeKey === '$default') continue;
    if (route.method !== 'ANY' && route.method !== method) continue;
    const params = matchSegments(route, parts);
    if (!params) continue;
    const literal = route.segments.filter((s) => !s.startsWith('{')).length;
    const score = [route.greedy ? 0 : 1, literal, route.segments.length, route.method === 'ANY' ? 0 : 1];
    if (!best || compare(score, best.score) > 0) best = { match: { route, pathParameters: params }, score };
  }
  if (best) return best.match;
  const fallback = routes.find((r) => r.routeKey === '$default');
  return fallback ? { route: fallback, pathParameters: {} } : null;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function matchSegments(route: CompiledRoute, parts: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  const fixed = route.greedy ? route.segments.length - 1 : route.segments.length;
  if (route.greedy ? parts.length < route.segments.length : parts.length !== fixed) return null;
  for (let i = 0; i < fixed; i++) {
    const segment = route.segments[i]!;
    const part = parts[i]!;
    if (segment.startsWith('{') && segment.endsWith('}')) params[segment.slice(1, -1)] = decode(part);
    else if (segment !== part) return null;
  }
  if (route.greedy) {
    const name = route.segments[route.segments.length - 1]!.slice(1, -2);
    params[name] = decode(parts.slice(fixed).join('/'));
  }
  return params;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
