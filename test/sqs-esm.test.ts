import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateEventSourceMappingCommand, CreateFunctionCommand, DeleteEventSourceMappingCommand, UpdateEventSourceMappingCommand,
  waitUntilFunctionActiveV2, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startTestServer, type TestServer } from './support/server.js';
import { sqsClient } from './support/sqs.js';
import { makeZip, ROLE } from './support/zip.js';
import { RECORDING_HANDLER, startRecorder, type Recorder } from './support/recorder.js';
import { rejectsWith } from './support/aws-errors.js';

const ACCOUNT = '000000000000';
const arnOf = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
type Rec = { messageId: string; body: string; attributes: Record<string, string>; [k: string]: unknown };
const records = (events: Array<Record<string, unknown>>): Rec[] => events.flatMap((e) => ((e.event as { Records: Rec[] }).Records));

describe('sqs event source mappings', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let sqs: SQSClient;
  let recorder: Recorder;
  before(async () => {
    // Functions reach a host sink only if it listens before the server starts (support/host-ports.ts).
    recorder = await startRecorder();
    server = await startTestServer();
    lambda = server.lambda();
    sqs = sqsClient(server.url);
  });
  after(async () => {
    await server.stop();
    await recorder.close();
  });

  let fnCount = 0;
  async function fn(env: Record<string, string> = {}, timeout = 3): Promise<string> {
    const name = `esm-fn-${++fnCount}`;
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: timeout,
      Code: { ZipFile: makeZip({ 'index.js': RECORDING_HANDLER }) }, Environment: { Variables: { RECORDER_URL: recorder.url, TAG: name, ...env } },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
    return name;
  }
  async function queue(name: string, Attributes?: Record<string, string>): Promise<string> {
    return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl as string;
  }
  async function counts(url: string) {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    return Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
  }
  async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not met');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const forFn = (name: string) => () => recorder.events.filter((e) => ((e.event as { Records: Rec[] }).Records[0]?.eventSourceARN as string)?.includes(name));

  test('a mapping to a missing queue is refused as AWS does', async () => {
    const name = await fn();
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: arnOf('no-such-queue') })), 'InvalidParameterValueException', 400,
      'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.');
  });

  test('messages arrive in the SQS event shape and are deleted after success', async () => {
    const url = await queue('esm-basic');
    const name = await fn();
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: arnOf('esm-basic'), BatchSize: 10 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"hello":"world"}', MessageAttributes: { Attr1: { DataType: 'String', StringValue: 'v' } } }));
    const seen = forFn('esm-basic');
    await recorder.waitFor(() => seen().length >= 1);
    const [record] = records(seen());
    assert.deepEqual(Object.keys(record ?? {}), ['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfMessageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion']);
    assert.equal(record?.body, '{"hello":"world"}');
    assert.equal(record?.eventSource, 'aws:sqs');
    assert.equal(record?.eventSourceARN, arnOf('esm-basic'));
    assert.equal(record?.awsRegion, 'us-east-1');
    assert.equal(record?.md5OfBody, 'fbc24bcc7a1794758fc1327fcfebdaf6');
    assert.deepEqual(Object.keys(record?.attributes ?? {}), ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']);
    assert.equal(record?.attributes.ApproximateReceiveCount, '1');
    assert.deepEqual(record?.messageAttributes, { Attr1: { stringValue: 'v', stringListValues: [], binaryListValues: [], dataType: 'String' } });
    assert.match(String(record?.md5OfMessageAttributes), /^[0-9a-f]{32}$/);
    await until(async () => (await counts(url)) === 0);
  });

  test('a failing batch reappears after the visibility timeout and redrives to the DLQ', async () => {
    const dlqUrl = await queue('esm-fail-dlq');
    const url = await queue('esm-fail', { VisibilityTimeout: '4', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arnOf('esm-fail-dlq'), maxReceiveCount: 2 }) });
    const name = await fn({}, 3);
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: arnOf('esm-fail'), BatchSize: 1 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'fail' }));
    const seen = forFn('esm-fail');
    await recorder.waitFor(() => seen().length >= 2, 30_000);
    assert.deepEqual(records(seen()).map((r) => r.attributes.ApproximateReceiveCount), ['1', '2']);
    await until(async () => ((await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1 }))).Messages?.[0]?.Body === 'fail'), 30_000);
  });

  test('ReportBatchItemFailures: only the reported messages come back; an unknown id fails the whole batch', async () => {
    const url = await queue('esm-partial', { VisibilityTimeout: '4' });
    const name = await fn({ MODE: 'partial' }, 3);
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'good-1' }, { Id: 'b', MessageBody: 'bad-1' }, { Id: 'c', MessageBody: 'good-2' }] }));
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: name, EventSourceArn: arnOf('esm-partial'), BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'],
    }));
    const seen = forFn('esm-partial');
    await recorder.waitFor(() => records(seen()).filter((r) => r.body === 'bad-1').length >= 2, 30_000);
    const bodies = records(seen()).map((r) => r.body);
    assert.equal(bodies.filter((b) => b.startsWith('good')).length, 2, 'good messages were deleted after the first batch');
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));

    const invalidUrl = await queue('esm-invalid', { VisibilityTimeout: '4' });
    const invalidFn = await fn({ MODE: 'invalid' }, 3);
    await sqs.send(new SendMessageCommand({ QueueUrl: invalidUrl, MessageBody: 'only' }));
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: invalidFn, EventSourceArn: arnOf('esm-invalid'), FunctionResponseTypes: ['ReportBatchItemFailures'] }));
    const invalidSeen = forFn('esm-invalid');
    await recorder.waitFor(() => invalidSeen().length >= 2, 30_000);
    assert.deepEqual(records(invalidSeen()).slice(0, 2).map((r) => r.attributes.ApproximateReceiveCount), ['1', '2']);
  });

  test('FilterCriteria: matching messages invoke, the rest are deleted unseen', async () => {
    const url = await queue('esm-filter');
    const name = await fn();
    await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: name, EventSourceArn: arnOf('esm-filter'), BatchSize: 10,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { n: [{ numeric: ['>', 100] }] } }) }, { Pattern: JSON.stringify({ body: { tag: [{ prefix: 'us-' }] } }) }] },
    }));
    const bodies = ['{"n":150}', '{"n":5}', '{"tag":"us-east"}', 'plain text', '{"tag":"eu-west"}'];
    for (const b of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: b }));
    await until(async () => (await counts(url)) === 0);
    const seen = records(forFn('esm-filter')()).map((r) => r.body).sort();
    assert.deepEqual(seen, ['{"n":150}', '{"tag":"us-east"}']);
  });

  test('FIFO: each group in order, never two batches of one group at once', async () => {
    const url = await queue('esm-order.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const name = await fn({ DELAY_MS: '5' });
    const groups = ['g1', 'g2', 'g3', 'g4'];
    for (let i = 0; i < 30; i++) {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: groups.map((g, j) => ({ Id: `e${j}`, MessageBody: `${g}:${i}`, MessageGroupId: g })) }));
    }
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: arnOf('esm-order.fifo'), BatchSize: 3 }));
    const seen = forFn('esm-order.fifo');
    await recorder.waitFor(() => records(seen()).length >= 120, 30_000);
    const byGroup = new Map<string, number[]>();
    const spans = new Map<string, Array<[number, number]>>();
    for (const e of seen()) {
      const batchGroups = new Set<string>();
      for (const r of (e.event as { Records: Rec[] }).Records) {
        const [g, i] = r.body.split(':') as [string, string];
        byGroup.set(g, [...(byGroup.get(g) ?? []), Number(i)]);
        assert.equal(r.attributes.MessageGroupId, g);
        assert.match(r.attributes.SequenceNumber ?? '', /^\d{20}$/);
        batchGroups.add(g);
      }
      for (const g of batchGroups) spans.set(g, [...(spans.get(g) ?? []), [e.started as number, e.ended as number]]);
    }
    for (const g of groups) assert.deepEqual(byGroup.get(g), Array.from({ length: 30 }, (_, i) => i), `group ${g} in order`);
    for (const [g, list] of spans) {
      const sorted = [...list].sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < sorted.length; i++) assert.ok((sorted[i] as [number, number])[0] >= (sorted[i - 1] as [number, number])[1], `group ${g} processed in parallel`);
    }
  });

  test('a slow function with a backlog scales past the first 5 batches (AWS adds up to 5 a second)', async (t) => {
    const url = await queue('esm-slow');
    const name = 'esm-slow-fn';
    const SLOW = `exports.handler = async (event) => {
  await new Promise((r) => setTimeout(r, 3000));
  await fetch(process.env.RECORDER_URL, { method: 'POST', body: JSON.stringify({ event, slow: true, stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME }) });
};`;
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 10,
      Code: { ZipFile: makeZip({ 'index.js': SLOW }) }, Environment: { Variables: { RECORDER_URL: recorder.url } },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
    // The mapping's MaximumConcurrency bounds the scale-up, so the test proves it passes 5 batches
    // at once without starting an environment per message (dozens of them starve a busy host).
    const TOTAL = 64;
    for (let i = 0; i < TOTAL; i += 8) {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 8 }, (_, j) => ({ Id: `m${j}`, MessageBody: `slow ${i + j}` })) }));
    }
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: arnOf('esm-slow'), BatchSize: 1, ScalingConfig: { MaximumConcurrency: 16 } }));
    const slowEvents = () => recorder.events.filter((e) => e.slow === true);
    await recorder.waitFor(() => slowEvents().length >= TOTAL, 90_000);
    const environments = new Set(slowEvents().map((e) => e.stream));
    // Each environment runs one batch at a time: more than 5 of them means more than 5 batches at once.
    t.diagnostic(`${environments.size} environments ran the backlog`);
    assert.ok(environments.size > 12 && environments.size <= 16, `${environments.size} environments ran the backlog (MaximumConcurrency 16)`);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
  });

  test('disable and enable take effect live', async () => {
    const url = await queue('esm-toggle');
    const name = await fn();
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: arnOf('esm-toggle') }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'first' }));
    const seen = forFn('esm-toggle');
    await recorder.waitFor(() => seen().length >= 1);
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: false }));
    await new Promise((r) => setTimeout(r, 600));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'second' }));
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(seen().length, 1);
    assert.equal(await counts(url), 1);
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID, Enabled: true }));
    await recorder.waitFor(() => seen().length >= 2);
  });

  test('a mapping tagged with an endpoint polls that SQS over HTTP (here: Lambkin itself)', async () => {
    const url = await queue('esm-remote');
    const name = await fn();
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: arnOf('esm-remote'), Tags: { 'lambkin:sqs-endpoint': server.url } }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'over http', MessageAttributes: { a: { DataType: 'String', StringValue: 'b' } } }));
    const seen = forFn('esm-remote');
    await recorder.waitFor(() => seen().length >= 1);
    const [record] = records(seen());
    assert.equal(record?.body, 'over http');
    assert.deepEqual(record?.messageAttributes, { a: { stringValue: 'b', stringListValues: [], binaryListValues: [], dataType: 'String' } });
    await until(async () => (await counts(url)) === 0);
  });

  test('what a mapping deleted stays deleted across a restart (its deletes reach the store late)', async () => {
    const url = await queue('esm-restart');
    const name = await fn();
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: arnOf('esm-restart'), BatchSize: 10 }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `r${i}` })) }));
    const seen = forFn('esm-restart');
    await recorder.waitFor(() => records(seen()).length >= 10);
    await until(async () => (await counts(url)) === 0);
    await server.restart();
    assert.equal(await counts(url), 0, 'nothing came back after the restart');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(records(seen()).length, 10, 'no message was delivered twice');
  });

  test('10,000 messages through one mapping: every message processed at least once', async () => {
    const url = await queue('esm-bulk');
    const name = await fn({ MODE: 'bodies' }, 30);
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: arnOf('esm-bulk'), BatchSize: 1000, MaximumBatchingWindowInSeconds: 1 }));
    const total = 10_000;
    const sends: Promise<unknown>[] = [];
    for (let b = 0; b < total / 10; b++) {
      sends.push(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: String(b * 10 + i) })) })));
      if (sends.length >= 25) await Promise.all(sends.splice(0));
    }
    await Promise.all(sends);
    const bodies = new Set<string>();
    await recorder.waitFor((events) => {
      for (const e of events) if (Array.isArray(e.bodies)) for (const b of e.bodies as string[]) bodies.add(b);
      return bodies.size >= total;
    }, 90_000);
    assert.equal(bodies.size, total);
    await until(async () => (await counts(url)) === 0, 20_000);
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
  });
});
