import { randomUUID } from 'node:crypto';
import type { AwsError } from '../contracts/aws-error.js';
import type { RequestContext, ServiceResponse } from '../contracts/request-context.js';
import { xmlChildren, xmlElement, type XmlObject, type XmlStyle, type XmlValue } from './xml-writer.js';

/**
 * The AWS query protocol: form-encoded `Action=…&Version=…` with members flattened into dotted
 * names, answered with XML `<XResponse xmlns=…><XResult>…</XResult><ResponseMetadata><RequestId>…`
 * and errors as `<ErrorResponse><Error><Type/><Code/><Message/>…`. Used by SQS (older clients),
 * SNS and ELBv2. Lists are sent as `Name.member.N` (SNS, ELBv2) or flattened as `Name.N` (SQS);
 * maps as `Name.entry.N.key/value` (SNS) or `Name.N.Name/Value` (SQS).
 */

export type QueryTree = { [key: string]: string | QueryTree };

/** The request's parameters, with readers for structures, lists and maps. */
export class QueryParams {
  constructor(private readonly values: Map<string, string>) {}

  /**
   * The URL's query string, then the body's form members over it (the body wins on a clash).
   * `formBodyOnly`: the body is read only when it is declared form-encoded or undeclared (SNS).
   */
  static fromRequest(ctx: Pick<RequestContext, 'query' | 'body' | 'headers'>, options: { formBodyOnly: boolean }): QueryParams {
    const values = new Map<string, string>();
    for (const [k, v] of ctx.query) values.set(k, v);
    const contentType = String(ctx.headers['content-type'] ?? '');
    const readBody = !options.formBodyOnly || contentType === '' || contentType.includes('x-www-form-urlencoded');
    if (ctx.body.length > 0 && readBody) for (const [k, v] of new URLSearchParams(ctx.body.toString('utf8'))) values.set(k, v);
    return new QueryParams(values);
  }

  get action(): string {
    return this.values.get('Action') ?? '';
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Every parameter, flattened names as sent (`Attributes.entry.1.key`). */
  entries(): Array<[string, string]> {
    return [...this.values.entries()];
  }

  /** Whether any parameter sits under `prefix.` (a structure or list was sent, possibly empty). */
  hasUnder(prefix: string): boolean {
    const p = `${prefix}.`;
    for (const k of this.values.keys()) if (k === prefix || k.startsWith(p)) return true;
    return false;
  }

  /** The parameters under `prefix.`, with the prefix removed. */
  sub(prefix: string): QueryParams {
    const p = `${prefix}.`;
    const out = new Map<string, string>();
    for (const [k, v] of this.values) if (k.startsWith(p)) out.set(k.slice(p.length), v);
    return new QueryParams(out);
  }

  /** The structure under `prefix.`, or undefined when none of its members was sent. */
  structure(prefix: string): QueryParams | undefined {
    const p = `${prefix}.`;
    for (const k of this.values.keys()) if (k.startsWith(p)) return this.sub(prefix);
    return undefined;
  }

  /**
   * The elements of a list (`prefix.member.N…`, or `prefix.N…` when flattened), in index order.
   * Each element is the parameters under it; `scalarList` reads scalar elements.
   */
  list(prefix: string, memberName = 'member'): QueryParams[] {
    const base = memberName ? `${prefix}.${memberName}` : prefix;
    return this.indexes(base).map((i) => this.sub(`${base}.${i}`));
  }

  /** The structure elements of a `member.N` list; scalar elements are left out. */
  structureList(prefix: string): QueryParams[] {
    const base = `${prefix}.member`;
    return this.indexes(base)
      .map((i) => this.structure(`${base}.${i}`))
      .filter((v): v is QueryParams => v !== undefined);
  }

  scalarList(prefix: string, memberName = 'member'): string[] {
    const base = memberName ? `${prefix}.${memberName}` : prefix;
    return this.indexes(base)
      .map((i) => this.get(`${base}.${i}`))
      .filter((v): v is string => v !== undefined);
  }

  /** A map sent as `prefix.entry.N.key` / `prefix.entry.N.value` (names configurable). */
  map(prefix: string, keyName = 'key', valueName = 'value'): Map<string, QueryParams> {
    const out = new Map<string, QueryParams>();
    const base = `${prefix}.entry`;
    for (const i of this.indexes(base)) {
      const entry = this.sub(`${base}.${i}`);
      const key = entry.get(keyName);
      if (key === undefined) continue;
      out.set(key, entry.sub(valueName));
    }
    return out;
  }

  /** A map of scalars; duplicated keys are reported through `onDuplicate`. */
  scalarMap(prefix: string, keyName = 'key', valueName = 'value', onDuplicate?: (key: string) => void): Map<string, string> {
    const out = new Map<string, string>();
    const base = `${prefix}.entry`;
    for (const i of this.indexes(base)) {
      const key = this.get(`${base}.${i}.${keyName}`);
      if (key === undefined) continue;
      if (out.has(key)) onDuplicate?.(key);
      out.set(key, this.get(`${base}.${i}.${valueName}`) ?? '');
    }
    return out;
  }

  /**
   * Every parameter as a tree of its dotted names: `A.1.B=x` → `{A: {1: {B: 'x'}}}`, `Action` and
   * `Version` included. A name that is both a value and a structure is the structure.
   */
  tree(): QueryTree {
    const root: QueryTree = {};
    for (const [key, value] of this.values) {
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

  private indexes(base: string): number[] {
    const p = `${base}.`;
    const seen = new Set<number>();
    for (const k of this.values.keys()) {
      if (!k.startsWith(p)) continue;
      const rest = k.slice(p.length);
      const dot = rest.indexOf('.');
      const n = Number(dot >= 0 ? rest.slice(0, dot) : rest);
      if (Number.isInteger(n) && n > 0) seen.add(n);
    }
    return [...seen].sort((a, b) => a - b);
  }
}

/** A flattened list node of a `QueryTree` (`{1: a, 2: b}`) as `[a, b]` in index order (lists start at 1). */
export function treeList<T = string | QueryTree>(node: string | QueryTree | undefined): T[] {
  if (node === undefined || typeof node === 'string') return [];
  return Object.keys(node)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => node[k] as T);
}

/** A flattened map node of a `QueryTree` (`{1: {Name, Value}, …}`) as a record. */
export function treeMap(node: string | QueryTree | undefined, keyName: string, valueName: string): Record<string, string | QueryTree> {
  const out: Record<string, string | QueryTree> = {};
  for (const entry of treeList<QueryTree>(node)) {
    if (typeof entry !== 'object') continue;
    const key = entry[keyName];
    const value = entry[valueName];
    if (typeof key === 'string' && value !== undefined) out[key] = value;
  }
  return out;
}

/** What a service's query answers look like; each service keeps the document it has always sent. */
export interface QueryDialect {
  xmlns: string;
  xml: XmlStyle;
  /** Answers start with `<?xml version="1.0"?>` (SQS). */
  declaration: boolean;
  /** Errors end their `<Error>` with an empty `<Detail/>` (SQS). */
  errorDetail: boolean;
  /** The error's own fields follow `<Message>` in `<Error>` (SNS). */
  errorFields: boolean;
  /** The error's `x-amzn-query-error` header, when set, gives `<Code>` and `<Type>` and is not sent (SQS). */
  errorCodeFromHeader: boolean;
}

/** `<{action}Response xmlns=…><{action}Result>…</…Result><ResponseMetadata><RequestId>…`; no Result element when there is no result. */
export function queryResponse(dialect: QueryDialect, action: string, requestId: string, result?: XmlObject): ServiceResponse {
  const resultXml = result === undefined ? '' : xmlElement(`${action}Result`, result, dialect.xml);
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body:
      `${declaration(dialect)}<${action}Response xmlns="${dialect.xmlns}">${resultXml}` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

/**
 * `<ErrorResponse xmlns=…><Error><Type/><Code/><Message/></Error><RequestId/>`. With
 * `errorCodeFromHeader` the code and fault come from the error's `x-amzn-query-error` header when
 * the service set one (`AWS.SimpleQueueService.NonExistentQueue;Sender`); otherwise the error's own
 * code, and `Receiver` for 5xx, `Sender` for the rest.
 */
export function queryError(dialect: QueryDialect, error: AwsError, requestId: string = randomUUID()): ServiceResponse {
  const headers = { ...error.headers };
  let queryErrorHeader = '';
  if (dialect.errorCodeFromHeader) {
    queryErrorHeader = headers['x-amzn-query-error'] ?? '';
    delete headers['x-amzn-query-error'];
  }
  const [queryCode, fault] = queryErrorHeader.split(';');
  const details: XmlObject = {
    Type: fault || (error.status >= 500 ? 'Receiver' : 'Sender'),
    Code: queryCode || error.code,
    Message: error.message,
  };
  if (dialect.errorFields) for (const [k, v] of Object.entries(error.fields)) details[k] = v as XmlObject[string];
  const detail = dialect.errorDetail ? '<Detail/>' : '';
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', ...headers },
    body:
      `${declaration(dialect)}<ErrorResponse xmlns="${dialect.xmlns}"><Error>${xmlChildren(details, dialect.xml)}${detail}</Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

function declaration(dialect: QueryDialect): string {
  return dialect.declaration ? '<?xml version="1.0"?>' : '';
}

/** A `member.N` list for a flattened-style writer: `<Name><member>…</member>…</Name>`, `<Name></Name>` when empty. */
export function xmlList(items: XmlValue[]): XmlValue {
  return items.length === 0 ? '' : { member: items };
}

/** An `entry.N` string map for a flattened-style writer: `<entry><key>…</key><value>…</value></entry>…`. */
export function xmlMap(entries: Record<string, string>): XmlValue {
  const list = Object.entries(entries).map(([key, value]) => ({ key, value }));
  return list.length === 0 ? '' : { entry: list };
}
