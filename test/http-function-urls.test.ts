import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import {
  AddPermissionCommand, CreateAliasCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, PublishVersionCommand,
  PutFunctionConcurrencyCommand, waitUntilFunctionActiveV2, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';
import { DOOR_HANDLER_ZIP, doorRequest, signedDoorRequest } from './support/http-doors.js';

const run = promisify(execFile);
const FORBIDDEN = 'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html';

describe('function URLs serve HTTP traffic', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let port: number;
  const ids: Record<string, string> = {};

  async function createFn(name: string, timeout = 10): Promise<void> {
    await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: DOOR_HANDLER_ZIP }, Timeout: timeout }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
  }
  async function createUrl(name: string, input: Record<string, unknown>, qualifier?: string): Promise<string> {
    const out = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: qualifier, AuthType: 'NONE', ...input }));
    return /^http:\/\/([a-z0-9]+)\./.exec(out.FunctionUrl ?? '')![1]!;
  }
  async function allowNone(name: string, qualifier?: string): Promise<void> {
    await lambda.send(new AddPermissionCommand({
      FunctionName: name, Qualifier: qualifier, StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE',
    }));
  }
  const host = (id: string) => `${id}.lambda-url.us-east-1.localhost:${port}`;

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    port = server.lambkin.port;
    await createFn('door-fn');
    await createFn('door-slow', 1);
    await createFn('door-iam');
    await createFn('door-denied');
    await createFn('door-throttled');
    ids.open = await createUrl('door-fn', { Cors: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['x-custom'], ExposeHeaders: ['x-custom'], MaxAge: 300, AllowCredentials: true } });
    await allowNone('door-fn');
    ids.slow = await createUrl('door-slow', {});
    await allowNone('door-slow');
    ids.iam = await createUrl('door-iam', { AuthType: 'AWS_IAM' });
    ids.denied = await createUrl('door-denied', {});
    ids.throttled = await createUrl('door-throttled', {});
    await allowNone('door-throttled');
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'door-throttled', ReservedConcurrentExecutions: 0 }));
    await lambda.send(new PublishVersionCommand({ FunctionName: 'door-fn' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'door-fn', Name: 'live', FunctionVersion: '1' }));
    ids.alias = await createUrl('door-fn', {}, 'live');
    await allowNone('door-fn', 'live');
  });
  after(() => server.stop());

  test('the 2.0 event carries every field, with duplicates joined by commas and cookies split out', async () => {
    const res = await doorRequest(port, {
      method: 'POST',
      path: '/my/pa%20th?a=1&a=2&b=x%20y&empty=',
      host: host(ids.open!),
      headers: { 'content-type': 'application/json', 'user-agent': 'door-test/1', accept: ['a', 'b'], cookie: 'c1=v1; c2=v2', 'X-Mixed-Case': 'Yes' },
      body: '{"k":"v"}',
    });
    assert.equal(res.status, 200);
    const event = res.json();
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, '$default');
    assert.equal(event.rawPath, '/my/pa%20th');
    assert.equal(event.rawQueryString, 'a=1&a=2&b=x%20y&empty=');
    assert.deepEqual(event.cookies, ['c1=v1', 'c2=v2']);
    assert.equal(event.headers.accept, 'a,b');
    assert.equal(event.headers['x-mixed-case'], 'Yes');
    assert.equal(event.headers.cookie, undefined);
    assert.equal(event.headers['x-forwarded-proto'], 'http');
    assert.equal(event.headers['x-forwarded-for'], '127.0.0.1');
    assert.equal(event.headers['x-forwarded-port'], String(port));
    assert.match(event.headers['x-amzn-trace-id'], /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    assert.deepEqual(event.queryStringParameters, { a: '1,2', b: 'x y', empty: '' });
    assert.equal(event.body, '{"k":"v"}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.pathParameters, undefined);
    const ctx = event.requestContext;
    assert.equal(ctx.accountId, 'anonymous');
    assert.equal(ctx.apiId, ids.open);
    assert.equal(ctx.domainName, `${ids.open}.lambda-url.us-east-1.localhost`);
    assert.equal(ctx.domainPrefix, ids.open);
    assert.deepEqual(ctx.http, { method: 'POST', path: '/my/pa th', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'door-test/1' });
    assert.equal(ctx.requestId, res.headers['x-amzn-requestid']);
    assert.equal(ctx.routeKey, '$default');
    assert.equal(ctx.stage, '$default');
    assert.match(ctx.time, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    assert.equal(typeof ctx.timeEpoch, 'number');
    assert.equal(ctx.authorizer, undefined);
  });

  test('a request without query or body has neither queryStringParameters nor body', async () => {
    const event = (await doorRequest(port, { path: '/', host: host(ids.open!) })).json();
    assert.equal(event.queryStringParameters, undefined);
    assert.equal(event.body, undefined);
    assert.equal(event.cookies, undefined);
    assert.equal(event.isBase64Encoded, false);
  });

  test('the path-style fallback reaches the same URL on the main port', async () => {
    const res = await fetch(`${server.url}/_lambkin/url/${ids.open}/some/where?x=1`);
    assert.equal(res.status, 200);
    const event = (await res.json()) as Record<string, any>;
    assert.equal(event.rawPath, '/some/where');
    assert.equal(event.requestContext.apiId, ids.open);
  });

  test('curl reaches the host-style name (curl resolves *.localhost itself)', async () => {
    const { stdout } = await run('curl', ['-s', '-D', '-', `http://${host(ids.open!)}/plain`]);
    assert.match(stdout, /^HTTP\/1\.1 200/);
    assert.match(stdout, /content-type: application\/json/i);
    assert.match(stdout, /\r\n\r\nhello$/);
  });

  test('binary bodies are base64 both ways', async () => {
    const bytes = Buffer.from([0, 1, 2, 3, 254, 255]);
    const res = await doorRequest(port, { method: 'POST', path: '/echo-binary', host: host(ids.open!), headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, bytes);
    const echoed = (await doorRequest(port, { method: 'POST', path: '/', host: host(ids.open!), headers: { 'content-type': 'image/png' }, body: bytes })).json();
    assert.equal(echoed.isBase64Encoded, true);
    assert.equal(echoed.body, bytes.toString('base64'));
    const out = await doorRequest(port, { path: '/binary', host: host(ids.open!) });
    assert.deepEqual(out.body, Buffer.from([0, 1, 2, 250, 255]));
    assert.equal(out.headers['content-type'], 'application/octet-stream');
  });

  test('response mapping: full form with cookies, bare JSON values, a string as its text', async () => {
    const full = await doorRequest(port, { path: '/cookies', host: host(ids.open!) });
    assert.equal(full.status, 201);
    assert.equal(full.headers['x-custom'], 'yes');
    assert.deepEqual(full.headers['set-cookie'], ['a=1; Max-Age=60', 'b=2']);
    assert.equal(full.headers['content-type'], 'application/json');
    assert.equal(full.text(), 'made');
    const plain = await doorRequest(port, { path: '/plain', host: host(ids.open!) });
    assert.equal(plain.status, 200);
    assert.equal(plain.text(), 'hello');
    assert.equal(plain.headers['content-type'], 'application/json');
    assert.equal((await doorRequest(port, { path: '/number', host: host(ids.open!) })).text(), '3');
    assert.equal((await doorRequest(port, { path: '/object', host: host(ids.open!) })).text(), '{"hello":"world"}');
  });

  test('function errors, malformed answers and timeouts are 502; reserved concurrency 0 is 429', async () => {
    for (const path of ['/throw', '/malformed']) {
      const res = await doorRequest(port, { path, host: host(ids.open!) });
      assert.equal(res.status, 502, path);
      assert.equal(res.text(), 'Internal Server Error');
    }
    const slow = await doorRequest(port, { path: '/sleep', host: host(ids.slow!) });
    assert.equal(slow.status, 502);
    const throttled = await doorRequest(port, { path: '/', host: host(ids.throttled!) });
    assert.equal(throttled.status, 429);
    assert.deepEqual(throttled.json(), { Message: 'Rate Exceeded.' });
  });

  test('AuthType NONE without the InvokeFunctionUrl permission is 403 as AWS', async () => {
    const res = await doorRequest(port, { path: '/', host: host(ids.denied!) });
    assert.equal(res.status, 403);
    assert.deepEqual(res.json(), { Message: FORBIDDEN });
    assert.equal(res.headers['x-amzn-errortype'], 'AccessDeniedException');
    await lambda.send(new AddPermissionCommand({
      FunctionName: 'door-denied', StatementId: 'iam-only', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'AWS_IAM',
    }));
    assert.equal((await doorRequest(port, { path: '/', host: host(ids.denied!) })).status, 403);
  });

  test('AWS_IAM needs a valid SigV4 signature and fills requestContext.authorizer.iam', async () => {
    assert.equal((await doorRequest(port, { path: '/', host: host(ids.iam!) })).status, 403);
    const bad = await signedDoorRequest(port, { path: '/', host: host(ids.iam!), secretAccessKey: 'wrong' });
    assert.equal(bad.status, 403);
    assert.deepEqual(bad.json(), { Message: FORBIDDEN });
    const ok = await signedDoorRequest(port, { method: 'POST', path: '/signed?q=1', host: host(ids.iam!), body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    assert.equal(ok.status, 200);
    const event = ok.json();
    assert.equal(event.requestContext.accountId, '000000000000');
    assert.equal(event.requestContext.authorizer.iam.accessKey, 'test');
    assert.equal(event.requestContext.authorizer.iam.accountId, '000000000000');
    // Another account needs the function's policy.
    const other = await signedDoorRequest(port, { path: '/', host: host(ids.iam!), accessKeyId: '111122223333' });
    assert.equal(other.status, 403);
  });

  test('CORS: preflight is answered by the platform; responses get the configured headers', async () => {
    const pre = await doorRequest(port, {
      method: 'OPTIONS', path: '/anything', host: host(ids.open!),
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-custom' },
    });
    assert.equal(pre.status, 200);
    assert.equal(pre.headers['access-control-allow-origin'], 'https://app.example');
    assert.equal(pre.headers['access-control-allow-methods'], 'GET,POST');
    assert.equal(pre.headers['access-control-allow-headers'], 'x-custom');
    assert.equal(pre.headers['access-control-max-age'], '300');
    assert.equal(pre.headers['access-control-allow-credentials'], 'true');
    assert.equal(pre.body.length, 0);
    const foreign = await doorRequest(port, { method: 'OPTIONS', path: '/', host: host(ids.open!), headers: { origin: 'https://other.example', 'access-control-request-method': 'GET' } });
    assert.equal(foreign.headers['access-control-allow-origin'], undefined);
    const actual = await doorRequest(port, { path: '/cors', host: host(ids.open!), headers: { origin: 'https://app.example' } });
    assert.equal(actual.text(), 'cors');
    assert.equal(actual.headers['access-control-allow-origin'], 'https://app.example');
    assert.equal(actual.headers['access-control-expose-headers'], 'x-custom');
  });

  test('a URL on an alias invokes the alias version; unknown URL ids are 404', async () => {
    const res = await doorRequest(port, { path: '/', host: host(ids.alias!) });
    assert.equal(res.status, 200);
    assert.equal((await doorRequest(port, { path: '/', host: host('nosuchurlid') })).status, 404);
  });
});
