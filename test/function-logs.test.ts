import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, waitUntilFunctionActiveV2, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { billedDurationMs, runtimeVersionName } from '../src/engine/log-lines.js';
import { parseSince } from '../src/cli/logs-command.js';
import { readLogEvents } from '../src/observability/function-log-reader.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

const run = promisify(execFile);
const CLI = new URL('../../bin/lambkin.js', import.meta.url).pathname;

const LOGGER_JS = `console.log('cold init');
exports.handler = async (event) => {
  console.log('first line');
  console.log('second line', event.n);
  if (event.crash) process.exit(3);
  if (event.fail) throw new Error('it failed');
  return process.env.AWS_LAMBDA_LOG_STREAM_NAME;
};
`;

interface EventRow {
  message: string;
  timestamp: number;
  stream: string;
  group: string;
}

describe('Function logs and usage records', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  const invoke = async (FunctionName: string, event: Record<string, unknown> = {}) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName, Payload: Buffer.from(JSON.stringify(event)) }));
    return { id: out.$metadata.requestId!, payload: Buffer.from(out.Payload ?? new Uint8Array()).toString(), error: out.FunctionError };
  };

  const events = async (group: string): Promise<EventRow[]> => {
    const stored = await readLogEvents(server.lambkin.store, [{ accountId: '000000000000', region: 'us-east-1', name: group }]);
    return stored.map((e) => ({ message: e.message, timestamp: e.timestamp, stream: e.streamName, group }));
  };

  /** Batches reach the store within ~100 ms; waits for the one holding `text`. */
  const eventually = async (group: string, text: string): Promise<EventRow[]> => {
    const deadline = Date.now() + 3000;
    for (;;) {
      const rows = await events(group);
      if (rows.some((r) => r.message.includes(text))) return rows;
      if (Date.now() > deadline) assert.fail(`no log event containing ${text} in ${group}: ${JSON.stringify(rows.map((r) => r.message))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  const usage = (functionName: string) =>
    server.lambkin.store.selectFrom('usage_records').selectAll().where('function_name', '=', functionName).orderBy('timestamp').execute();

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    for (const [name, extra] of [
      ['logger', { MemorySize: 256 }],
      ['custom-group', { LoggingConfig: { LogFormat: 'Text' as const, LogGroup: '/custom/shared-group' } }],
    ] as const) {
      await lambda.send(
        new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: makeZip({ 'index.js': LOGGER_JS }) }, ...extra }),
      );
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
    }
  });
  after(() => server.stop());

  let cold: { id: string; payload: string };
  let warm: { id: string; payload: string };

  test('a cold and a warm invoke: INIT_START, init output, START, one event per line, END, REPORT in the environment stream', async () => {
    cold = await invoke('logger', { n: 1 });
    warm = await invoke('logger', { n: 2 });
    const streamName = JSON.parse(cold.payload) as string;
    assert.equal(JSON.parse(warm.payload), streamName);
    assert.match(streamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);

    const rows = await eventually('/aws/lambda/logger', `REPORT RequestId: ${warm.id}`);
    assert.ok(rows.every((r) => r.stream === streamName));
    const messages = rows.map((r) => r.message);
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'logger' }));
    assert.equal(messages[0], `INIT_START Runtime Version: nodejs:22.v1\tRuntime Version ARN: ${config.RuntimeVersionConfig?.RuntimeVersionArn}\n`);
    // The test's role is not in Lambkin's IAM: the platform says what the function's credentials may do.
    assert.match(messages[1]!, /^WARNING Lambkin: the execution role \S+ is not in Lambkin's IAM/);
    messages.splice(1, 1);
    const line = (text: string) => new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t(undefined|[0-9a-f-]{36})\\tINFO\\t${text}\\n$`);
    assert.match(messages[1]!, line('cold init'));
    assert.equal(messages[2], `START RequestId: ${cold.id} Version: $LATEST\n`);
    assert.match(messages[3]!, line('first line'));
    assert.match(messages[4]!, line('second line 1'));
    assert.equal(messages[5], `END RequestId: ${cold.id}\n`);
    assert.match(
      messages[6]!,
      new RegExp(`^REPORT RequestId: ${cold.id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\tInit Duration: \\d+\\.\\d\\d ms\\t\\n$`),
    );
    assert.equal(messages[7], `START RequestId: ${warm.id} Version: $LATEST\n`);
    assert.match(messages[9]!, line('second line 2'));
    assert.match(messages[11]!, new RegExp(`^REPORT RequestId: ${warm.id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\t\\n$`));
    assert.equal(messages.length, 12);
    assert.ok(messages.every((m) => m.indexOf('\n') === m.length - 1), 'one line per event');
    const times = rows.map((r) => r.timestamp);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));

    const group = await server.lambkin.store.selectFrom('logs_groups').selectAll().where('name', '=', '/aws/lambda/logger').executeTakeFirstOrThrow();
    assert.equal(group.account_id, '000000000000');
    assert.equal(group.region, 'us-east-1');
  });

  test('one usage record per invocation: memory, billed = ceil(duration + init) on the cold start, ceil(duration) warm', async () => {
    const rows = await eventually('/aws/lambda/logger', `REPORT RequestId: ${warm.id}`);
    const deadline = Date.now() + 3000;
    let records = await usage('logger');
    while (records.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      records = await usage('logger');
    }
    const [first, second] = [records.find((r) => r.request_id === cold.id)!, records.find((r) => r.request_id === warm.id)!];
    assert.ok(first && second, JSON.stringify(records));
    for (const r of [first, second]) {
      assert.equal(r.account_id, '000000000000');
      assert.equal(r.region, 'us-east-1');
      assert.equal(r.version, '$LATEST');
      assert.equal(r.memory_mb, 256);
      assert.equal(r.outcome, 'success');
      assert.ok(r.max_memory_used_mb > 0);
    }
    assert.ok(first.init_ms !== null && first.init_ms > 0);
    assert.equal(first.billed_ms, Math.ceil((Math.round(first.duration_ms * 100) + Math.round(first.init_ms * 100)) / 100));
    assert.equal(second.init_ms, null);
    assert.equal(second.billed_ms, Math.max(1, Math.ceil(second.duration_ms)));
    // The REPORT line and the record agree.
    const report = rows.find((r) => r.message.startsWith(`REPORT RequestId: ${cold.id}`))!.message;
    assert.match(report, new RegExp(`Billed Duration: ${first.billed_ms} ms`));
    assert.match(report, new RegExp(`Duration: ${first.duration_ms.toFixed(2)} ms`));
  });

  test('errors and crashes: REPORT status, exit message and outcome', async () => {
    const failed = await invoke('logger', { fail: true });
    assert.equal(failed.error, 'Unhandled');
    const crashed = await invoke('logger', { crash: true });
    const rows = await eventually('/aws/lambda/logger', `REPORT RequestId: ${crashed.id}`);
    const messages = rows.map((r) => r.message);
    assert.ok(messages.includes(`RequestId: ${crashed.id} Error: Runtime exited with error: exit status 3\n`), messages.join(''));
    assert.ok(messages.some((m) => m.startsWith(`REPORT RequestId: ${crashed.id}`) && m.endsWith('Status: error\tError Type: Runtime.ExitError\t\n')));
    const deadline = Date.now() + 3000;
    let outcomes = new Map<string, string>();
    while (Date.now() < deadline) {
      outcomes = new Map((await usage('logger')).map((r) => [r.request_id, r.outcome]));
      if (outcomes.has(crashed.id)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(outcomes.get(failed.id), 'error');
    assert.equal(outcomes.get(crashed.id), 'crash');
  });

  test("the function's LoggingConfig.LogGroup is its log group", async () => {
    const out = await invoke('custom-group', { n: 7 });
    const rows = await eventually('/custom/shared-group', `END RequestId: ${out.id}`);
    assert.ok(rows.some((r) => r.message.includes('second line 7')));
    assert.equal((await events('/aws/lambda/custom-group')).length, 0);
  });

  test('lambkin logs prints <ISO time> <message> per event, beside the running server', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'logs', 'logger', ...server.storeArgs]);
    const lines = stdout.split('\n').filter(Boolean);
    assert.ok(lines.length >= 12);
    for (const l of lines) assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /);
    assert.ok(lines.some((l) => l.endsWith(` START RequestId: ${cold.id} Version: $LATEST`)));
    assert.ok(lines.some((l) => /INFO\tfirst line$/.test(l)));
    assert.ok(lines.some((l) => /INFO\tsecond line 2$/.test(l)));
    const custom = await run(process.execPath, [CLI, 'logs', 'custom-group', ...server.storeArgs, '--since', '10m']);
    assert.match(custom.stdout, /INFO\tsecond line 7\n/);
    const future = await run(process.execPath, [CLI, 'logs', 'logger', ...server.storeArgs, '--since', new Date(Date.now() + 60_000).toISOString()]);
    assert.equal(future.stdout, '');
    await assert.rejects(run(process.execPath, [CLI, 'logs', 'never-logged', ...server.storeArgs]), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, /no logs for never-logged/);
      return true;
    });
  });

  test('lambkin logs --follow prints new events as they are stored', async () => {
    const child = spawn(process.execPath, [CLI, 'logs', 'logger', '--follow', '--since', '10m', ...server.storeArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      await new Promise((r) => setTimeout(r, 300));
      const next = await invoke('logger', { n: 99 });
      const deadline = Date.now() + 5000;
      while (!out.includes(`REPORT RequestId: ${next.id}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.match(out, new RegExp(`START RequestId: ${next.id} Version: \\$LATEST\\n`));
      assert.match(out, /INFO\tsecond line 99\n/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  test('logs survive a restart; events still buffered at shutdown are written on close', async () => {
    const last = await invoke('logger', { n: 3 });
    await server.restart();
    lambda = server.lambda();
    const rows = await events('/aws/lambda/logger');
    assert.ok(rows.some((r) => r.message === `START RequestId: ${cold.id} Version: $LATEST\n`));
    assert.ok(rows.some((r) => r.message.startsWith(`REPORT RequestId: ${last.id}\t`)));
    assert.ok((await usage('logger')).some((r) => r.request_id === last.id));
    // A new server, a new environment: a new stream in the same group.
    const after = await invoke('logger', { n: 4 });
    const more = await eventually('/aws/lambda/logger', `REPORT RequestId: ${after.id}`);
    assert.equal(new Set(more.map((r) => r.stream)).size >= 2, true);
  });

  test("each stream's row keeps its first and last event times and its last ingestion time, several streams per flush", async () => {
    // Concurrent invokes need several environments, so one flush writes to several streams.
    const ids = (await Promise.all([1, 2, 3].map((n) => invoke('logger', { n: 10 + n })))).map((r) => r.id);
    const rows = await eventually('/aws/lambda/logger', `REPORT RequestId: ${ids[2]}`);
    for (const id of ids) await eventually('/aws/lambda/logger', `REPORT RequestId: ${id}`);
    const all = await events('/aws/lambda/logger');
    const streams = await server.lambkin.store.selectFrom('logs_streams').selectAll().where('group_name', '=', '/aws/lambda/logger').execute();
    assert.ok(streams.length >= 3, `streams: ${streams.length}, events: ${rows.length}`);
    for (const stream of streams) {
      const times = all.filter((e) => e.stream === stream.name).map((e) => e.timestamp);
      assert.equal(stream.first_event_timestamp, Math.min(...times), stream.name);
      assert.equal(stream.last_event_timestamp, Math.max(...times), stream.name);
      assert.ok(stream.last_ingestion_time! >= stream.last_event_timestamp!, stream.name);
    }
  });

  test('billing and runtime version arithmetic', () => {
    assert.equal(billedDurationMs(12.96), 13);
    assert.equal(billedDurationMs(12.96, 117.86), 131);
    assert.equal(billedDurationMs(2.01, 1.99), 4);
    assert.equal(billedDurationMs(3.001), 3);
    assert.equal(billedDurationMs(0.2), 1);
    assert.equal(runtimeVersionName('python3.12'), 'python:3.12.v1');
    assert.equal(runtimeVersionName('nodejs22.x'), 'nodejs:22.v1');
    assert.equal(runtimeVersionName('provided.al2023'), 'provided:al2023.v1');
    assert.equal(parseSince('10m', 1_000_000), 400_000);
    assert.equal(parseSince('2026-01-01T00:00:00Z', 0), Date.parse('2026-01-01T00:00:00Z'));
    assert.throws(() => parseSince('yesterday', 0));
  });
});
