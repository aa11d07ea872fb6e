import { hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from '../protocols/header-value.js';

/** What a header-signed request's string to sign is built from. */
export interface HeaderSignedRequest {
  method: string;
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The names the caller's `SignedHeaders` lists, as given. */
  signedHeaders: readonly string[];
  /** The caller's `X-Amz-Date`, as epoch ms. */
  signedAt: number;
  region: string;
  service: string;
  /** Every service but S3 escapes the (normalised) path once more; S3 signs it as sent. */
  uriEscapePath: boolean;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Headers the AWS SDK's signer removes before it signs (and then adds its own `x-amz-date`), so
 * they never enter the canonical request even when the caller lists them.
 */
const GENERATED_HEADERS = new Set(['authorization', 'x-amz-date', 'date']);

/**
 * The SigV4 string to sign of a header-signed request, built directly from the parsed request —
 * the same bytes the AWS SDK's signer (`@smithy/signature-v4`) produces for it, including its
 * quirks (the scope's date comes from `X-Amz-Date`; `x-amz-date` is always signed; `date` never
 * is), without the copies of the request, the provider calls and the promises that signer goes
 * through: on a warm invoke, verifying the signature was a tenth of the server's busy time.
 */
export function stringToSign(request: HeaderSignedRequest): { stringToSign: string; shortDate: string } {
  const longDate = longDateOf(request.signedAt);
  const shortDate = longDate.slice(0, 8);
  const canonical = canonicalRequest(request, longDate);
  const hashed = hash('sha256', canonical, 'hex');
  return { stringToSign: `AWS4-HMAC-SHA256\n${longDate}\n${shortDate}/${request.region}/${request.service}/aws4_request\n${hashed}`, shortDate };
}

/** The last date formatted: every request signed in the same second has the same one. */
let formatted = { at: Number.NaN, longDate: '' };

/** `yyyymmddThhmmssZ` of epoch ms, as the SDK's signer formats it (a RangeError for an impossible date). */
function longDateOf(signedAt: number): string {
  if (formatted.at !== signedAt) formatted = { at: signedAt, longDate: new Date(signedAt).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '') };
  return formatted.longDate;
}

export function canonicalRequest(request: HeaderSignedRequest, longDate: string): string {
  const headers = new Map<string, string>();
  for (const name of request.signedHeaders) {
    // Listed names the request lacks are left out; a `__proto__` never reached the SDK's header object.
    if (name === '__proto__' || GENERATED_HEADERS.has(name.toLowerCase())) continue;
    const value = headerValue(request.headers[name]);
    if (typeof value === 'string') headers.set(name.toLowerCase(), value);
  }
  const payloadHash = headers.get('x-amz-content-sha256') ?? (request.body.length > 0 ? hash('sha256', request.body, 'hex') : EMPTY_SHA256);
  headers.set('x-amz-date', longDate);
  const names = [...headers.keys()].sort();
  let lines = '';
  for (const name of names) lines += `${name}:${canonicalHeaderValue(headers.get(name)!)}\n`;
  return `${request.method}\n${canonicalPath(request.rawPath, request.uriEscapePath)}\n${canonicalQuery(request.query)}\n${lines}\n${names.join(';')}\n${payloadHash}`;
}

/** Line breaks become spaces, runs of spaces and tabs one space, one leading and one trailing space go. */
function canonicalHeaderValue(value: string): string {
  if (!/[\r\n\t]|  |^ | $/.test(value)) return value;
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}

function canonicalPath(rawPath: string, uriEscapePath: boolean): string {
  const path = rawPath === '' ? '/' : rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  if (!uriEscapePath) return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalised = `/${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return uriEscape(normalised).replace(/%2F/g, '/');
}

/** Parameters sorted by escaped name; a repeated name's `name=value` pairs sorted among themselves. */
function canonicalQuery(query: URLSearchParams): string {
  if (query.size === 0) return '';
  const values = new Map<string, string[]>();
  for (const [key, value] of query) {
    // The signature itself is never signed; a `__proto__` never reached the SDK's query object.
    if (key === '__proto__' || key.toLowerCase() === 'x-amz-signature') continue;
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  const pairs: Array<[string, string]> = [];
  for (const [key, list] of values) {
    const escapedKey = uriEscape(key);
    const encoded = list.map((value) => `${escapedKey}=${uriEscape(value)}`);
    if (encoded.length > 1) encoded.sort();
    pairs.push([escapedKey, encoded.join('&')]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return pairs.map((pair) => pair[1]).join('&');
}

/** RFC 3986 percent-encoding: everything but unreserved characters. */
function uriEscape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
