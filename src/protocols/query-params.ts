import { XMLBuilder } from 'fast-xml-parser';
import type { AwsError } from '../edge/aws-error.js';
import type { RequestContext, ServiceResponse } from '../edge/request-context.js';

/**
 * The AWS query protocol: a form-encoded request (`Action=…&Version=…`, members flattened as
 * `Tags.member.1.Key`, maps as `Attributes.entry.1.key`) answered with XML
 * (`<ActionResponse xmlns=…><ActionResult>…</ActionResult><ResponseMetadata>…`).
 * Used by SNS, SQS (older clients), STS, IAM, ELBv2, CloudWatch.
 */

/** Flattened request parameters, with the helpers to read structures, lists and maps out of them. */
export class QueryParams {
  constructor(private readonly values: Map<string, string>) {}

  /** Form body (POST) plus the URL's query string; the body wins on a clash. */
  static fromRequest(ctx: Pick<RequestContext, 'query' | 'body' | 'headers'>): QueryParams {
    const values = new Map<string, string>();
    for (const [k, v] of ctx.query) values.set(k, v);
    const contentType = String(ctx.headers['content-type'] ?? '');
    if (ctx.body.length > 0 && (contentType === '' || contentType.includes('x-www-form-urlencoded'))) {
      for (const [k, v] of new URLSearchParams(ctx.body.toString('utf8'))) values.set(k, v);
    }
    return new QueryParams(values);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
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

  /**
   * The elements of a list (`prefix.member.N…`, or `prefix.N…` when flattened), in index order.
   * Each element is the parameters under it; `scalarList` reads scalar elements.
   */
  list(prefix: string, memberName = 'member'): QueryParams[] {
    const base = memberName ? `${prefix}.${memberName}` : prefix;
    return this.indexes(base).map((i) => this.sub(`${base}.${i}`));
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

/** A value in an XML result: scalars, nested structures, lists (`{member: [...]}`) and maps. */
export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | { [key: string]: XmlValue };

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });

/** A list as the query protocol writes it: `<Name><member>…</member>…</Name>`. */
export function xmlList(items: XmlValue[]): XmlValue {
  return items.length === 0 ? '' : { member: items };
}

/** A string map as SNS/SQS write it: `<entry><key>…</key><value>…</value></entry>`. */
export function xmlMap(entries: Record<string, string>): XmlValue {
  const list = Object.entries(entries).map(([key, value]) => ({ key, value }));
  return list.length === 0 ? '' : { entry: list };
}

/** `<{action}Response xmlns=…><{action}Result>…</…Result><ResponseMetadata><RequestId>…` */
export function queryResponse(xmlns: string, action: string, requestId: string, result?: Record<string, XmlValue>): ServiceResponse {
  const body: Record<string, XmlValue> = { '@_xmlns': xmlns };
  if (result !== undefined) body[`${action}Result`] = dropUndefined(result);
  body.ResponseMetadata = { RequestId: requestId };
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: builder.build({ [`${action}Response`]: body }) as string,
  };
}

/** `<ErrorResponse xmlns=…><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…` */
export function queryError(xmlns: string, error: AwsError, requestId: string): ServiceResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', ...error.headers },
    body: builder.build({
      ErrorResponse: {
        '@_xmlns': xmlns,
        Error: { Type: error.status >= 500 ? 'Receiver' : 'Sender', Code: error.code, Message: error.message, ...error.fields },
        RequestId: requestId,
      },
    }) as string,
  };
}

/** Absent members are left out of the XML, at any depth. */
function dropUndefined(value: Record<string, XmlValue>): Record<string, XmlValue> {
  const out: Record<string, XmlValue> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    out[k] = clean(v);
  }
  return out;
}

function clean(v: XmlValue): XmlValue {
  if (Array.isArray(v)) return v.map(clean);
  if (v !== null && typeof v === 'object') return dropUndefined(v);
  return v;
}
