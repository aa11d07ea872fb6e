import { request } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): Record<string, unknown>;
}

/** A plain HTTP exchange with full control over headers (fetch forbids setting Host). */
export function rawRequest(
  baseUrl: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<RawResponse> {
  const url = new URL(options.path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: url.hostname, port: url.port, method: options.method, path: url.pathname + url.search, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) as Record<string, unknown> });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface SigningOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  service?: string;
  region?: string;
  signingDate?: Date;
}

function signerFor(options: SigningOptions): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: options.accessKeyId ?? 'test', secretAccessKey: options.secretAccessKey ?? 'test' },
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'lambda',
    sha256: Hash.bind(null, 'sha256'),
  });
}

function unsignedRequest(baseUrl: string, method: string, path: string, body?: string): HttpRequest {
  const url = new URL(path, baseUrl);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const headers: Record<string, string> = { host: url.host };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return new HttpRequest({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query, headers, body });
}

function pathWithQuery(path: string, query: HttpRequest['query'] | undefined): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    for (const value of Array.isArray(v) ? v : [v]) if (typeof value === 'string') search.append(k, value);
  }
  const s = search.toString();
  return s ? `${path}?${s}` : path;
}

/** Signs with the same library the AWS SDK uses, then sends over raw HTTP. */
export async function signedRequest(
  baseUrl: string,
  options: SigningOptions & { method: string; path: string; body?: string },
): Promise<RawResponse> {
  const unsigned = unsignedRequest(baseUrl, options.method, options.path, options.body);
  const signed = await signerFor(options).sign(unsigned, { signingDate: options.signingDate });
  return rawRequest(baseUrl, {
    method: options.method,
    path: pathWithQuery(unsigned.path, signed.query),
    headers: signed.headers,
    body: options.body,
  });
}

/** A presigned (query-string) URL path for a GET. */
export async function presignedPath(baseUrl: string, path: string, options: SigningOptions & { expiresIn?: number } = {}): Promise<string> {
  const unsigned = unsignedRequest(baseUrl, 'GET', path);
  const presigned = await signerFor(options).presign(unsigned, { expiresIn: options.expiresIn ?? 300, signingDate: options.signingDate });
  return pathWithQuery(unsigned.path, presigned.query);
}
