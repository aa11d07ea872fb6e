import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2, type InvokeCommandOutput, type LambdaClient, type Runtime,
} from '@aws-sdk/client-lambda';
import { RuntimeCatalog } from '../src/engine/runtimes/catalog.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

const rubyMissing = spawnSync('ruby', ['--version']).status !== 0;

const json = (out: InvokeCommandOutput) => JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as Record<string, any>;
const tail = (out: InvokeCommandOutput) => Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');

const PROBE = `require 'logger'
$count = 0
def handler(event:, context:)
  $count += 1
  raise ArgumentError, 'asked to fail' if event['fail']
  puts "line one\\nline two"
  Logger.new($stdout).info('from logger')
  {
    event: event, count: $count, contextClass: context.class.name,
    requestId: context.aws_request_id, functionName: context.function_name, functionVersion: context.function_version,
    arn: context.invoked_function_arn, memory: context.memory_limit_in_mb, logGroup: context.log_group_name,
    logStream: context.log_stream_name, deadlineMs: context.deadline_ms, remaining: context.get_remaining_time_in_millis,
    clientContext: context.client_context, identity: context.identity,
    executionEnv: ENV['AWS_EXECUTION_ENV'], gemPath: ENV['GEM_PATH'], rubyLib: ENV['RUBYLIB'], handlerEnv: ENV['_HANDLER'],
  }
end
`;

interface Fn { handler: string; files: Record<string, string>; runtime?: string; jsonLogs?: boolean }

const FUNCTIONS: Record<string, Fn> = {
  'rb-probe': { handler: 'app.handler', files: { 'app.rb': PROBE } },
  'rb-namespaced': {
    handler: 'lib/worker.Billing::Invoices.total',
    runtime: 'ruby3.4',
    files: { 'lib/worker.rb': 'module Billing\n  class Invoices\n    def self.total(event:, context:)\n      event["items"].sum\n    end\n  end\nend\n' },
  },
  'rb-custom-error': {
    handler: 'app.handler',
    files: { 'app.rb': 'class OrderRejected < StandardError; end\n\ndef handler(event:, context:)\n  raise OrderRejected, "order 7 is out of stock"\nend\n' },
  },
  'rb-missing-method': { handler: 'app.nothere', files: { 'app.rb': 'def handler(event:, context:)\n  1\nend\n' } },
  'rb-missing-file': { handler: 'nothere.handler', files: { 'app.rb': '' } },
  'rb-raises-at-load': { handler: 'app.handler', files: { 'app.rb': 'raise "no TABLE configured"\n' } },
  'rb-syntax': { handler: 'app.handler', files: { 'app.rb': 'def handler(event:, context:)\n  {\nend\n' } },
  'rb-bad-handler': { handler: 'app', files: { 'app.rb': '' } },
  'rb-json-logs': {
    handler: 'app.handler',
    jsonLogs: true,
    files: { 'app.rb': "require 'logger'\nLOG = Logger.new($stdout, progname: 'orders')\ndef handler(event:, context:)\n  LOG.debug('hidden below WARN')\n  LOG.warn('stock low')\n  LOG.error(ArgumentError.new('bad sku'))\n  1\nend\n" },
  },
  'rb-string-event': { handler: 'app.handler', files: { 'app.rb': 'def handler(event:, context:)\n  { cls: event.class.name, value: event }\nend\n' } },
};

describe('Ruby runtimes on the host ruby', { skip: rubyMissing ? 'ruby is not installed (Debian package ruby)' : false }, () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let isolation = '';
  const invoke = (FunctionName: string, payload: unknown = {}, extra: Record<string, unknown> = {}) =>
    lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from(JSON.stringify(payload)), ...extra }));
  const failed = async (name: string, payload: unknown = {}) => {
    const out = await invoke(name, payload);
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    return json(out);
  };

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    isolation = ((await (await fetch(`${server.url}/_lambkin/health`)).json()) as { isolation?: string }).isolation ?? '';
    await Promise.all(Object.entries(FUNCTIONS).map(([name, f]) => lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: (f.runtime ?? 'ruby3.3') as Runtime, Handler: f.handler, Role: ROLE, Timeout: 10,
      Code: { ZipFile: makeZip(f.files) },
      LoggingConfig: f.jsonLogs ? { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' } : undefined,
    }))));
    for (const name of Object.keys(FUNCTIONS)) await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
  });
  after(() => server.stop());

  test('file.method gets the event as a Hash and a LambdaContext with AWS readers', async () => {
    const clientContext = { custom: { tenant: 'blue' }, env: { locale: 'en_US' } };
    const started = Date.now();
    const out = await invoke('rb-probe', { order: 7, tags: ['a'] }, { ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64') });
    assert.equal(out.FunctionError, undefined, JSON.stringify(json(out)));
    const body = json(out);
    assert.deepEqual(body.event, { order: 7, tags: ['a'] });
    assert.equal(body.contextClass, 'LambdaContext');
    assert.equal(body.requestId, out.$metadata.requestId);
    assert.equal(body.functionName, 'rb-probe');
    assert.equal(body.functionVersion, '$LATEST');
    assert.equal(body.arn, 'arn:aws:lambda:us-east-1:000000000000:function:rb-probe');
    assert.equal(body.memory, '128');
    assert.equal(body.logGroup, '/aws/lambda/rb-probe');
    assert.match(body.logStream, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok(body.deadlineMs >= started + 9_000 && body.deadlineMs <= Date.now() + 10_000, String(body.deadlineMs));
    assert.ok(body.remaining > 8_000 && body.remaining <= 10_000, String(body.remaining));
    assert.deepEqual(body.clientContext, clientContext);
    assert.equal(body.identity, null);
    assert.equal(body.executionEnv, 'AWS_Lambda_ruby3.3');
    assert.equal(body.handlerEnv, 'app.handler');
    if (isolation === 'bubblewrap') {
      // AWS's paths verbatim, then (the trailing separator) RubyGems' default path: the host's gems.
      assert.equal(body.gemPath, '/var/task/vendor/bundle/ruby/3.3.0:/opt/ruby/gems/3.3.0:');
      assert.equal(body.rubyLib, '/var/task:/var/runtime/lib:/opt/ruby/lib');
    } else {
      assert.match(body.gemPath, /\/vendor\/bundle\/ruby\/3\.3\.0:$/);
      assert.match(body.rubyLib, /^\/\S+:\S+\/lib$/);
    }
  });

  test("puts is one log event per call; Logger on $stdout writes AWS's Lambda line with the request id", async () => {
    const out = await invoke('rb-probe', {}, { LogType: 'Tail' });
    const log = tail(out);
    const id = out.$metadata.requestId!;
    assert.match(log, /^line one\rline two$/m);
    assert.match(log, new RegExp(`^I, \\[\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6} #\\d+\\]  INFO ${id} -- : from logger$`, 'm'));
  });

  test('with LogFormat JSON, Logger writes one JSON object per record at or above ApplicationLogLevel', async () => {
    const out = await invoke('rb-json-logs', {}, { LogType: 'Tail' });
    const id = out.$metadata.requestId!;
    const records = tail(out).split('\n').filter((l) => l.startsWith('{"timestamp"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(records.length, 2, tail(out));
    assert.match(String(records[0]!.timestamp), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    assert.deepEqual({ ...records[0], timestamp: 0 }, { timestamp: 0, level: 'WARN', message: 'stock low', requestId: id, logger: 'orders' });
    assert.equal(records[1]!.level, 'ERROR');
    assert.equal(records[1]!.errorType, 'ArgumentError');
    assert.equal(records[1]!.errorMessage, 'bad sku');
  });

  test('Module::Class.method handlers in a subdirectory file call the class method', async () => {
    const out = await invoke('rb-namespaced', { items: [2, 3, 5] });
    assert.equal(out.FunctionError, undefined, JSON.stringify(json(out)));
    assert.equal(json(out), 10);
  });

  test('a non-JSON-object event (a string) arrives parsed', async () => {
    assert.deepEqual(json(await invoke('rb-string-event', 'plain')), { cls: 'String', value: 'plain' });
  });

  test('a StandardError from the handler is Function<Class> with the function frames; the environment stays warm', async () => {
    const first = json(await invoke('rb-probe'));
    const out = await invoke('rb-probe', { fail: true }, { LogType: 'Tail' });
    assert.equal(out.FunctionError, 'Unhandled');
    const body = json(out);
    assert.deepEqual(Object.keys(body), ['errorMessage', 'errorType', 'stackTrace']);
    assert.equal(body.errorType, 'Function<ArgumentError>');
    assert.equal(body.errorMessage, 'asked to fail');
    assert.ok(body.stackTrace.length >= 1);
    assert.match(body.stackTrace[0], /\/app\.rb:5:in `handler'$/);
    assert.ok(!body.stackTrace.some((l: string) => /bootstrap\.rb/.test(l)), 'no runtime client frames');
    assert.match(tail(out), /^Error raised from handler method$/m);
    assert.match(tail(out), /^\{\r {2}"errorMessage": "asked to fail",\r {2}"errorType": "Function<ArgumentError>"/m);
    const again = json(await invoke('rb-probe'));
    assert.equal(again.count, first.count + 2, 'the same process answered');

    const custom = await failed('rb-custom-error');
    assert.equal(custom.errorType, 'Function<OrderRejected>');
    assert.equal(custom.errorMessage, 'order 7 is out of stock');
  });

  test('a handler method that does not exist is Function<NoMethodError>', async () => {
    const body = await failed('rb-missing-method');
    assert.equal(body.errorType, 'Function<NoMethodError>');
    assert.match(body.errorMessage, /^undefined method `nothere' for main:Object/);
  });

  test('Init errors are Init<Class>: a missing file, an exception at load, a syntax error, a malformed handler', async () => {
    const missing = await failed('rb-missing-file');
    assert.equal(missing.errorType, 'Init<LoadError>');
    assert.equal(missing.errorMessage, 'cannot load such file -- nothere');
    const raised = await failed('rb-raises-at-load');
    assert.equal(raised.errorType, 'Init<RuntimeError>');
    assert.equal(raised.errorMessage, 'no TABLE configured');
    assert.match(raised.stackTrace[0], /\/app\.rb:1:in `<top \(required\)>'$/);
    const syntax = await failed('rb-syntax');
    assert.equal(syntax.errorType, 'Init<SyntaxError>');
    assert.match(syntax.errorMessage, /app\.rb:\d+: syntax error/);
    const bad = await failed('rb-bad-handler');
    assert.equal(bad.errorType, 'Init<ArgumentError>');
    assert.match(bad.errorMessage, /^Invalid handler \["app"\], must be of form FILENAME\.METHOD or FILENAME\.CLASS\.METHOD/);
  });
});

describe('Ruby and .NET where the host lacks them', () => {
  test('without ruby on PATH a ruby3.3 function cannot start, and the reason names ruby and its Debian package', async () => {
    const resolution = await new RuntimeCatalog('').resolve('ruby3.3', '/tmp');
    assert.equal(resolution.ok, false);
    assert.match(!resolution.ok ? resolution.reason : '', /no ruby was found on PATH \(install the Debian package ruby\)/);
  });

  test('a dotnet10 function is created, and its invoke fails at Init naming the missing .NET host', async () => {
    const server = await startTestServer();
    try {
      const lambda = server.lambda();
      await lambda.send(new CreateFunctionCommand({
        FunctionName: 'dn-fn', Runtime: 'dotnet10', Handler: 'App::App.Function::Handler', Role: ROLE, Code: { ZipFile: makeZip({ 'App.dll': 'not really' }) },
      }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'dn-fn' });
      const out = await lambda.send(new InvokeCommand({ FunctionName: 'dn-fn', Payload: Buffer.from('{}') }));
      assert.equal(out.FunctionError, 'Unhandled');
      const body = json(out);
      assert.equal(body.errorType, 'Runtime.InvalidEntrypoint');
      assert.match(body.errorMessage, /^RequestId: \S+ Error: the dotnet10 runtime cannot start on this Lambkin host: /);
      assert.match(body.errorMessage, /\.NET host \(dotnet|Lambkin has no \.NET runtime client/);
      assert.match(body.errorMessage, /native AOT on provided\.al2023/);
    } finally {
      await server.stop();
    }
  });
});
