import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, waitUntilFunctionActiveV2, type CreateFunctionCommandInput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { readLogEvents } from '../src/observability/function-log-reader.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

// python3.12 runs on the host's python3.12, or python3 when that is missing (see RuntimeCatalog).
const PYTHON = 'python3.12';
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const NODE_JS = `console.info('init info');
console.warn('init warn');
exports.handler = async (event, context) => {
  console.log('dropped log');
  console.info('dropped info');
  console.debug('dropped debug');
  console.trace('dropped trace');
  console.warn('careful', 42);
  console.error(new TypeError('bad input'));
  console.warn({ nested: { a: 1 } });
  console.error('wrapped', new RangeError('out of range'));
  console.fatal('the end\\nof the world');
  if (event.fail) throw new Error('it failed');
  if (event.sleep) await new Promise((r) => setTimeout(r, 3000));
  return { format: process.env.AWS_LAMBDA_LOG_FORMAT ?? null, level: process.env.AWS_LAMBDA_LOG_LEVEL ?? null };
};
`;

const PYTHON_PY = `import logging
import os

logger = logging.getLogger("app")


def handler(event, context):
    print("plain print")
    logger.info("dropped info")
    logger.debug("dropped debug")
    logger.warning("careful %s", 42, extra={"orderId": "o-1"})
    try:
        raise ValueError("bad value")
    except ValueError:
        logger.exception("caught")
    if event.get("fail"):
        raise KeyError("missing")
    return {"format": os.environ.get("AWS_LAMBDA_LOG_FORMAT"), "level": os.environ.get("AWS_LAMBDA_LOG_LEVEL")}
`;

const JSON_WARN = { LogFormat: 'JSON' as const, ApplicationLogLevel: 'WARN' as const, SystemLogLevel: 'INFO' as const };

type Line = Record<string, any>;

describe('JSON log format (LoggingConfig.LogFormat JSON)', () => {
  let server: TestServer;
  let lambda: LambdaClient;

  const invoke = async (FunctionName: string, event: Record<string, unknown> = {}) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }));
    return {
      id: out.$metadata.requestId!,
      payload: JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString()) as Record<string, any>,
      error: out.FunctionError,
      tail: Buffer.from(out.LogResult ?? '', 'base64').toString('utf8'),
    };
  };
  /** Every line of a JSON-format log is a JSON object (print() aside, which tests pick out themselves). */
  const parsed = (tail: string): Line[] => tail.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
  const platform = (lines: Line[], type: string) => lines.filter((l) => l.type === type);

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    const functions: Array<Omit<CreateFunctionCommandInput, 'Role'>> = [
      { FunctionName: 'node-json', Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: makeZip({ 'index.js': NODE_JS }) }, LoggingConfig: JSON_WARN },
      { FunctionName: 'node-json-24', Runtime: 'nodejs24.x', Handler: 'index.handler', Code: { ZipFile: makeZip({ 'index.js': NODE_JS }) }, LoggingConfig: JSON_WARN },
      {
        FunctionName: 'node-json-debug', Runtime: 'nodejs22.x', Handler: 'index.handler', Timeout: 1, Code: { ZipFile: makeZip({ 'index.js': NODE_JS }) },
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'TRACE', SystemLogLevel: 'DEBUG' },
      },
      {
        FunctionName: 'node-json-quiet', Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: makeZip({ 'index.js': NODE_JS }) },
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'ERROR', SystemLogLevel: 'WARN' },
      },
      { FunctionName: 'node-json-default', Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: makeZip({ 'index.js': NODE_JS }) }, LoggingConfig: { LogFormat: 'JSON' } },
      { FunctionName: 'node-text', Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: makeZip({ 'index.js': NODE_JS }) } },
      { FunctionName: 'python-json', Runtime: PYTHON, Handler: 'app.handler', Code: { ZipFile: makeZip({ 'app.py': PYTHON_PY }) }, LoggingConfig: JSON_WARN },
      { FunctionName: 'python-text', Runtime: PYTHON, Handler: 'app.handler', Code: { ZipFile: makeZip({ 'app.py': PYTHON_PY }) } },
    ];
    await Promise.all(
      functions.map(async (fn) => {
        await lambda.send(new CreateFunctionCommand({ ...fn, Role: ROLE }));
        await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: fn.FunctionName! });
      }),
    );
  });
  after(() => server.stop());

  test('Node: AWS_LAMBDA_LOG_FORMAT/LEVEL set, console calls below WARN dropped, the rest one JSON object each', async () => {
    const out = await invoke('node-json');
    assert.equal(out.error, undefined);
    assert.deepEqual(out.payload, { format: 'JSON', level: 'WARN' });
    assert.doesNotMatch(out.tail, /dropped|init info/);
    assert.doesNotMatch(out.tail, /^(START|END|REPORT) RequestId/m);
    const lines = out.tail.split('\n').filter((l) => l !== '');
    assert.ok(lines.every((l) => l.startsWith('{')), out.tail);
    const app = parsed(out.tail).filter((l) => l.level);

    // Init output has no request id yet: AWS's client leaves the field out.
    assert.deepEqual(Object.keys(app[0]!), ['timestamp', 'level', 'message']);
    assert.equal(app[0]!.message, 'init warn');

    const [warn, error, object, wrapped, fatal] = app.slice(1);
    assert.match(warn!.timestamp, ISO_MS);
    assert.deepEqual({ ...warn, timestamp: undefined }, { timestamp: undefined, level: 'WARN', requestId: out.id, message: 'careful 42' });
    assert.equal(error!.level, 'ERROR');
    assert.equal(error!.requestId, out.id);
    assert.equal(error!.message.errorType, 'TypeError');
    assert.equal(error!.message.errorMessage, 'bad input');
    assert.equal(error!.message.stackTrace[0], 'TypeError: bad input');
    assert.deepEqual(object!.message, { nested: { a: 1 } });
    assert.equal(wrapped!.message.split('\n')[0], 'wrapped RangeError: out of range');
    assert.equal(wrapped!.errorType, 'RangeError');
    assert.equal(wrapped!.errorMessage, 'out of range');
    assert.ok(Array.isArray(wrapped!.stackTrace));
    assert.deepEqual({ level: fatal!.level, message: fatal!.message }, { level: 'FATAL', message: 'the end\nof the world' });
  });

  test('Node: platform.start and platform.report in the Tail log instead of START/END/REPORT', async () => {
    const cold = await invoke('node-json-default');
    assert.deepEqual(cold.payload, { format: 'JSON', level: 'INFO' }, 'ApplicationLogLevel defaults to INFO');
    const warm = await invoke('node-json-default');
    for (const [out, isCold] of [[cold, true], [warm, false]] as const) {
      const lines = parsed(out.tail);
      const [start] = platform(lines, 'platform.start');
      assert.match(start!.time, ISO_MS);
      assert.deepEqual(start!.record, { requestId: out.id, version: '$LATEST' });
      const [report] = platform(lines, 'platform.report');
      assert.equal(lines.indexOf(start!) < lines.indexOf(report!), true);
      assert.deepEqual(Object.keys(report!.record), ['requestId', 'metrics', 'status']);
      assert.equal(report!.record.requestId, out.id);
      assert.equal(report!.record.status, 'success');
      const m = report!.record.metrics;
      assert.deepEqual(Object.keys(m), ['durationMs', 'billedDurationMs', 'memorySizeMB', 'maxMemoryUsedMB', ...(isCold ? ['initDurationMs'] : [])]);
      assert.equal(m.memorySizeMB, 128);
      assert.ok(Number.isInteger(m.billedDurationMs) && m.billedDurationMs >= Math.ceil(m.durationMs + (m.initDurationMs ?? 0)));
      assert.equal(platform(lines, 'platform.runtimeDone').length, 0, 'runtimeDone is DEBUG');
      // SystemLogLevel INFO and ApplicationLogLevel INFO: console.info shows, debug does not.
      assert.ok(lines.some((l) => l.level === 'INFO' && l.message === 'dropped info'));
      assert.ok(!lines.some((l) => l.level === 'DEBUG'));
    }
  });

  test('Node: a handler error is logged as the error object at ERROR; report carries the status', async () => {
    const out = await invoke('node-json', { fail: true });
    assert.equal(out.error, 'Unhandled');
    assert.doesNotMatch(out.tail, /Invoke Error/);
    const lines = parsed(out.tail);
    const invokeError = lines.find((l) => l.level === 'ERROR' && l.message?.errorMessage === 'it failed');
    assert.ok(invokeError, out.tail);
    assert.equal(invokeError.requestId, out.id);
    assert.equal(invokeError.message.errorType, 'Error');
    assert.equal(invokeError.message.stackTrace[0], 'Error: it failed');
    assert.equal(platform(lines, 'platform.report')[0]!.record.status, 'error');
  });

  test('Node 24 (aws-lambda-ric 4) logs the same JSON', async () => {
    const out = await invoke('node-json-24');
    assert.deepEqual(out.payload, { format: 'JSON', level: 'WARN' });
    const app = parsed(out.tail).filter((l) => l.level);
    assert.deepEqual(app.map((l) => l.level), ['WARN', 'WARN', 'ERROR', 'WARN', 'ERROR', 'FATAL']);
    assert.equal(app[4]!.errorType, 'RangeError');
  });

  test('SystemLogLevel DEBUG adds the runtimeDone events; a timeout is in the report, not a text line', async () => {
    const cold = await invoke('node-json-debug');
    let lines = parsed(cold.tail);
    assert.ok(lines.some((l) => l.level === 'TRACE' && l.message === 'dropped trace'), 'ApplicationLogLevel TRACE keeps everything');
    const [initDone] = platform(lines, 'platform.initRuntimeDone');
    assert.deepEqual(initDone!.record, { initializationType: 'on-demand', phase: 'init', status: 'success' });
    const [done] = platform(lines, 'platform.runtimeDone');
    assert.equal(done!.record.requestId, cold.id);
    assert.equal(done!.record.status, 'success');
    assert.equal(typeof done!.record.metrics.producedBytes, 'number');
    assert.ok(lines.indexOf(done!) < lines.indexOf(platform(lines, 'platform.report')[0]!));

    const timedOut = await invoke('node-json-debug', { sleep: true });
    assert.equal(timedOut.payload.errorType, 'Sandbox.Timedout');
    assert.doesNotMatch(timedOut.tail, /Task timed out/);
    lines = parsed(timedOut.tail);
    for (const type of ['platform.runtimeDone', 'platform.report']) {
      const [event] = platform(lines, type);
      assert.equal(event!.record.status, 'timeout', type);
      assert.equal(event!.record.errorType, 'Sandbox.Timedout', type);
    }
  });

  test('SystemLogLevel WARN writes no platform events; ApplicationLogLevel ERROR keeps only ERROR and FATAL', async () => {
    const out = await invoke('node-json-quiet');
    const lines = parsed(out.tail);
    assert.ok(lines.every((l) => l.type === undefined), out.tail);
    assert.deepEqual(lines.map((l) => l.level), ['ERROR', 'ERROR', 'FATAL']);
  });

  test('Python: logging writes JSON objects at WARN and above, print() stays plain text', async () => {
    const out = await invoke('python-json');
    assert.equal(out.error, undefined);
    assert.deepEqual(out.payload, { format: 'JSON', level: 'WARN' });
    assert.match(out.tail, /^plain print$/m);
    assert.doesNotMatch(out.tail, /dropped/);
    const app = parsed(out.tail).filter((l) => l.level);
    const [warning, exception] = app;
    assert.match(warning!.timestamp, ISO_MS);
    assert.deepEqual(warning, { timestamp: warning!.timestamp, level: 'WARNING', message: 'careful 42', logger: 'app', requestId: out.id, orderId: 'o-1' });
    assert.deepEqual(
      { level: exception!.level, message: exception!.message, errorType: exception!.errorType, errorMessage: exception!.errorMessage, requestId: exception!.requestId },
      { level: 'ERROR', message: 'caught', errorType: 'ValueError', errorMessage: 'bad value', requestId: out.id },
    );
    assert.match(exception!.stackTrace.join(''), /raise ValueError\("bad value"\)/);
    assert.match(exception!.location, /app\.py:handler:\d+$/);
    assert.equal(platform(parsed(out.tail), 'platform.start')[0]!.record.requestId, out.id);
    assert.equal(platform(parsed(out.tail), 'platform.report')[0]!.record.requestId, out.id);
  });

  test('Python: a handler error is one JSON line with the error document', async () => {
    const out = await invoke('python-json', { fail: true });
    assert.equal(out.error, 'Unhandled');
    const error = parsed(out.tail).find((l) => l.errorType === 'KeyError' && !l.logger);
    assert.ok(error, out.tail);
    assert.match(error.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.deepEqual(Object.keys(error), ['timestamp', 'level', 'errorMessage', 'errorType', 'requestId', 'stackTrace']);
    assert.equal(error.level, 'ERROR');
    assert.equal(error.requestId, out.id);
    assert.doesNotMatch(out.tail, /^\[ERROR\]/m);
  });

  test('the stored log stream holds the same JSON events, platform.initStart first', async () => {
    const { payload, id } = await invoke('python-json');
    assert.equal(payload.format, 'JSON');
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'python-json' }));
    const deadline = Date.now() + 3000;
    let messages: string[] = [];
    let stream = '';
    for (;;) {
      const events = await readLogEvents(server.lambkin.store, [{ accountId: '000000000000', region: 'us-east-1', name: '/aws/lambda/python-json' }]);
      messages = events.map((e) => e.message);
      stream = events[0]?.streamName ?? '';
      if (messages.some((m) => m.includes('"platform.report"') && m.includes(id))) break;
      if (Date.now() > deadline) assert.fail(`no report for ${id}: ${JSON.stringify(messages)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const initStart = JSON.parse(messages[0]!) as Line;
    assert.equal(initStart.type, 'platform.initStart');
    assert.deepEqual(initStart.record, {
      initializationType: 'on-demand', phase: 'init', runtimeVersion: 'python:3.12.v1', runtimeVersionArn: config.RuntimeVersionConfig?.RuntimeVersionArn,
      functionName: 'python-json', functionVersion: '$LATEST', instanceId: stream, instanceMaxMemory: 128 * 1024 * 1024,
    });
    assert.ok(messages.every((m) => m.endsWith('\n') && m.indexOf('\n') === m.length - 1), 'one line per event');
    assert.ok(messages.some((m) => m.startsWith('{"time"') && m.includes('"platform.start"') && m.includes(id)));
    assert.ok(messages.includes('plain print\n'));
  });

  test('Text format is unchanged: no JSON variables, tab-separated lines, START/END/REPORT', async () => {
    const node = await invoke('node-text');
    assert.deepEqual(node.payload, { format: null, level: null });
    assert.match(node.tail, new RegExp(`^START RequestId: ${node.id} Version: \\$LATEST\\n`, 'm'));
    assert.match(node.tail, new RegExp(`^\\d{4}-[\\d:T.-]+Z\\t${node.id}\\tINFO\\tdropped info\\n`, 'm'));
    assert.match(node.tail, new RegExp(`\\t${node.id}\\tWARN\\tcareful 42\\n`));
    assert.match(node.tail, new RegExp(`^END RequestId: ${node.id}\\nREPORT RequestId: ${node.id}\\tDuration: `, 'm'));
    assert.doesNotMatch(node.tail, /"platform\./);

    const python = await invoke('python-text');
    assert.deepEqual(python.payload, { format: null, level: null });
    assert.match(python.tail, new RegExp(`^\\[WARNING\\]\\t[\\d:T.-]+Z\\t${python.id}\\tcareful 42\\n`, 'm'));
    assert.match(python.tail, new RegExp(`^REPORT RequestId: ${python.id}\\t`, 'm'));
  });
});
