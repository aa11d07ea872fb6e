import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateFunctionCommand, InvokeCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { startTestServer, type TestServer } from './support/server.js';
import { sqsClient } from './support/sqs.js';
import { makeZip, ROLE } from './support/zip.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text exposition format (version 0.0.4), strictly: every line a comment or a sample. */
function parsePrometheus(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)(?: \d+)?$/.exec(line);
    assert.ok(sample, `not a Prometheus line: ${line}`);
    const labels: Record<string, string> = {};
    for (const m of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]!] = m[2]!;
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  return { types, samples };
}

describe('GET /metrics (Prometheus)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.stop();
  });

  test('platform and per-function series in the text format', async () => {
    const lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'scraped', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: makeZip({ 'index.js': 'exports.handler = async (e) => { if (e.fail) throw new Error("x"); return 1; };\n' }) } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'scraped' });
    for (const fail of [false, true]) await lambda.send(new InvokeCommand({ FunctionName: 'scraped', Payload: Buffer.from(JSON.stringify({ fail })) }));
    const sqs = sqsClient(server.url);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'scraped-queue' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));

    const value = (samples: Sample[], name: string, labels: Record<string, string>) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    let parsed = parsePrometheus('');
    // Function counts reach the counters within a second of the invocations.
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${server.url}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      parsed = parsePrometheus(await res.text());
      if (value(parsed.samples, 'lambkin_function_invocations_total', { function: 'scraped' }) === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const { types, samples } = parsed;
    assert.equal(value(samples, 'lambkin_function_invocations_total', { function: 'scraped' }), 2);
    assert.equal(value(samples, 'lambkin_function_errors_total', { function: 'scraped' }), 1);
    assert.equal(value(samples, 'lambkin_function_duration_seconds_count', { function: 'scraped' }), 2);
    assert.equal(types.get('lambkin_function_duration_seconds'), 'histogram');
    assert.equal(value(samples, 'lambkin_api_requests_total', { service: 'lambda', operation: 'POST', status: '200' }), 2, 'the two invokes');
    assert.equal(value(samples, 'lambkin_api_requests_total', { service: 'lambda', operation: 'POST', status: '201' }), 1, 'CreateFunction');
    assert.equal(value(samples, 'lambkin_api_requests_total', { service: 'sqs', operation: 'SendMessage', status: '200' }), 1);
    assert.equal(types.get('lambkin_api_request_duration_seconds'), 'histogram');
    assert.ok((value(samples, 'lambkin_environments', { state: 'ready' }) ?? 0) >= 1);
    assert.equal(value(samples, 'lambkin_queue_depth', { queue: 'async_events' }), 0);
    assert.equal(value(samples, 'lambkin_sqs_messages', { queue: 'arn:aws:sqs:us-east-1:000000000000:scraped-queue', state: 'visible' }), 1);
    assert.ok((value(samples, 'lambkin_store_bytes', {}) ?? 0) > 0);
  });
});
