import type { IncomingMessage } from 'node:http';
import { callerAddress } from '../../contracts/function-traffic.js';
import { readBody } from '../../protocols/read-body.js';

/** One HTTP request as the front doors see it, before it becomes an event. */
export interface IncomingHttpRequest {
  method: string;
  /** Path as sent (still percent-encoded), after any path-style prefix was removed. */
  rawPath: string;
  /** Query string as sent, without `?`. */
  rawQuery: string;
  /** Header names lower-cased, each with every value in arrival order. */
  headers: Map<string, string[]>;
  body: Buffer;
  sourceIp: string;
  /** `Host` without the port. */
  hostname: string;
  localPort: number;
  receivedAt: number;
}

export function splitUrl(url: string): { rawPath: string; rawQuery: string } {
  const q = url.indexOf('?');
  return q >= 0 ? { rawPath: url.slice(0, q), rawQuery: url.slice(q + 1) } : { rawPath: url, rawQuery: '' };
}

/** Every header value, duplicates kept, from Node's raw header list. */
export function headerLists(req: IncomingMessage): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const list = headers.get(name);
    if (list) list.push(raw[i + 1]!);
    else headers.set(name, [raw[i + 1]!]);
  }
  return headers;
}

export function hostnameOf(host: string | undefined): string {
  if (!host) return '';
  const m = /^(\[[^\]]+\]|[^:]+)/.exec(host);
  return (m?.[1] ?? host).toLowerCase();
}

/** Reads the request; null when the body passes `maxBodyBytes`. */
export async function readIncoming(req: IncomingMessage, rawPath: string, rawQuery: string, maxBodyBytes: number): Promise<IncomingHttpRequest | null> {
  const body = await readBody(req, maxBodyBytes);
  if (!body.ok) return null;
  return {
    method: req.method ?? 'GET',
    rawPath,
    rawQuery,
    headers: headerLists(req),
    body: body.body,
    sourceIp: stripMappedPrefix(callerAddress(req.socket)),
    hostname: hostnameOf(req.headers.host),
    localPort: req.socket.localPort ?? 0,
    receivedAt: Date.now(),
  };
}

function stripMappedPrefix(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

export function firstHeader(request: IncomingHttpRequest, name: string): string | undefined {
  return request.headers.get(name)?.[0];
}

/** `12/Mar/2020:19:03:58 +0000`, the request time format of API Gateway and function URLs. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Query pairs in order, names and values URL-decoded (`+` is a space), or raw when `decode` is false. */
export function queryPairs(rawQuery: string, decode: boolean): Array<[string, string]> {
  if (!rawQuery) return [];
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = eq >= 0 ? part.slice(0, eq) : part;
    const value = eq >= 0 ? part.slice(eq + 1) : '';
    pairs.push(decode ? [safeDecode(name), safeDecode(value)] : [name, value]);
  }
  return pairs;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
