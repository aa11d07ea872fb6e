import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  CreateFunctionCommand, GetFunctionCommand, GetFunctionConcurrencyCommand, GetFunctionUrlConfigCommand, InvokeCommand, LambdaClient,
  ListFunctionsCommand, type LambdaClient as Client,
} from '@aws-sdk/client-lambda';
import { resolveConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startLambkin, StartupRefused } from '../src/server.js';
import { rejectsWith } from './support/aws-errors.js';
import { presignedPath, rawRequest, signedRequest, type RawResponse } from './support/raw-http.js';
import { startTestServer, type TestServer } from './support/server.js';
import { NODE_HANDLER_ZIP, ROLE } from './support/zip.js';

const run = promisify(execFile);
const LAMBKIN_BIN = fileURLToPath(new URL('../../bin/lambkin.js', import.meta.url));
const CREATE_FUNCTION_MAX_BYTES = 70_167_211;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Every edge answer, success or failure, carries a request id; errors also name their type. */
function assertAwsError(res: RawResponse, status: number, type: string, message?: string | RegExp): Record<string, unknown> {
  assert.equal(res.status, status, res.body);
  assert.match(String(res.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  assert.equal(res.headers['x-amzn-errortype'], type);
  assert.match(String(res.headers['content-type']), /json/);
  assert.doesNotMatch(res.body, /\n\s+at /, 'error body must not leak a stack trace');
  const body = res.json();
  const text = body.message ?? body.Message;
  if (typeof message === 'string') assert.equal(text, message);
  else if (message) assert.match(String(text), message);
  return body;
}

const createParams = (name: string) => ({
  FunctionName: name, Runtime: 'nodejs22.x' as const, Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP },
});

describe('edge: authentication, routing and limits', () => {
  let server: TestServer;
  let lambda: Client;
  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
  });
  after(() => server.stop());

  test('a correctly signed request succeeds and carries x-amzn-RequestId', async () => {
    const res = await signedRequest(server.url, { method: 'GET', path: '/2015-03-31/functions' });
    assert.equal(res.status, 200, res.body);
    assert.match(String(res.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
    assert.deepEqual(res.json().Functions, []);
  });

  test('wrong secret is InvalidSignatureException', async () => {
    const res = await signedRequest(server.url, { method: 'GET', path: '/2015-03-31/functions', secretAccessKey: 'not-the-secret' });
    assertAwsError(res, 403, 'InvalidSignatureException', SIGNATURE_MISMATCH);
    await rejectsWith(
      server.lambda({ secretAccessKey: 'wrong' }).send(new ListFunctionsCommand({})),
      'InvalidSignatureException', 403, SIGNATURE_MISMATCH,
    );
  });

  test('unknown access key is UnrecognizedClientException', async () => {
    const res = await signedRequest(server.url, { method: 'GET', path: '/2015-03-31/functions', accessKeyId: 'AKIAUNKNOWN' });
    assertAwsError(res, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  });

  test('unsigned request is MissingAuthenticationTokenException', async () => {
    const res = await rawRequest(server.url, { method: 'GET', path: '/2015-03-31/functions' });
    assertAwsError(res, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  });

  test('unsigned S3 and query-protocol requests are 403 in each service\'s words, as on AWS', async () => {
    // An anonymous S3 request is S3's to judge: a bucket that does not exist is NoSuchBucket, as on AWS
    // (private buckets' AccessDenied: test/s3-public-access.test.ts).
    const object = await rawRequest(server.url, { method: 'GET', path: '/some-bucket/some/key' });
    assert.equal(object.status, 404, object.body);
    assert.match(object.body, /<Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message>/);
    const root = await rawRequest(server.url, { method: 'GET', path: '/' });
    assert.equal(root.status, 403, root.body);
    assert.match(root.body, /<Code>AccessDenied<\/Code>/);

    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const sqs = await rawRequest(server.url, { method: 'POST', path: '/', headers: form, body: 'Action=ListQueues&Version=2012-11-05' });
    assert.equal(sqs.status, 403, sqs.body);
    assert.match(sqs.body, /<ErrorResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token<\/Message>/);
    const sqsGet = await rawRequest(server.url, { method: 'GET', path: '/000000000000/q?Action=SendMessage&MessageBody=x' });
    assert.equal(sqsGet.status, 403, sqsGet.body);
    assert.match(sqsGet.body, /<Code>MissingAuthenticationToken<\/Code>/);
    const sns = await rawRequest(server.url, { method: 'POST', path: '/', headers: form, body: 'Action=ListTopics&Version=2010-03-31' });
    assert.equal(sns.status, 403, sns.body);
    assert.match(sns.body, /sns.amazonaws.com.*<Code>MissingAuthenticationToken<\/Code>/s);

    const nobody = await rawRequest(server.url, { method: 'POST', path: '/', headers: form, body: 'Action=RunInstances' });
    assertAwsError(nobody, 404, 'UnknownOperationException', 'Unknown operation');
  });

  test('a malformed Authorization header is IncompleteSignatureException', async () => {
    const res = await rawRequest(server.url, { method: 'GET', path: '/2015-03-31/functions', headers: { authorization: 'foo' } });
    assertAwsError(res, 400, 'IncompleteSignatureException', /^Authorization header requires 'Credential' parameter\./);
  });

  test('a signature older than 15 minutes has expired', async () => {
    const res = await signedRequest(server.url, {
      method: 'GET', path: '/2015-03-31/functions', signingDate: new Date(Date.now() - 16 * 60 * 1000),
    });
    assertAwsError(res, 403, 'InvalidSignatureException', /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
  });

  test('a signature dated more than 15 minutes ahead is not yet current', async () => {
    const res = await signedRequest(server.url, {
      method: 'GET', path: '/2015-03-31/functions', signingDate: new Date(Date.now() + 16 * 60 * 1000),
    });
    assertAwsError(res, 403, 'InvalidSignatureException', /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/);
  });

  test('presigned query-string requests verify; tampering breaks them', async () => {
    const presigned = await presignedPath(server.url, '/2015-03-31/functions');
    const ok = await rawRequest(server.url, { method: 'GET', path: presigned });
    assert.equal(ok.status, 200, ok.body);
    assert.ok(ok.headers['x-amzn-requestid']);

    const tamperedSignature = presigned.replace(/(X-Amz-Signature=[0-9a-f]*)([0-9a-f])/, (_m, head: string, last: string) => head + (last === '0' ? '1' : '0'));
    assert.notEqual(tamperedSignature, presigned);
    assertAwsError(await rawRequest(server.url, { method: 'GET', path: tamperedSignature }), 403, 'InvalidSignatureException', SIGNATURE_MISMATCH);

    const extraParam = `${presigned}&MaxItems=1`;
    assertAwsError(await rawRequest(server.url, { method: 'GET', path: extraParam }), 403, 'InvalidSignatureException', SIGNATURE_MISMATCH);

    const stale = await presignedPath(server.url, '/2015-03-31/functions', { expiresIn: 60, signingDate: new Date(Date.now() - 5 * 60 * 1000) });
    assertAwsError(await rawRequest(server.url, { method: 'GET', path: stale }), 403, 'InvalidSignatureException', /^Signature expired/);
  });

  test('signatures the SDK signer makes over odd paths, queries and header values verify; a changed byte does not', async () => {
    const host = new URL(server.url).host;
    const cases: Array<{ service: string; method: string; path: string; query?: Record<string, string | string[]>; headers?: Record<string, string>; body?: string }> = [
      // Dot segments, an escaped slash, reserved and non-ASCII characters: escaped once more after normalising.
      { service: 'lambda', method: 'GET', path: "/2015-03-31/functions/a.b%20c/./../x%2Fy!'()*%C3%A9/", query: { Qualifier: '$LATEST', z: ['b', 'a', ''], 'sp ace': 'a+b c&d=é' } },
      { service: 'lambda', method: 'POST', path: '/2015-03-31/functions/nope/invocations', headers: { 'x-amz-invocation-type': 'Event', 'x-odd': 'a  b\tc   d' }, body: '{"x":1}' },
      { service: 'dynamodb', method: 'POST', path: '/', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: '{}' },
      // S3 signs its path as sent. (No x-amz-content-sha256 added elsewhere: the body's own hash is signed.)
      { service: 's3', method: 'GET', path: "/no-such-bucket/k%20e%2Fy!'()*", query: { 'list-type': '2', prefix: 'a/b' }, headers: { 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } },
    ];
    const mismatch = (res: RawResponse) => res.status === 403 && /InvalidSignatureException|SignatureDoesNotMatch/.test(`${String(res.headers['x-amzn-errortype'])} ${res.body}`);
    for (const c of cases) {
      const signer = new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: c.service, sha256: Hash.bind(null, 'sha256'), uriEscapePath: c.service !== 's3', applyChecksum: false });
      const headers = { host, ...(c.headers ?? {}) };
      const signed = await signer.sign(new HttpRequest({ method: c.method, protocol: 'http:', hostname: '127.0.0.1', path: c.path, query: c.query ?? {}, headers, ...(c.body ? { body: c.body } : {}) }));
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(c.query ?? {})) for (const value of Array.isArray(v) ? v : [v]) search.append(k, value);
      const target = search.size > 0 ? `${c.path}?${search}` : c.path;
      const send = (path: string, body = c.body) => rawRequest(server.url, { method: c.method, path, headers: signed.headers, ...(body !== undefined ? { body } : {}) });
      const ok = await send(target);
      assert.ok(!mismatch(ok), `${c.service} ${target}: ${ok.status} ${ok.body}`);
      const extra = await send(`${target}${search.size > 0 ? '&' : '?'}added=1`);
      assert.ok(mismatch(extra), `${c.service} ${target} with a parameter added: ${extra.status} ${extra.body}`);
      if (c.body && !c.headers?.['x-amz-content-sha256']) {
        const changed = await send(target, c.body.replace('1', '2'));
        assert.ok(mismatch(changed), `${c.service} ${target} with its body changed: ${changed.status} ${changed.body}`);
      }
    }
  });

  test('a 12-digit access key id selects that account, isolated from others', async () => {
    const other = server.lambda({ accessKeyId: '111111111111', secretAccessKey: 'test' });
    await lambda.send(new CreateFunctionCommand(createParams('edge-home')));
    const created = await other.send(new CreateFunctionCommand(createParams('edge-other')));
    assert.equal(created.FunctionArn, 'arn:aws:lambda:us-east-1:111111111111:function:edge-other');

    const listed = await other.send(new ListFunctionsCommand({}));
    assert.deepEqual(listed.Functions?.map((f) => f.FunctionName), ['edge-other']);
    const homeListed = await lambda.send(new ListFunctionsCommand({}));
    assert.ok(!homeListed.Functions?.some((f) => f.FunctionName === 'edge-other'));

    await rejectsWith(
      other.send(new GetFunctionCommand({ FunctionName: 'edge-home' })),
      'ResourceNotFoundException', 404, 'Function not found: arn:aws:lambda:us-east-1:111111111111:function:edge-home',
    );
    await rejectsWith(
      other.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:edge-home' })),
      'AccessDeniedException', 403, /^User: arn:aws:iam::111111111111:root is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:us-east-1:000000000000:function:edge-home/,
    );
  });

  test('a function ARN of another region is not reachable from this one, whatever the operation', async () => {
    const client = server.lambda();
    const elsewhere = 'arn:aws:lambda:us-west-2:000000000000:function:edge-home';
    const message = "Functions from 'us-west-2' are not reachable in this region ('us-east-1')";
    await rejectsWith(client.send(new GetFunctionCommand({ FunctionName: elsewhere })), 'ResourceNotFoundException', 404, message);
    await rejectsWith(client.send(new InvokeCommand({ FunctionName: elsewhere })), 'ResourceNotFoundException', 404, message);
    await rejectsWith(client.send(new GetFunctionConcurrencyCommand({ FunctionName: elsewhere })), 'ResourceNotFoundException', 404, message);
    await rejectsWith(client.send(new GetFunctionUrlConfigCommand({ FunctionName: elsewhere })), 'ResourceNotFoundException', 404, message);
  });

  test('unknown operation is a 404 JSON error without a stack trace', async () => {
    const res = await signedRequest(server.url, { method: 'GET', path: '/2015-03-31/nonsense' });
    assertAwsError(res, 404, 'UnknownOperationException', 'Unknown operation');
  });

  test('unknown service is a 400 JSON error naming the service', async () => {
    const res = await signedRequest(server.url, { method: 'GET', path: '/whatever', service: 'nosuch' });
    assertAwsError(res, 400, 'UnknownServiceException', /nosuch/);
  });

  test('garbage JSON on CreateFunction is InvalidRequestContentException', async () => {
    const res = await signedRequest(server.url, { method: 'POST', path: '/2015-03-31/functions', body: '{"FunctionName": "x",' });
    assertAwsError(res, 400, 'InvalidRequestContentException', /^Could not parse request body into json: Could not parse payload into json: /);
  });

  test('a body over the CreateFunction limit is 413 before any signature check', async () => {
    const res = await new Promise<RawResponse>((resolve, reject) => {
      const url = new URL(server.url);
      const req = request(
        { hostname: url.hostname, port: url.port, method: 'POST', path: '/2015-03-31/functions', headers: { 'content-type': 'application/json' } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body, json: () => JSON.parse(body) as Record<string, unknown> });
          });
        },
      );
      req.on('error', reject);
      // Stream in 1 MiB pieces so neither side ever holds one 70 MB write.
      const piece = Buffer.alloc(1024 * 1024, 0x61);
      const total = CREATE_FUNCTION_MAX_BYTES + 1;
      let sent = 0;
      const pump = (): void => {
        while (sent < total) {
          const chunk = piece.subarray(0, Math.min(piece.length, total - sent));
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    assertAwsError(res, 413, 'RequestEntityTooLargeException', `Request must be smaller than ${CREATE_FUNCTION_MAX_BYTES} bytes for the CreateFunction operation`);
  });

  test('the server still serves SDK calls after all of the above', async () => {
    const listed = await lambda.send(new ListFunctionsCommand({}));
    assert.ok(listed.$metadata.requestId);
    assert.ok(listed.Functions?.some((f) => f.FunctionName === 'edge-home'));
  });

  test('GET /_lambkin/health reports status, version and services', async () => {
    const res = await fetch(`${server.url}/_lambkin/health`);
    assert.equal(res.status, 200);
    assert.ok(res.headers.get('x-amzn-requestid'));
    const body = (await res.json()) as { status: string; version: string; services: string[] };
    assert.equal(body.status, 'ok');
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.ok(body.services.includes('lambda'));
  });
});

describe('edge: startup on a non-loopback address', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-edge-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  const config = () => ({ ...resolveConfig({ host: '0.0.0.0', port: 0, dataDir }, {}), provisioningDelayMs: 20 });

  test('refuses to start without credentials, then serves only stored credentials', async () => {
    const logger = createLogger('silent');
    await assert.rejects(startLambkin(config(), { logger }), (err: unknown) => {
      assert.ok(err instanceof StartupRefused);
      assert.match(err.message, /no credentials/);
      return true;
    });

    const { stdout } = await run(process.execPath, [LAMBKIN_BIN, 'credentials', 'create', '--data-dir', dataDir]);
    const credential = JSON.parse(stdout) as { accessKeyId: string; secretAccessKey: string; accountId: string };
    assert.equal(credential.accountId, '000000000000');

    const running = await startLambkin(config(), { logger });
    try {
      const endpoint = `http://127.0.0.1:${running.port}`;
      const client = (accessKeyId: string, secretAccessKey: string) =>
        new LambdaClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
      const listed = await client(credential.accessKeyId, credential.secretAccessKey).send(new ListFunctionsCommand({}));
      assert.deepEqual(listed.Functions, []);
      await rejectsWith(
        client('test', 'test').send(new ListFunctionsCommand({})),
        'UnrecognizedClientException', 403, 'The security token included in the request is invalid.',
      );
      await rejectsWith(
        client('222222222222', 'test').send(new ListFunctionsCommand({})),
        'UnrecognizedClientException', 403, 'The security token included in the request is invalid.',
      );

      // A key created while the server runs works at once; unknown keys before it change nothing.
      const late = client('LKIA0000000000000000', 'whatever');
      await rejectsWith(late.send(new ListFunctionsCommand({})), 'UnrecognizedClientException', 403);
      const { stdout: second } = await run(process.execPath, [LAMBKIN_BIN, 'credentials', 'create', '--account-id', '333333333333', '--data-dir', dataDir]);
      const created = JSON.parse(second) as { accessKeyId: string; secretAccessKey: string; accountId: string };
      assert.equal(created.accountId, '333333333333');
      const made = await client(created.accessKeyId, created.secretAccessKey).send(new CreateFunctionCommand(createParams('edge-late')));
      assert.equal(made.FunctionArn, 'arn:aws:lambda:us-east-1:333333333333:function:edge-late');
    } finally {
      await running.close();
    }
  });
});

describe('edge: process lifecycle', () => {
  test('lambkin start exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-sigterm-'));
    try {
      const child = spawn(process.execPath, [LAMBKIN_BIN, 'start', '--port', '0', '--data-dir', dataDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LAMBKIN_LOG_LEVEL: 'silent' },
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          const m = /Lambkin \S+ listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        void exited.then((code) => reject(new Error(`lambkin exited early (${String(code)}): ${out}`)));
      });
      const health = await fetch(`${url}/_lambkin/health`);
      assert.equal(health.status, 200);

      child.kill('SIGTERM');
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref()),
      ]);
      if (code === 'timeout') child.kill('SIGKILL');
      assert.equal(code, 0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
