import cbor from 'cbor';
import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from '../../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../../contracts/request-context.js';
import { headerValue } from '../../protocols/header-value.js';
import { JsonRpcBodyInvalid, jsonRpcInput, jsonRpcTarget } from '../../protocols/json-rpc.js';
import { QueryParams, queryError, queryResponse, treeList, type QueryDialect, type QueryTree } from '../../protocols/query.js';
import type { XmlObject, XmlValue } from '../../protocols/xml-writer.js';
import { escapeXml } from '../../protocols/xml-writer.js';
import { errors, shapeOfCode } from './errors.js';
import { SERVICE_TARGET, XML_NAMESPACE } from './limits.js';

/**
 * The three protocols CloudWatch clients speak, over one set of operations:
 * - Smithy RPC v2 CBOR (`POST /service/GraniteServiceVersion20100801/operation/<Op>`,
 *   `smithy-protocol: rpc-v2-cbor`): botocore ≥ 1.40, so boto3 and the AWS CLI here;
 * - awsJson 1.0 (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`): @aws-sdk/client-cloudwatch;
 * - the query protocol (`Action=<Op>&Version=2010-08-01`, XML answers): older clients.
 * Operations take and give plain objects; timestamps are `Date`s and string maps `WireMap`s, which
 * each protocol writes its own way. With the `awsQueryCompatible` trait, JSON and CBOR errors carry
 * the query code in `x-amzn-query-error`.
 */
export type WireProtocol = 'cbor' | 'json' | 'query';

/** A string-keyed map in an answer: an object in JSON and CBOR, `<entry><key/><value/>` in XML. */
export class WireMap {
  constructor(readonly entries: Record<string, unknown>) {}
}

const CBOR_PATH_PREFIX = `/service/${SERVICE_TARGET}/operation/`;
const ERROR_NAMESPACE = 'com.amazonaws.cloudwatch';

const QUERY_DIALECT: QueryDialect = {
  xmlns: XML_NAMESPACE,
  xml: { lists: 'flattened', escape: escapeXml },
  declaration: false,
  errorDetail: false,
  errorFields: false,
  errorCodeFromHeader: true,
};

export function protocolOf(headers: IncomingHttpHeaders, rawPath: string): WireProtocol {
  if ((headerValue(headers['smithy-protocol']) ?? '') === 'rpc-v2-cbor' || rawPath.startsWith(CBOR_PATH_PREFIX)) return 'cbor';
  if (typeof headers['x-amz-target'] === 'string') return 'json';
  return 'query';
}

export interface WireRequest {
  operation: string;
  input: Record<string, unknown>;
}

/** The operation a request names, without reading its input (CBOR: the path; JSON: the target; query: `Action`). */
export function operationOf(ctx: RequestContext, protocol: WireProtocol): string {
  if (protocol === 'cbor') return decodeURIComponent(ctx.rawPath.startsWith(CBOR_PATH_PREFIX) ? ctx.rawPath.slice(CBOR_PATH_PREFIX.length) : '');
  if (protocol === 'json') {
    const { prefix, operation } = jsonRpcTarget(ctx.headers);
    return prefix === SERVICE_TARGET ? operation : '';
  }
  return QueryParams.fromRequest(ctx, { formBodyOnly: true }).action;
}

export function readRequest(ctx: RequestContext, protocol: WireProtocol): WireRequest {
  if (protocol === 'cbor') {
    const operation = operationOf(ctx, protocol);
    if (ctx.body.length === 0) return { operation, input: {} };
    let value: unknown;
    try {
      value = cbor.decodeFirstSync(ctx.body);
    } catch (err) {
      throw errors.serialization(err instanceof Error ? err.message : String(err));
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw errors.serialization('body must be a CBOR map');
    return { operation, input: value as Record<string, unknown> };
  }
  if (protocol === 'json') {
    const { prefix, operation } = jsonRpcTarget(ctx.headers);
    try {
      return { operation: prefix === SERVICE_TARGET ? operation : '', input: jsonRpcInput(ctx.body) };
    } catch (err) {
      if (err instanceof JsonRpcBodyInvalid) throw errors.serialization(err.message);
      throw err;
    }
  }
  const params = QueryParams.fromRequest(ctx, { formBodyOnly: true });
  const tree = params.tree();
  delete tree.Action;
  delete tree.Version;
  return { operation: params.action, input: fromQueryTree(tree) as Record<string, unknown> };
}

/** A query tree with its `member` lists as arrays; scalars stay strings for the readers to convert. */
function fromQueryTree(node: string | QueryTree): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'member') return treeList(node.member).map(fromQueryTree);
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = fromQueryTree(node[key] as string | QueryTree);
  return out;
}

export function writeResponse(protocol: WireProtocol, operation: string, requestId: string, output: Record<string, unknown> | undefined): ServiceResponse {
  if (protocol === 'cbor') {
    return { status: 200, headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' }, body: cbor.encode(toCbor(output ?? {})) };
  }
  if (protocol === 'json') return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(toJson(output ?? {})) };
  return queryResponse(QUERY_DIALECT, operation, requestId, output === undefined ? undefined : (toXml(output) as XmlObject));
}

export function writeError(protocol: WireProtocol, error: AwsError, requestId?: string): ServiceResponse {
  if (protocol === 'query') return queryError(QUERY_DIALECT, error, requestId);
  const body = { __type: `${ERROR_NAMESPACE}#${shapeOfCode(error.code)}`, message: error.message };
  const headers = { ...error.headers };
  if (protocol === 'cbor') return { status: error.status, headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', ...headers }, body: cbor.encode(body) };
  return { status: error.status, headers: { 'content-type': 'application/x-amz-json-1.0', ...headers }, body: JSON.stringify(body) };
}

function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof WireMap) return toJson(value.entries);
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  return value;
}

function toCbor(value: unknown): unknown {
  if (value instanceof Date) return value;
  if (value instanceof WireMap) return toCbor(value.entries);
  if (Array.isArray(value)) return value.map(toCbor);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCbor(v);
    return out;
  }
  return value;
}

function toXml(value: unknown): XmlValue {
  if (value instanceof Date) return xmlTimestamp(value);
  if (value instanceof WireMap) return { entry: Object.entries(value.entries).map(([key, v]) => ({ key, value: toXml(v) })) };
  // An empty list is an empty element; `member` writes each item.
  if (Array.isArray(value)) return value.length === 0 ? '' : { member: value.map(toXml) };
  if (value !== null && typeof value === 'object') {
    const out: XmlObject = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toXml(v);
    return out;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  return undefined;
}

/** `2026-01-05T12:00:00Z`, with milliseconds only when there are some, as CloudWatch writes them. */
export function xmlTimestamp(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
