import { STATUS_CODES } from 'node:http';
import { isTextContentType } from './content-types.js';
import type { HttpReply } from './http-reply.js';
import { firstHeader, queryPairs, type IncomingHttpRequest } from './incoming.js';
import { ALB_MAX_RESPONSE_BYTES } from './limits.js';

/**
 * The ALB event (spec §4.1): header names lower-cased, query values not URL-decoded, either the
 * single-value maps (last value wins) or, with `lambda.multi_value_headers.enabled`, the
 * multi-value ones instead.
 */
export function albEvent(request: IncomingHttpRequest, targetGroupArn: string, multiValue: boolean): Record<string, unknown> {
  const event: Record<string, unknown> = {
    requestContext: { elb: { targetGroupArn } },
    httpMethod: request.method,
    path: request.rawPath,
  };
  const pairs = queryPairs(request.rawQuery, false);
  if (multiValue) {
    const params: Record<string, string[]> = {};
    for (const [k, v] of pairs) (params[k] ??= []).push(v);
    event.multiValueQueryStringParameters = params;
    event.multiValueHeaders = Object.fromEntries(request.headers);
  } else {
    const params: Record<string, string> = {};
    for (const [k, v] of pairs) params[k] = v;
    event.queryStringParameters = params;
    const headers: Record<string, string> = {};
    for (const [name, values] of request.headers) headers[name] = values[values.length - 1]!;
    event.headers = headers;
  }
  const text = request.body.length === 0 || isTextContentType(firstHeader(request, 'content-type'));
  event.body = text ? request.body.toString('utf8') : request.body.toString('base64');
  event.isBase64Encoded = !text;
  return event;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'content-length']);

/** The function's answer as the client sees it; null = 502 (not JSON, no valid status, too large). */
export function replyFromAlb(payload: Buffer, multiValue: boolean): HttpReply | null {
  if (payload.length > ALB_MAX_RESPONSE_BYTES) return null;
  let doc: Record<string, unknown>;
  try {
    const value = JSON.parse(payload.toString('utf8')) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    doc = value as Record<string, unknown>;
  } catch {
    return null;
  }
  const status = typeof doc.statusCode === 'number' ? doc.statusCode : typeof doc.statusCode === 'string' ? Number(doc.statusCode) : NaN;
  if (!Number.isInteger(status) || status < 100 || status > 599) return null;
  const headers: Array<[string, string]> = [];
  if (multiValue) {
    for (const [name, values] of Object.entries((doc.multiValueHeaders as Record<string, unknown> | undefined) ?? {})) {
      if (HOP_BY_HOP.has(name.toLowerCase())) continue;
      for (const v of Array.isArray(values) ? values : [values]) headers.push([name, String(v)]);
    }
  } else {
    for (const [name, value] of Object.entries((doc.headers as Record<string, unknown> | undefined) ?? {})) {
      if (!HOP_BY_HOP.has(name.toLowerCase())) headers.push([name, String(value)]);
    }
  }
  const rawBody = typeof doc.body === 'string' ? doc.body : doc.body === undefined || doc.body === null ? '' : JSON.stringify(doc.body);
  const body = doc.isBase64Encoded === true ? Buffer.from(rawBody, 'base64') : Buffer.from(rawBody);
  const description = typeof doc.statusDescription === 'string' ? doc.statusDescription : '';
  // `statusDescription` is "code reason": the reason becomes the status line's phrase.
  const phrase = description.replace(/^\d{3}\s*/, '') || STATUS_CODES[status];
  return { status, statusMessage: phrase, headers, body };
}

/** ALB's own error pages. */
export function albErrorPage(status: 502 | 503 | 404 | 413, title = `${status} ${STATUS_CODES[status]}`): HttpReply {
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
  return { status, headers: [['server', 'awselb/2.0'], ['content-type', 'text/html']], body: Buffer.from(body) };
}
