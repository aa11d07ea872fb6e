// How the pages reach Lambkin: the same public APIs the CLI uses, authorised by the console session
// (its HttpOnly cookie plus the CSRF token in X-Lambkin-Console), never by a key held in the page.

export interface Session {
  accountId: string;
  accessKeyId: string;
  arn: string;
  csrf: string;
}

export const REGION = 'us-east-1';
let session: Session | null = null;
let onSignedOut: () => void = () => {};

export function setSession(s: Session | null): void {
  session = s;
}
export function currentSession(): Session | null {
  return session;
}
export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}

/** An AWS error as the API returned it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function loadSession(): Promise<Session | 'sign-in'> {
  const res = await fetch('api/session', { headers: { accept: 'application/json' } });
  if (res.status === 401) return 'sign-in';
  if (!res.ok) throw new ApiError(res.status, 'SessionError', await res.text());
  return (await res.json()) as Session;
}

export async function signIn(accessKeyId: string, secretAccessKey: string): Promise<Session> {
  const res = await fetch('api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accessKeyId, secretAccessKey }) });
  const body = (await res.json()) as Session & { message?: string };
  if (!res.ok) throw new ApiError(res.status, 'SignInFailed', body.message ?? 'Sign-in failed');
  return body;
}

export async function signOut(): Promise<void> {
  await fetch('api/logout', { method: 'POST', headers: { 'x-lambkin-console': session?.csrf ?? '' } });
  session = null;
  onSignedOut();
}

export interface RawRequest {
  service: string;
  method?: string;
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: BodyInit | null;
}

/** One API call as the session's principal; the edge routes it by X-Lambkin-Scope. */
export async function send(req: RawRequest): Promise<Response> {
  if (!session) throw new ApiError(401, 'NotSignedIn', 'Not signed in');
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) qs.append(k, v);
  const url = '/' + req.path.replace(/^\//, '') + (qs.size > 0 ? `?${qs.toString().replace(/\+/g, '%20')}` : '');
  const res = await fetch(url, {
    method: req.method ?? 'GET',
    headers: { 'x-lambkin-console': session.csrf, 'x-lambkin-scope': `${REGION}/${req.service}`, ...req.headers },
    body: req.body ?? null,
  });
  if (res.status === 403 && res.headers.get('content-type')?.includes('json')) {
    const text = await res.clone().text();
    if (text.includes('console session')) {
      session = null;
      onSignedOut();
    }
  }
  return res;
}

async function jsonOrThrow<T>(res: Response): Promise<T> {
  const text = await res.text();
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) {
    const type = String(res.headers.get('x-amzn-errortype') ?? body.__type ?? body.Type ?? 'Error').split(':')[0]!.split('#').pop()!;
    throw new ApiError(res.status, type, String(body.message ?? body.Message ?? res.statusText));
  }
  return body as T;
}

/** Lambda's REST JSON API. */
export async function lambda<T = Record<string, unknown>>(method: string, path: string, body?: unknown, query?: Record<string, string | undefined>): Promise<T> {
  const res = await send({
    service: 'lambda',
    method,
    path,
    ...(query ? { query } : {}),
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return jsonOrThrow<T>(res);
}

const JSON_TARGETS: Record<string, { prefix: string; version: string }> = {
  sqs: { prefix: 'AmazonSQS', version: '1.0' },
  logs: { prefix: 'Logs_20140328', version: '1.1' },
  events: { prefix: 'AWSEvents', version: '1.1' },
  monitoring: { prefix: 'GraniteServiceVersion20100801', version: '1.0' },
  kinesis: { prefix: 'Kinesis_20131202', version: '1.1' },
  dynamodb: { prefix: 'DynamoDB_20120810', version: '1.0' },
};

/** The awsJson services (SQS, CloudWatch Logs, EventBridge, CloudWatch). */
export async function rpc<T = Record<string, unknown>>(service: keyof typeof JSON_TARGETS, operation: string, input: unknown = {}): Promise<T> {
  const t = JSON_TARGETS[service]!;
  const res = await send({
    service,
    method: 'POST',
    path: '/',
    headers: { 'x-amz-target': `${t.prefix}.${operation}`, 'content-type': `application/x-amz-json-${t.version}` },
    body: JSON.stringify(input),
  });
  return jsonOrThrow<T>(res);
}

/** S3's REST XML API: the parsed document of a successful answer. */
export async function s3(method: string, path: string, query?: Record<string, string | undefined>, body?: BodyInit, headers?: Record<string, string>): Promise<Document> {
  const res = await send({ service: 's3', method, path, ...(query ? { query } : {}), headers: { accept: 'application/xml', ...headers }, body: body ?? null });
  const text = await res.text();
  const doc = new DOMParser().parseFromString(text || '<Empty/>', 'application/xml');
  if (!res.ok) throw new ApiError(res.status, xmlText(doc.documentElement, 'Code') || 'Error', xmlText(doc.documentElement, 'Message') || res.statusText);
  return doc;
}

/** SNS's query API. */
export function sns(action: string, params: Record<string, string> = {}): Promise<Document> {
  return query('sns', '2010-03-31', action, params);
}

/** Elastic Load Balancing v2's query API (ALB target groups). */
export function elbv2(action: string, params: Record<string, string> = {}): Promise<Document> {
  return query('elasticloadbalancing', '2015-12-01', action, params);
}

async function query(service: string, version: string, action: string, params: Record<string, string>): Promise<Document> {
  const body = new URLSearchParams({ Action: action, Version: version, ...params });
  const res = await send({ service, method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  const doc = new DOMParser().parseFromString(await res.text(), 'application/xml');
  if (!res.ok) throw new ApiError(res.status, xmlText(doc.documentElement, 'Code') || 'Error', xmlText(doc.documentElement, 'Message') || res.statusText);
  return doc;
}

export function xmlText(el: Element | Document | null, tag: string): string {
  return el?.getElementsByTagName(tag)[0]?.textContent ?? '';
}
export function xmlAll(el: Element | Document, tag: string): Element[] {
  return Array.from(el.getElementsByTagName(tag));
}

export async function billing(): Promise<Bill | null> {
  const res = await fetch(`/_lambkin/billing?account=${encodeURIComponent(session?.accountId ?? '')}`);
  return res.ok ? ((await res.json()) as Bill) : null;
}

export interface Bill {
  month: string;
  total: { requests: number; gbSeconds: string; freeTier: { requests: number; gbSeconds: string }; cost: string };
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/** Base64 of bytes, in chunks (a spread of a large array overflows the call stack). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(out);
}
