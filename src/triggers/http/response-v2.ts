import type { HttpReply } from './http-reply.js';

/**
 * A function's answer under payload format 2.0 (function URLs, HTTP APIs): an object with
 * `statusCode` is the full form; any other JSON value is a 200 `application/json` body (a JSON
 * string is sent as its text). Null when the answer is not JSON or the full form is malformed.
 */
export function replyFromV2(payload: Buffer): HttpReply | null {
  let value: unknown;
  try {
    value = payload.length === 0 ? null : JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('statusCode' in value)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(text) };
  }
  const doc = value as Record<string, unknown>;
  const status = typeof doc.statusCode === 'number' ? doc.statusCode : Number(doc.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return null;
  const headers: Array<[string, string]> = [];
  let hasContentType = false;
  if (doc.headers !== undefined && doc.headers !== null) {
    if (typeof doc.headers !== 'object' || Array.isArray(doc.headers)) return null;
    for (const [name, v] of Object.entries(doc.headers as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      if (name.toLowerCase() === 'content-type') hasContentType = true;
      headers.push([name, typeof v === 'string' ? v : JSON.stringify(v)]);
    }
  }
  if (Array.isArray(doc.cookies)) for (const c of doc.cookies) if (typeof c === 'string') headers.push(['set-cookie', c]);
  if (!hasContentType) headers.unshift(['content-type', 'application/json']);
  const rawBody = doc.body === undefined || doc.body === null ? '' : typeof doc.body === 'string' ? doc.body : JSON.stringify(doc.body);
  const body = doc.isBase64Encoded === true ? Buffer.from(rawBody, 'base64') : Buffer.from(rawBody);
  return { status, headers, body };
}
