import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import AdmZip from 'adm-zip';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateFunctionCommand, InvokeCommand, UpdateFunctionConfigurationCommand, GetFunctionConfigurationCommand, PublishLayerVersionCommand, PutFunctionConcurrencyCommand,
  TooManyRequestsException, waitUntilFunctionActiveV2,
  type InvokeCommandOutput, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { INIT_TIMEOUT_MS } from '../src/engine/limits.js';
import { startTestServer, type TestServer } from './support/server.js';
import { ROLE } from './support/zip.js';

function zipOf(files: Record<string, { text: string; mode?: number }>): Uint8Array {
  const zip = new AdmZip();
  for (const [name, f] of Object.entries(files)) {
    zip.addFile(name, Buffer.from(f.text));
    // Unix mode in the high bits of the external attributes, as `zip` writes it.
    zip.getEntry(name)!.header.attr = ((f.mode ?? 0o644) | 0o100000) * 0x10000;
  }
  return new Uint8Array(zip.toBuffer());
}

/**
 * An external extension: registers for INVOKE and SHUTDOWN, appends every INVOKE's requestId to
 * ext.log in /tmp (the function reads it back), and subscribes to the Telemetry API, forwarding
 * each platform.report it receives into reports.log. Both use the environment's temporary
 * directory as Node finds it: /tmp in the sandbox, TMPDIR (a private one) in plain mode.
 */
const LOGGER_EXT = `#!/usr/bin/env node
const http = require('node:http');
const fs = require('node:fs');
// TMPDIR where it is set (plain mode's private /tmp), else /tmp.
const T = require('node:os').tmpdir();
const api = process.env.AWS_LAMBDA_RUNTIME_API;
const call = (method, path, headers, body) => new Promise((resolve, reject) => {
  const req = http.request({ host: api.split(':')[0], port: api.split(':')[1], path, method, headers }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
  });
  req.on('error', reject);
  req.end(body);
});
(async () => {
  const listener = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      for (const e of JSON.parse(Buffer.concat(chunks).toString())) {
        if (e.type === 'platform.report') fs.appendFileSync(T + '/reports.log', JSON.stringify(e.record) + '\\n');
        if (e.type === 'function') fs.appendFileSync(T + '/function-lines.log', e.record + '\\n');
      }
      res.end();
    });
  });
  await new Promise((r) => listener.listen(0, '127.0.0.1', r));
  const reg = await call('POST', '/2020-01-01/extension/register', { 'Lambda-Extension-Name': 'logger-ext' }, JSON.stringify({ events: ['INVOKE', 'SHUTDOWN'] }));
  const id = reg.headers['lambda-extension-identifier'];
  fs.writeFileSync(T + '/register.json', reg.body);
  const sub = await call('PUT', '/2022-07-01/telemetry', { 'Lambda-Extension-Identifier': id }, JSON.stringify({
    schemaVersion: '2022-12-13', types: ['platform', 'function'], buffering: { maxItems: 1000, maxBytes: 262144, timeoutMs: 25 },
    destination: { protocol: 'HTTP', URI: 'http://sandbox.localdomain:' + listener.address().port + '/telemetry' },
  }));
  const bad = await call('PUT', '/2022-07-01/telemetry', { 'Lambda-Extension-Identifier': id }, JSON.stringify({ schemaVersion: '2022-12-13', types: ['nope'] }));
  fs.writeFileSync(T + '/subscribe.json', JSON.stringify({ status: sub.status, body: sub.body, badStatus: bad.status }));
  for (;;) {
    const next = await call('GET', '/2020-01-01/extension/event/next', { 'Lambda-Extension-Identifier': id });
    const event = JSON.parse(next.body);
    if (event.eventType === 'INVOKE') fs.appendFileSync(T + '/ext.log', event.requestId + ' ' + event.tracing.type + ' ' + (next.headers['lambda-extension-event-identifier'] ? 'evid' : 'none') + '\\n');
    if (event.eventType === 'SHUTDOWN' && process.env.SHUTDOWN_SINK) {
      // The test's sink is a host loopback port the server lets functions reach: report the event, then acknowledge it.
      const sink = new URL(process.env.SHUTDOWN_SINK);
      await new Promise((resolve) => http.request({ host: sink.hostname, port: sink.port, method: 'POST' }, (res) => res.resume().on('end', resolve)).end(next.body));
    }
  }
})();
`;

const FUNCTION = `const fs = require('node:fs');
const T = require('node:os').tmpdir();
const read = (f) => { try { return fs.readFileSync(f, 'utf8'); } catch { return null; } };
const has = (f, text) => (read(f) ?? '').includes(text);
exports.handler = async (event, context) => {
  // The extension appends this invocation's INVOKE event while the handler runs, and telemetry
  // (batched every 25 ms) brings the previous invocation's report: wait for what the test names,
  // by what happened rather than by time (at most 10 s, then the test's asserts say what is missing).
  const deadline = Date.now() + 10000;
  while (event.waitFor && Date.now() < deadline && !(has(T + '/ext.log', context.awsRequestId) && has(T + '/reports.log', event.waitFor))) {
    await new Promise((r) => setTimeout(r, 20));
  }
  console.log('hello from ' + context.awsRequestId);
  return { requestId: context.awsRequestId, ext: read(T + '/ext.log'), reports: read(T + '/reports.log'), lines: read(T + '/function-lines.log'),
    register: read(T + '/register.json'), subscribe: read(T + '/subscribe.json') };
};`;

/** Probes the Extensions API from inside the runtime process: internal extensions and refusals. */
const PROBE = `import http from 'node:http';
const api = process.env.AWS_LAMBDA_RUNTIME_API;
const call = (method, path, headers, body) => new Promise((resolve, reject) => {
  const req = http.request({ host: api.split(':')[0], port: api.split(':')[1], path, method, headers }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve({ status: res.statusCode, id: res.headers['lambda-extension-identifier'], body: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
  });
  req.on('error', reject);
  req.end(body);
});
// Internal extensions register during Init, from the runtime process, before it asks for work.
const one = await call('POST', '/2020-01-01/extension/register', { 'Lambda-Extension-Name': 'internal-one' }, JSON.stringify({ events: ['INVOKE'] }));
const shutdownRefused = await call('POST', '/2020-01-01/extension/register', { 'Lambda-Extension-Name': 'internal-two' }, JSON.stringify({ events: ['SHUTDOWN'] }));
const badEvent = await call('POST', '/2020-01-01/extension/register', { 'Lambda-Extension-Name': 'internal-three' }, JSON.stringify({ events: ['BOGUS'] }));
let invokes = 0;
(async () => {
  for (;;) {
    const next = await call('GET', '/2020-01-01/extension/event/next', { 'Lambda-Extension-Identifier': one.id });
    if (next.body.eventType === 'INVOKE') invokes++;
  }
})();
export const handler = async () => ({
  registered: one.status, registerBody: one.body, invokes,
  shutdownRefused: { status: shutdownRefused.status, body: shutdownRefused.body },
  badEvent: { status: badEvent.status, body: badEvent.body },
  lateRegister: await call('POST', '/2020-01-01/extension/register', { 'Lambda-Extension-Name': 'late' }, JSON.stringify({ events: ['INVOKE'] })),
  missingId: await call('GET', '/2020-01-01/extension/event/next', {}),
  unknownId: await call('GET', '/2020-01-01/extension/event/next', { 'Lambda-Extension-Identifier': '00000000-0000-4000-8000-000000000000' }),
  badSubscription: await call('PUT', '/2022-07-01/telemetry', { 'Lambda-Extension-Identifier': one.id }, JSON.stringify({ schemaVersion: '2022-12-13', types: ['platform'], destination: { protocol: 'HTTP', URI: 'http://example.com:80/' } })),
});`;

const json = (out: InvokeCommandOutput) => JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as Record<string, any>;

describe('Extensions API and Telemetry API', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let sink: Server;
  const shutdowns: Array<Record<string, any>> = [];
  let onShutdown: () => void = () => undefined;

  before(async () => {
    sink = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        shutdowns.push(JSON.parse(Buffer.concat(chunks).toString()) as Record<string, any>);
        res.end();
        onShutdown();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    // A sandbox in its own network namespace reaches the host's loopback only on ports allowed by name.
    server = await startTestServer({ LAMBKIN_FUNCTION_HOST_PORTS: String((sink.address() as AddressInfo).port) });
    lambda = server.lambda();
    const layer = await lambda.send(new PublishLayerVersionCommand({
      LayerName: 'logger-ext', Content: { ZipFile: zipOf({ 'extensions/logger-ext': { text: LOGGER_EXT, mode: 0o755 } }) },
    }));
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'with-ext', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 10,
      Environment: { Variables: { SHUTDOWN_SINK: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/` } },
      Code: { ZipFile: zipOf({ 'index.js': { text: FUNCTION } }) }, Layers: [layer.LayerVersionArn!],
    }));
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'ext-probe', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zipOf({ 'index.mjs': { text: PROBE } }) },
    }));
    for (const FunctionName of ['with-ext', 'ext-probe']) await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName });
    // One environment at most: an invoke that arrives while the extension still works on the previous
    // event is throttled (and retried below) instead of starting a second environment with its own /tmp.
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'with-ext', ReservedConcurrentExecutions: 1 }));
  });
  after(async () => {
    await server.stop();
    sink.close();
  });

  const invoke = async (FunctionName: string, event: unknown = {}) => {
    let out: InvokeCommandOutput;
    for (let attempt = 1; ; attempt++) {
      try {
        out = await lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from(JSON.stringify(event)) }));
        break;
      } catch (err) {
        if (!(err instanceof TooManyRequestsException) || attempt === 50) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? new Uint8Array()).toString());
    return json(out);
  };

  test('an external extension from /opt/extensions registers, receives INVOKE events and telemetry', async () => {
    const first = await invoke('with-ext');
    // Init waited for the extension: it registered and subscribed before the first event.
    assert.deepEqual(JSON.parse(first.register), { functionName: 'with-ext', functionVersion: '$LATEST', handler: 'index.handler' });
    assert.deepEqual(JSON.parse(first.subscribe), { status: 200, body: 'OK', badStatus: 400 });
    // The INVOKE event reached the extension before the handler ran or just after; the next invoke
    // waits for the extension to finish with it, so by then it is on file.
    const second = await invoke('with-ext', { waitFor: first.requestId });
    assert.ok(second.ext, `the second invoke ran where the first did: ${JSON.stringify({ first, second })}`);
    const lines = (second.ext as string).trim().split('\n');
    assert.ok(lines.includes(`${first.requestId} X-Amzn-Trace-Id evid`), second.ext);
    assert.ok(lines.includes(`${second.requestId} X-Amzn-Trace-Id evid`), second.ext);
    const reports = (second.reports as string).trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    const report = reports.find((r) => r.requestId === first.requestId);
    assert.ok(report, second.reports);
    assert.equal(report.status, 'success');
    assert.equal(report.metrics.memorySizeMB, 128);
    assert.ok(report.metrics.durationMs >= 0 && report.metrics.billedDurationMs >= 1 && report.metrics.maxMemoryUsedMB > 0, JSON.stringify(report));
    assert.equal(typeof report.metrics.initDurationMs, 'number', 'cold start reports initDurationMs');
    assert.ok((second.lines as string).includes(`hello from ${first.requestId}`), 'function log lines are delivered');
  });

  test('the time extensions work after the runtime responded is the PostRuntimeExtensionsDuration metric', async () => {
    // The test before invoked with-ext twice; each invocation's extension time is recorded once.
    const cw = new CloudWatchClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    let point: { SampleCount?: number; Minimum?: number; Maximum?: number } | undefined;
    for (let i = 0; i < 50 && (point?.SampleCount ?? 0) < 2; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      const out = await cw.send(new GetMetricStatisticsCommand({
        Namespace: 'AWS/Lambda', MetricName: 'PostRuntimeExtensionsDuration', Dimensions: [{ Name: 'FunctionName', Value: 'with-ext' }],
        StartTime: new Date(Date.now() - 600_000), EndTime: new Date(Date.now() + 60_000), Period: 3600, Statistics: ['SampleCount', 'Minimum', 'Maximum'],
      }));
      point = out.Datapoints?.[0];
    }
    assert.ok((point?.SampleCount ?? 0) >= 2, JSON.stringify(point));
    assert.ok(point!.Minimum! >= 0 && point!.Maximum! < 10_000, JSON.stringify(point));
  });

  test('retiring an environment sends SHUTDOWN (spindown) to its extensions, with a 2 s deadline', async () => {
    await invoke('with-ext');
    const received = new Promise<void>((resolve) => (onShutdown = resolve));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'with-ext', Description: 'new revision' }));
    while ((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'with-ext' }))).LastUpdateStatus !== 'Successful') {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const started = Date.now();
    const fresh = await invoke('with-ext'); // a new revision retires the idle environment
    await received;
    assert.ok(fresh.ext === null || fresh.ext === `${fresh.requestId} X-Amzn-Trace-Id evid\n`, `a fresh environment has a fresh /tmp: ${fresh.ext}`);
    const event = shutdowns.at(-1)!;
    assert.equal(event.eventType, 'SHUTDOWN');
    assert.equal(event.shutdownReason, 'spindown');
    assert.ok(event.deadlineMs > started && event.deadlineMs <= Date.now() + 2_000, JSON.stringify(event));
  });

  test('internal extensions register during Init; registration then closes; identifiers and bodies are checked', async () => {
    const out = await invoke('ext-probe');
    assert.equal(out.registered, 200);
    assert.deepEqual(out.registerBody, { functionName: 'ext-probe', functionVersion: '$LATEST', handler: 'index.handler' });
    assert.deepEqual(out.shutdownRefused, { status: 403, body: { errorMessage: 'SHUTDOWN: ShutdownEventNotSupportedForInternalExtension', errorType: 'Extension.InvalidEventType' } });
    assert.equal(out.badEvent.status, 403);
    assert.equal(out.badEvent.body.errorType, 'Extension.InvalidEventType');
    assert.equal(out.lateRegister.status, 403);
    assert.equal(out.lateRegister.body.errorType, 'Extension.RegistrationClosed');
    assert.equal(out.missingId.status, 403);
    assert.equal(out.missingId.body.errorType, 'Extension.MissingExtensionIdentifier');
    assert.equal(out.unknownId.status, 403);
    assert.equal(out.unknownId.body.errorType, 'Extension.UnknownExtensionIdentifier');
    assert.equal(out.badSubscription.status, 400, 'destinations outside the sandbox are refused');
    // The internal extension's INVOKE arrives as the handler starts; the second invoke sees it counted.
    const again = await invoke('ext-probe');
    assert.ok(again.invokes >= 1, JSON.stringify(again));
  });
});

/**
 * Extensions that end: one exits with status 3 before registering; the other registers for INVOKE
 * and is killed by SIGSEGV when its first INVOKE arrives, while the handler still runs.
 */
const EXITS_EARLY = '#!/bin/sh\nexit 3\n';
const DIES_ON_INVOKE = `#!/usr/bin/env node
const http = require('node:http');
const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const call = (method, path, headers, body) => new Promise((resolve, reject) => {
  const req = http.request({ host, port, path, method, headers }, (res) => { res.resume(); res.on('end', () => resolve(res.headers)); });
  req.on('error', reject);
  req.end(body);
});
(async () => {
  const headers = await call('POST', '/2020-01-01/extension/register', { 'Lambda-Extension-Name': 'dies-on-invoke' }, JSON.stringify({ events: ['INVOKE'] }));
  await call('GET', '/2020-01-01/extension/event/next', { 'Lambda-Extension-Identifier': headers['lambda-extension-identifier'] });
  process.kill(process.pid, 'SIGSEGV');
})();
`;

describe('an external extension that ends takes its environment down (Extension.Crash)', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    const functions: Record<string, string> = { 'exits-early': EXITS_EARLY, 'dies-on-invoke': DIES_ON_INVOKE };
    for (const [name, text] of Object.entries(functions)) {
      const layer = await lambda.send(new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: zipOf({ [`extensions/${name}`]: { text, mode: 0o755 } }) } }));
      await lambda.send(new CreateFunctionCommand({
        FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 10, Layers: [layer.LayerVersionArn!],
        Code: { ZipFile: zipOf({ 'index.js': { text: 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 500)); return "ran"; };\n' } }) },
      }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
    }
  });
  after(() => server.stop());

  const invoke = (FunctionName: string) => lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from('{}'), LogType: 'Tail' }));

  test('exiting before registering fails Init at once, not at the Init timeout', async () => {
    const out = await invoke('exits-early');
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(json(out), { errorType: 'Extension.Crash', errorMessage: `RequestId: ${out.$metadata.requestId} Error: exit status 3` });
    // Both Init attempts ended by the exit (Status: error), none by the Init timer (Status: timeout),
    // each inside the Init budget.
    const reports = [...Buffer.from(out.LogResult ?? '', 'base64').toString().matchAll(/^INIT_REPORT Init Duration: ([\d.]+) ms\tPhase: (\w+)\tStatus: (\w+)(?:\tError Type: (\S+))?$/gm)];
    assert.deepEqual(reports.map((r) => [r[2], r[3], r[4]]), [['init', 'error', 'Extension.Crash'], ['invoke', 'error', 'Extension.Crash']]);
    for (const r of reports) assert.ok(Number(r[1]) < INIT_TIMEOUT_MS, r[0]);
  });

  test('dying during an invocation fails that invocation; the next one gets a new environment', async () => {
    const out = await invoke('dies-on-invoke');
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(json(out), { errorType: 'Extension.Crash', errorMessage: `RequestId: ${out.$metadata.requestId} Error: signal: segmentation fault` });
    const again = await invoke('dies-on-invoke');
    assert.equal(again.FunctionError, 'Unhandled', 'the new environment\'s extension dies on its first INVOKE too');
    assert.equal(json(again).errorType, 'Extension.Crash');
  });
});
