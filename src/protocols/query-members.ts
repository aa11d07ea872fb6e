import type { AwsError } from '../edge/aws-error.js';
import type { RequestContext, ServiceResponse } from '../edge/request-context.js';

/**
 * The AWS query protocol: form-encoded (or query-string) parameters in, XML out. Flattened
 * members (`Actions.member.1.Type`, `Attributes.member.2.Value`) become nested objects and arrays.
 */
export interface QueryRequest {
  action: string;
  version: string;
  params: QueryParams;
}

export type QueryValue = string | QueryParams | QueryValue[];
export interface QueryParams {
  [key: string]: QueryValue;
}

export function parseQueryRequest(ctx: Pick<RequestContext, 'body' | 'query' | 'headers'>): QueryRequest {
  const flat = new URLSearchParams(ctx.query);
  if (ctx.body.length > 0) for (const [k, v] of new URLSearchParams(ctx.body.toString('utf8'))) flat.append(k, v);
  const params: QueryParams = {};
  for (const [key, value] of flat) {
    if (key === 'Action' || key === 'Version' || key.startsWith('X-Amz-')) continue;
    setPath(params, key.split('.'), value);
  }
  return { action: flat.get('Action') ?? '', version: flat.get('Version') ?? '', params: normalize(params) as QueryParams };
}

/** Lists are kept as `{ '#list': { index: value } }` while parsing, then turned into arrays. */
function setPath(target: QueryParams, parts: string[], value: string): void {
  let node: QueryParams = target;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    if (part === 'member' && i + 1 < parts.length) {
      const list = (node['#list'] ??= {}) as QueryParams;
      const index = parts[i + 1]!;
      if (i + 1 === parts.length - 1) {
        list[index] = value;
        return;
      }
      node = (list[index] ??= {}) as QueryParams;
      i++;
      continue;
    }
    if (last) {
      node[part] = value;
      return;
    }
    const next = node[part];
    node = (typeof next === 'object' && !Array.isArray(next) ? next : (node[part] = {})) as QueryParams;
  }
}

function normalize(value: QueryValue): QueryValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const list = value['#list'];
  if (list && typeof list === 'object' && !Array.isArray(list)) {
    return Object.keys(list)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => normalize(list[k]!));
  }
  const out: QueryParams = {};
  for (const [k, v] of Object.entries(value)) out[k] = normalize(v);
  return out;
}

// ---- reading parameters ----

export function str(params: QueryParams, key: string): string | undefined {
  const v = params[key];
  return typeof v === 'string' ? v : undefined;
}

export function list(params: QueryParams, key: string): QueryValue[] {
  const v = params[key];
  if (Array.isArray(v)) return v;
  // An empty list is sent as `Key=` with no members.
  return [];
}

export function strList(params: QueryParams, key: string): string[] {
  return list(params, key).filter((v): v is string => typeof v === 'string');
}

export function objList(params: QueryParams, key: string): QueryParams[] {
  return list(params, key).filter((v): v is QueryParams => typeof v === 'object' && !Array.isArray(v));
}

export function obj(params: QueryParams, key: string): QueryParams | undefined {
  const v = params[key];
  return typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

// ---- writing XML ----

/** An XML element tree: objects are elements in key order, arrays are `<member>` lists. */
export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue };

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function toXml(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `<${name}>${value.map((v) => toXml('member', v)).join('')}</${name}>`;
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([k, v]) => toXml(k, v)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function queryResponse(action: string, xmlns: string, result: Record<string, XmlValue>, requestId: string): ServiceResponse {
  const body =
    `<${action}Response xmlns="${xmlns}">` +
    toXml(`${action}Result`, result) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml' }, body };
}

export function queryError(xmlns: string, error: AwsError, requestId: string): ServiceResponse {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.status, headers: { 'content-type': 'text/xml', ...error.headers }, body };
}
