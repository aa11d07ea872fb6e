import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from '../protocols/header-value.js';

/** The parts of a SigV4 signature, from an Authorization header or a presigned query. */
export interface SignatureParts {
  form: 'header' | 'query';
  accessKeyId: string;
  date: string; // yyyymmdd from the scope
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string; // yyyymmddThhmmssZ
  expiresSeconds?: number;
}

export type ParseResult = { ok: true; parts: SignatureParts } | { ok: false; reason: 'missing' | 'malformed'; detail?: string };

export function parseSignature(headers: IncomingHttpHeaders, query: URLSearchParams): ParseResult {
  const auth = headers.authorization;
  if (typeof auth === 'string' && auth.length > 0) return parseHeaderForm(auth, headers);
  if (query.has('X-Amz-Signature') || query.has('X-Amz-Credential')) return parseQueryForm(query);
  return { ok: false, reason: 'missing' };
}

function parseHeaderForm(auth: string, headers: IncomingHttpHeaders): ParseResult {
  if (!auth.startsWith('AWS4-HMAC-SHA256 ')) {
    return { ok: false, reason: 'malformed', detail: `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${auth}` };
  }
  const fields = new Map<string, string>();
  for (const piece of auth.slice('AWS4-HMAC-SHA256 '.length).split(',')) {
    const eq = piece.indexOf('=');
    if (eq > 0) fields.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  const amzDate = headerValue(headers['x-amz-date']) ?? '';
  const scope = credential ? parseScope(credential) : null;
  if (!scope || !signedHeaders || !signature) {
    return { ok: false, reason: 'malformed', detail: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${auth}` };
  }
  if (!/^\d{8}T\d{6}Z$/.test(amzDate)) {
    return { ok: false, reason: 'malformed', detail: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." };
  }
  return { ok: true, parts: { form: 'header', ...scope, signedHeaders: signedHeaders.split(';'), signature, amzDate } };
}

function parseQueryForm(query: URLSearchParams): ParseResult {
  const scope = parseScope(query.get('X-Amz-Credential') ?? '');
  const signature = query.get('X-Amz-Signature');
  const signedHeaders = query.get('X-Amz-SignedHeaders');
  const amzDate = query.get('X-Amz-Date') ?? '';
  const expires = Number(query.get('X-Amz-Expires') ?? '');
  if (!scope || !signature || !signedHeaders || !/^\d{8}T\d{6}Z$/.test(amzDate) || !Number.isInteger(expires)) {
    return { ok: false, reason: 'malformed', detail: 'AWS query-string parameters must include X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Expires.' };
  }
  return { ok: true, parts: { form: 'query', ...scope, signedHeaders: signedHeaders.split(';'), signature, amzDate, expiresSeconds: expires } };
}

function parseScope(credential: string): Pick<SignatureParts, 'accessKeyId' | 'date' | 'region' | 'service'> | null {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return null;
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  return { accessKeyId, date, region, service };
}

/** The last date parsed: every request signed in the same second carries the same one. */
let parsed = { amzDate: '', ms: Number.NaN };

/** 20260101T120000Z → epoch ms */
export function parseAmzDate(amzDate: string): number {
  if (parsed.amzDate === amzDate) return parsed.ms;
  const iso = `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`;
  parsed = { amzDate, ms: Date.parse(iso) };
  return parsed.ms;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
