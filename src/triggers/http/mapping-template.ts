import { Compile, parse } from 'velocityjs';

/** What a mapping template can read: API Gateway's `$input`, `$context`, `$stageVariables` and `$util`. */
export interface TemplateInput {
  /** `$context.*`, nested as API Gateway nests it (`$context.identity.sourceIp`, `$context.authorizer.x`). */
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
  /** Path, query string and header parameters of the request, for `$input.params()`. */
  params: { path: Record<string, string>; querystring: Record<string, string>; header: Record<string, string> };
  /** The raw payload `$input.body` gives and `$input.json`/`$input.path` parse (the request's, or the integration's answer). */
  body: string;
}

/**
 * Renders an API Gateway mapping template (Velocity, VTL) with velocityjs: `#set`, `#if/#elseif/#else`,
 * `#foreach`, and the variables API Gateway defines. Throws on a template velocityjs cannot parse.
 */
export function renderTemplate(template: string, input: TemplateInput): string {
  let parsed: unknown;
  let parsedOk = false;
  const root = (): unknown => {
    if (!parsedOk) {
      parsedOk = true;
      try {
        parsed = input.body.trim() === '' ? {} : JSON.parse(input.body);
      } catch {
        parsed = undefined;
      }
    }
    return parsed;
  };
  const $input = {
    body: input.body,
    json: (path: string) => JSON.stringify(jsonPath(root(), path) ?? null),
    path: (path: string) => jsonPath(root(), path),
    /** No name: the map of every parameter; a name: path, then query string, then header (header names case-insensitive). */
    params: (name?: string) => {
      if (name === undefined) return input.params;
      const { path, querystring, header } = input.params;
      if (path[name] !== undefined) return path[name];
      if (querystring[name] !== undefined) return querystring[name];
      const key = Object.keys(header).find((h) => h.toLowerCase() === name.toLowerCase());
      return key !== undefined ? header[key] : '';
    },
  };
  // Silent: a reference to nothing renders empty, as API Gateway renders `$input.params('absent')` or `$context.absent`.
  return new Compile(parse(template)).render({ input: $input, context: input.context, stageVariables: input.stageVariables, util: UTIL }, undefined, true);
}

/** `$util` as API Gateway documents it (toJson is AppSync's, kept because templates copied from there use it). */
const UTIL = {
  escapeJavaScript: (s: unknown) => JSON.stringify(String(s ?? '')).slice(1, -1).replace(/'/g, "\\'"),
  parseJson: (s: unknown) => JSON.parse(String(s)) as unknown,
  toJson: (v: unknown) => JSON.stringify(v ?? null),
  urlEncode: (s: unknown) => encodeURIComponent(String(s ?? '')),
  urlDecode: (s: unknown) => decodeURIComponent(String(s ?? '')),
  base64Encode: (s: unknown) => Buffer.from(String(s ?? '')).toString('base64'),
  base64Decode: (s: unknown) => Buffer.from(String(s ?? ''), 'base64').toString('utf8'),
};

const STEP = /^(?:\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]|\.\*|\[\*\])/;

/**
 * The JSONPath subset templates use: `$`, `.name`, `['name']`, `[0]`. Undefined when a step finds nothing;
 * a path it cannot read throws, and the caller answers as API Gateway does for a bad template.
 */
export function jsonPath(root: unknown, path: string): unknown {
  let rest = String(path).trim();
  if (!rest.startsWith('$')) throw new Error(`Invalid JSONPath expression: ${path}`);
  rest = rest.slice(1);
  let value: unknown = root;
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) throw new Error(`Invalid JSONPath expression: ${path}`);
    rest = rest.slice(m[0].length);
    if (value === null || value === undefined || typeof value !== 'object') return undefined;
    if (m[0] === '.*' || m[0] === '[*]') {
      value = Array.isArray(value) ? value : Object.values(value);
      continue;
    }
    const key = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
