import { createHash } from 'node:crypto';
import { Agent } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { Hash } from '@smithy/hash-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { rawRequest, type RawResponse } from './raw-http.js';
import type { TestServer } from './server.js';

/** An S3 client for the test server: path-style, or virtual-hosted through `<bucket>.s3.localhost`. */
export function s3Client(server: TestServer, options: { region?: string; virtualHosted?: boolean } = {}): S3Client {
  const port = new URL(server.url).port;
  if (options.virtualHosted) {
    // `*.s3.localhost` need not resolve on this machine: every host name goes to loopback.
    const lookup = (_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
      opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4);
    const agent = new Agent({ keepAlive: true, lookup: lookup as never });
    return new S3Client({
      endpoint: `http://s3.localhost:${port}`,
      region: options.region ?? 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      forcePathStyle: false,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ httpAgent: agent }),
    });
  }
  return new S3Client({
    endpoint: server.url,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    forcePathStyle: true,
    maxAttempts: 1,
  });
}

export function s3Signer(region = 'us-east-1'): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    region,
    service: 's3',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
    applyChecksum: false,
  });
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Signs an S3 request (headers given, including `x-amz-content-sha256`) and sends `body` over raw HTTP. */
export async function signedS3Request(
  baseUrl: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer; signingDate?: Date },
): Promise<{ response: RawResponse; signature: string; amzDate: string }> {
  const url = new URL(options.path, baseUrl);
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const request = new HttpRequest({
    method: options.method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: { host: url.host, ...options.headers },
  });
  const signingDate = options.signingDate ?? new Date();
  const signed = await s3Signer().sign(request, { signingDate });
  const auth = String(signed.headers.authorization);
  const signature = /Signature=([0-9a-f]+)/.exec(auth)?.[1] ?? '';
  const response = await rawRequest(baseUrl, { method: options.method, path: url.pathname + url.search, headers: signed.headers as Record<string, string>, body: options.body ?? Buffer.alloc(0) });
  return { response, signature, amzDate: String(signed.headers['x-amz-date']) };
}

const EMPTY_SHA256 = sha256Hex('');

/**
 * PUTs `data` as `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` (the aws-chunked form Java and Go SDKs
 * send): each chunk signed in a chain seeded by the request signature. `tamperChunk` corrupts
 * one chunk's data after signing.
 */
export async function chunkSignedPut(baseUrl: string, path: string, data: Buffer, options: { chunkSize?: number; tamperChunk?: number } = {}): Promise<RawResponse> {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize));
  chunks.push(Buffer.alloc(0));
  const encodedLength = chunks.reduce((n, c) => n + c.length.toString(16).length + ';chunk-signature='.length + 64 + 4 + c.length, 0);
  const url = new URL(path, baseUrl);
  const signingDate = new Date();
  const signer = s3Signer();
  const request = new HttpRequest({
    method: 'PUT',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    headers: {
      host: url.host,
      'content-encoding': 'aws-chunked',
      'content-length': String(encodedLength),
      'x-amz-decoded-content-length': String(data.length),
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    },
  });
  const signed = await signer.sign(request, { signingDate });
  let previous = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? '';
  const amzDate = String(signed.headers['x-amz-date']);
  const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
  const parts: Buffer[] = [];
  for (const [index, chunk] of chunks.entries()) {
    const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, previous, EMPTY_SHA256, sha256Hex(chunk)].join('\n');
    const signature = await signer.sign(stringToSign, { signingDate });
    previous = signature;
    const body = options.tamperChunk === index && chunk.length > 0 ? Buffer.from(chunk.map((b) => b ^ 0xff)) : chunk;
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${signature}\r\n`), body, Buffer.from('\r\n'));
  }
  return rawRequest(baseUrl, { method: 'PUT', path: url.pathname, headers: signed.headers as Record<string, string>, body: Buffer.concat(parts) });
}
