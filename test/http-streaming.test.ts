import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import {
  AddPermissionCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, InvokeCommand, InvokeWithResponseStreamCommand, waitUntilFunctionActiveV2, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, NODE_HANDLER_ZIP, ROLE } from './support/zip.js';
import { doorRequest } from './support/http-doors.js';

const STREAMING_ZIP = makeZip({
  'index.js': `
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const path = event.rawPath || '/';
  if (path === '/plain') {
    responseStream.setContentType('text/plain');
    responseStream.write('first');
    await sleep(400);
    responseStream.write('second');
    responseStream.end();
    return;
  }
  if (path === '/fail-early') throw new Error('before any byte');
  const out = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'content-type': 'text/plain', 'x-s': '1' }, cookies: ['s=1'] });
  out.write('first');
  await sleep(400);
  out.write('second');
  out.end();
});
`,
});

/** Handlers that speak the Runtime API themselves, to reach its streaming-mode refusals. */
const RAW_RUNTIME_ZIP = makeZip({
  'index.js': `
const http = require('node:http');
const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
exports.handler = (event, context) => new Promise((resolve) => {
  const headers = event.mode === 'bad'
    ? { 'lambda-runtime-function-response-mode': 'sideways', 'content-type': 'text/plain' }
    : { 'lambda-runtime-function-response-mode': 'streaming', 'transfer-encoding': 'chunked' };
  const req = http.request({ host, port, method: 'POST', path: '/2018-06-01/runtime/invocation/' + context.awsRequestId + '/response', headers }, (res) => {
    let body = '';
    res.on('data', (c) => (body += c));
    res.on('end', () => resolve({ status: res.statusCode, body }));
  });
  // Answer only once the platform has surely seen the cut stream, so it is what the invoke reports.
  req.on('error', () => setTimeout(() => resolve('cut'), 500));
  if (event.mode === 'bad') return req.end('x');
  req.write('partial');
  setTimeout(() => req.destroy(), 100);
});
`,
});

interface Chunked {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  chunks: string[];
}

/** Records each body chunk as it arrives, to tell a stream from a buffered answer. */
function chunkedRequest(port: number, path: string, host: string): Promise<Chunked> {
  return new Promise((resolve, reject) => {
    const req = request({ hostname: '127.0.0.1', port, path, headers: { host } }, (res) => {
      const chunks: string[] = [];
      res.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, chunks }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('response streaming', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let port: number;
  const hosts: Record<string, string> = {};

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    port = server.lambkin.port;
    for (const [name, mode] of [['stream-on', 'RESPONSE_STREAM'], ['stream-off', 'BUFFERED']] as const) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: STREAMING_ZIP }, Timeout: 30 }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
      const url = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE', InvokeMode: mode }));
      await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }));
      hosts[name] = new URL(url.FunctionUrl!).host;
    }
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'raw-runtime', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: RAW_RUNTIME_ZIP }, Timeout: 30 }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'raw-runtime' });
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'buffered-fn', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP }, Timeout: 30 }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'buffered-fn' });
  });

  async function streamed(functionName: string, payload: string, logType?: 'Tail') {
    const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: functionName, Payload: Buffer.from(payload), LogType: logType }));
    const chunks: string[] = [];
    let complete: Record<string, unknown> | undefined;
    for await (const event of out.EventStream!) {
      if (event.PayloadChunk) chunks.push(Buffer.from(event.PayloadChunk.Payload ?? []).toString('utf8'));
      if (event.InvokeComplete) complete = event.InvokeComplete as Record<string, unknown>;
    }
    return { out, chunks, complete };
  }
  after(() => server.stop());

  test('RESPONSE_STREAM sends the prelude status, headers and cookies, then chunks as written', async () => {
    const res = await chunkedRequest(port, '/http', hosts['stream-on']!);
    assert.equal(res.status, 201);
    assert.equal(res.headers['content-type'], 'text/plain');
    assert.equal(res.headers['x-s'], '1');
    assert.deepEqual(res.headers['set-cookie'], ['s=1']);
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    assert.equal(res.chunks[0], 'first');
    assert.equal(res.chunks.join(''), 'firstsecond');
  });

  test('a plain stream keeps its content type and streams too', async () => {
    const res = await chunkedRequest(port, '/plain', hosts['stream-on']!);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/plain');
    assert.equal(res.chunks[0], 'first');
    assert.equal(res.chunks.join(''), 'firstsecond');
  });

  test('BUFFERED collects the same stream and answers once with a content length', async () => {
    const res = await chunkedRequest(port, '/http', hosts['stream-off']!);
    assert.equal(res.status, 201);
    assert.equal(res.headers['content-length'], '11');
    assert.equal(res.headers['x-s'], '1');
    assert.deepEqual(res.chunks, ['firstsecond']);
  });

  test('a streaming handler that fails before writing is a 502', async () => {
    const res = await doorRequest(port, { path: '/fail-early', host: hosts['stream-on']! });
    assert.equal(res.status, 502);
  });

  test('a synchronous Invoke of a streaming function gets the whole stream', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'stream-on', Payload: Buffer.from('{"rawPath":"/plain"}') }));
    assert.equal(out.FunctionError, undefined);
    assert.equal(Buffer.from(out.Payload ?? []).toString(), 'firstsecond');
  });

  test('InvokeWithResponseStream: PayloadChunk events as written, then InvokeComplete', async () => {
    const { out, chunks, complete } = await streamed('stream-on', '{"rawPath":"/plain"}', 'Tail');
    assert.equal(out.StatusCode, 200);
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.deepEqual(chunks, ['first', 'second']);
    assert.equal(complete?.ErrorCode, undefined);
    assert.match(Buffer.from(String(complete?.LogResult), 'base64').toString(), /REPORT RequestId/);
  });

  test('InvokeWithResponseStream of a buffered function sends one chunk; a failure is reported in InvokeComplete', async () => {
    const plain = await streamed('buffered-fn', '{"a":1}');
    assert.equal(plain.chunks.length, 1);
    assert.deepEqual(JSON.parse(plain.chunks[0]!), { ok: true, event: { a: 1 } });
    const failed = await streamed('stream-on', '{"rawPath":"/fail-early"}');
    assert.deepEqual(failed.chunks, []);
    assert.equal(failed.complete?.ErrorCode, 'Error');
    assert.match(String(failed.complete?.ErrorDetails), /before any byte/);
  });

  test('Runtime API: an unknown response mode is refused and fails the invoke with Runtime.InvalidResponseModeHeader', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'raw-runtime', Payload: Buffer.from('{"mode":"bad"}') }));
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(JSON.parse(Buffer.from(out.Payload ?? []).toString()).errorType, 'Runtime.InvalidResponseModeHeader');
  });

  test('Runtime API: a stream cut before it completes is Runtime.TruncatedResponse', async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'raw-runtime', Payload: Buffer.from('{"mode":"cut"}') }));
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(JSON.parse(Buffer.from(out.Payload ?? []).toString()).errorType, 'Runtime.TruncatedResponse');
  });
});
