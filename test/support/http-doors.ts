import { request } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { makeZip } from './zip.js';

/**
 * One handler for every front-door test: it answers by path, so one function covers echo, binary,
 * cookies, plain values, errors and malformed responses for payload 1.0, 2.0 and ALB events.
 */
export const DOOR_HANDLER_ZIP = makeZip({
  'index.js': `
exports.handler = async (event) => {
  const path = event.rawPath || event.path || '/';
  const tail = path.slice(path.lastIndexOf('/'));
  switch (tail) {
    case '/plain': return 'hello';
    case '/number': return 3;
    case '/object': return { hello: 'world' };
    case '/binary': return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from([0, 1, 2, 250, 255]).toString('base64'), isBase64Encoded: true };
    case '/echo-binary': return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: event.body, isBase64Encoded: event.isBase64Encoded };
    case '/cookies': return { statusCode: 201, headers: { 'x-custom': 'yes' }, cookies: ['a=1; Max-Age=60', 'b=2'], body: 'made' };
    case '/multi': return { statusCode: 200, statusDescription: '200 OK', multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'], 'Content-Type': ['text/plain'] }, body: 'multi' };
    case '/alb-single': return { statusCode: 202, statusDescription: '202 Accepted', headers: { 'Content-Type': 'text/plain', 'X-Thing': 'one' }, body: 'single', isBase64Encoded: false };
    case '/throw': throw new Error('boom');
    case '/sleep': await new Promise((r) => setTimeout(r, 5000)); return 'late';
    case '/malformed': return { statusCode: 'abc', body: 1 };
    case '/huge': return { statusCode: 200, body: 'x'.repeat(1100000) };
    case '/cors': return { statusCode: 200, headers: { 'access-control-allow-origin': 'https://evil.example' }, body: 'cors' };
    default: return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) };
  }
};
`,
});

export interface DoorResponse {
  status: number;
  statusMessage: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text(): string;
  json(): Record<string, any>;
}

/** Raw HTTP to 127.0.0.1 with any Host header (names like `x.lambda-url.us-east-1.localhost` need no DNS). */
export function doorRequest(
  port: number,
  options: { method?: string; path: string; host?: string; headers?: Record<string, string | string[]>; body?: Buffer | string },
): Promise<DoorResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = { ...(options.headers ?? {}) };
    if (options.host) headers.host = options.host;
    const req = request({ hostname: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          statusMessage: res.statusMessage ?? '',
          headers: res.headers,
          body,
          text: () => body.toString('utf8'),
          json: () => JSON.parse(body.toString('utf8')) as Record<string, any>,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** SigV4-signs a request for a function URL (service `lambda`) as an SDK or `awscurl` would. */
export async function signedDoorRequest(
  port: number,
  options: { method?: string; path: string; host: string; body?: string; accessKeyId?: string; secretAccessKey?: string; sessionToken?: string; headers?: Record<string, string> },
): Promise<DoorResponse> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: options.accessKeyId ?? 'test', secretAccessKey: options.secretAccessKey ?? 'test', sessionToken: options.sessionToken },
    region: 'us-east-1',
    service: 'lambda',
    sha256: Hash.bind(null, 'sha256'),
  });
  const [path, search] = options.path.split('?');
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search ?? '')) query[k] = v;
  const unsigned = new HttpRequest({
    method: options.method ?? 'GET', protocol: 'http:', hostname: options.host.split(':')[0], path, query,
    headers: { host: options.host, ...(options.headers ?? {}) }, body: options.body,
  });
  const signed = await signer.sign(unsigned);
  return doorRequest(port, { method: options.method, path: options.path, headers: signed.headers, body: options.body });
}

/** A port nothing listens on right now (for listeners, which need a real port). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json(): Record<string, any>;
}

/** The AWS CLI against Lambkin with the local credentials and no user configuration. */
export function awsCli(endpoint: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    import('node:child_process').then(({ execFile }) => {
      execFile(
        'aws',
        ['--endpoint-url', endpoint, '--output', 'json', ...args],
        {
          env: {
            ...process.env,
            AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1',
            AWS_CONFIG_FILE: '/nonexistent/aws-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials', AWS_PAGER: '',
          },
        },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> });
        },
      );
    }, () => resolve({ code: 1, stdout: '', stderr: 'no child_process', json: () => ({}) }));
  });
}
