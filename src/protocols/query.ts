import type { IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AwsError } from '../edge/aws-error.js';
import type { RequestContext, ServiceResponse } from '../edge/request-context.js';
import { escapeXml, xmlChildren, type XmlObject } from './xml-writer.js';

/**
 * The AWS query protocol: form-encoded `Action=…&Version=…` plus flattened members
 * (`Attribute.1.Name=…`, `Entry.2.Id=…`), answered with XML
 * `<XResponse><XResult>…</XResult><ResponseMetadata><RequestId>…` and errors as
 * `<ErrorResponse><Error><Type/><Code/><Message/>`. Used by SQS (older clients), SNS, ELB, IAM, STS.
 */
export interface QueryRequest {
  action: string;
  version: string | null;
  params: URLSearchParams;
}

export function isQueryRequest(method: string, headers: IncomingHttpHeaders, query: URLSearchParams): boolean {
  const type = String(headers['content-type'] ?? '');
  return (method === 'POST' && type.startsWith('application/x-www-form-urlencoded')) || query.has('Action');
}

/** Members from the form body (POST) merged over the query string (GET, presigned). */
export function parseQueryRequest(ctx: Pick<RequestContext, 'query' | 'body'>): QueryRequest {
  const params = new URLSearchParams(ctx.query);
  if (ctx.body.length > 0) for (const [k, v] of new URLSearchParams(ctx.body.toString('utf8'))) params.set(k, v);
  return { action: params.get('Action') ?? '', version: params.get('Version'), params };
}

export type QueryTree = { [key: string]: string | QueryTree };

/** Dotted member names as a tree: `A.1.B=x` → `{A: {1: {B: 'x'}}}`. `Action`/`Version` included. */
export function queryTree(params: URLSearchParams): QueryTree {
  const root: QueryTree = {};
  for (const [key, value] of params) {
    const parts = key.split('.');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i] as string;
      const next = node[part];
      if (typeof next === 'object') node = next;
      else node = node[part] = {};
    }
    const last = parts[parts.length - 1] as string;
    if (typeof node[last] !== 'object') node[last] = value;
  }
  return root;
}

/** A flattened list node `{1: a, 2: b}` as `[a, b]` in index order (AWS lists start at 1). */
export function queryList<T = string | QueryTree>(node: string | QueryTree | undefined): T[] {
  if (node === undefined || typeof node === 'string') return [];
  return Object.keys(node)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => node[k] as T);
}

/** A flattened map `{1: {Name, Value}, …}` as a record. */
export function queryMap(node: string | QueryTree | undefined, keyName: string, valueName: string): Record<string, string | QueryTree> {
  const out: Record<string, string | QueryTree> = {};
  for (const entry of queryList<QueryTree>(node)) {
    if (typeof entry !== 'object') continue;
    const key = entry[keyName];
    const value = entry[valueName];
    if (typeof key === 'string' && value !== undefined) out[key] = value;
  }
  return out;
}

export function queryResponse(action: string, result: XmlObject | undefined, requestId: string, xmlns: string): ServiceResponse {
  const resultXml = result === undefined ? '' : `<${action}Result>${xmlChildren(result)}</${action}Result>`;
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<?xml version="1.0"?><${action}Response xmlns="${xmlns}">${resultXml}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/**
 * The query error document. The code and fault come from the error's `x-amzn-query-error` header
 * when the service set one (`AWS.SimpleQueueService.NonExistentQueue;Sender`), else its own code.
 */
export function queryError(error: AwsError, xmlns: string, requestId: string = randomUUID()): ServiceResponse {
  const [queryCode, fault] = (error.headers['x-amzn-query-error'] ?? '').split(';');
  const code = queryCode || error.code;
  const type = fault || (error.status >= 500 ? 'Receiver' : 'Sender');
  const headers = { ...error.headers };
  delete headers['x-amzn-query-error'];
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', ...headers },
    body:
      `<?xml version="1.0"?><ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
      `<Message>${escapeXml(error.message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}
