// SQS figures: SDK send+receive+delete throughput against the embedded queues, and end-to-end
// SQS → function throughput through an event source mapping (batch 10) with the median latency
// from SendMessage to the handler starting.
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import type { BenchServer } from './lambkin.js';
import { median, round3 } from './stats.js';

export interface SqsFigures {
  /** Messages a second through SendMessageBatch → ReceiveMessage(10) → DeleteMessageBatch, 16 clients. */
  sdkMessagesPerSecond: number;
  /** Messages a second from a pre-filled queue through an ESM (BatchSize 10) into a no-op 1,769 MB function. */
  esmMessagesPerSecond: number;
  esmMessages: number;
  /** Median ms from SendMessage to the handler starting, with the mapping idle and waiting. */
  sendToHandlerP50Ms: number;
}

const CLIENTS = 16;

function sqsClient(url: string): SQSClient {
  return new SQSClient({
    endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: CLIENTS * 2 }) },
  });
}

const entries = (n: number, body: (i: number) => string) => Array.from({ length: n }, (_, i) => ({ Id: `m${i}`, MessageBody: body(i) }));

async function fill(sqs: SQSClient, url: string, total: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < total) {
      next += 10;
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(10, (i) => `{"n":${next + i}}`) }));
    }
  }));
}

async function measureSdk(sqs: SQSClient, durationMs: number): Promise<number> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench-sdk' }))).QueueUrl as string;
  let moved = 0;
  const end = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < end) {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(10, () => 'bench') }));
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
      const messages = got.Messages ?? [];
      if (messages.length > 0) {
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
      }
      moved += messages.length;
    }
  }));
  return Math.round(moved / ((performance.now() - started) / 1000));
}

const NOOP = 'exports.handler = async () => ({});';

/** A handler that reports, per batch, how long after SentTimestamp it started. */
const REPORTER = `
exports.handler = async (event) => {
  const now = Date.now();
  const lat = event.Records.map((r) => now - Number(r.attributes.SentTimestamp));
  await fetch(process.env.REPORT_URL, { method: 'POST', body: JSON.stringify(lat), headers: { connection: 'close' } });
  return {};
};
`;

export async function measureSqs(server: BenchServer, options: { messages: number; sdkDurationMs: number }): Promise<SqsFigures> {
  const sqs = sqsClient(server.url);
  const lambda = server.client(8);
  const latencies: number[] = [];
  let handled = 0;
  const reporter = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const lat = JSON.parse(Buffer.concat(chunks).toString('utf8')) as number[];
      handled += lat.length;
      latencies.push(...lat);
      res.end();
    });
  });
  await new Promise<void>((resolve) => reporter.listen(server.hostPort(), '127.0.0.1', resolve));
  try {
    const sdkMessagesPerSecond = await measureSdk(sqs, options.sdkDurationMs);

    // Throughput: a no-op function with a full vCPU (1,769 MB), like the warm-invoke figures, so the
    // figure measures the platform rather than a 128 MB function's CPU quota or the reporter's HTTP.
    await server.deploy('bench-sqs-noop', NOOP, { memoryMb: 1769, timeoutSeconds: 30 });
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench-esm' }))).QueueUrl as string;
    await fill(sqs, url, options.messages);
    const started = performance.now();
    const throughputMapping = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'bench-sqs-noop', EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:bench-esm', BatchSize: 10,
    }));
    // Drained when nothing is left visible or in flight (redeliveries count once, as messages).
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const { Attributes: a } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
      if (Number(a?.ApproximateNumberOfMessages) + Number(a?.ApproximateNumberOfMessagesNotVisible) === 0) break;
    }
    const esmSeconds = (performance.now() - started) / 1000;
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID: throughputMapping.UUID }));

    // Latency: one message at a time into an idle, long-polling mapping whose function reports
    // when each batch started; the first message warms the environment and is not counted.
    await server.deploy('bench-sqs', REPORTER.replace('process.env.REPORT_URL', JSON.stringify(`http://127.0.0.1:${(reporter.address() as AddressInfo).port}/`)), { timeoutSeconds: 30 });
    const latencyUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bench-esm-latency' }))).QueueUrl as string;
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'bench-sqs', EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:bench-esm-latency', BatchSize: 10,
    }));
    for (let i = 0; i <= 50; i++) {
      if (i === 1) latencies.length = 0;
      const before = handled;
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: latencyUrl, Entries: entries(1, () => 'latency') }));
      while (handled === before) await new Promise((r) => setTimeout(r, 2));
      await new Promise((r) => setTimeout(r, 20));
    }
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
    return {
      sdkMessagesPerSecond,
      esmMessagesPerSecond: Math.round(options.messages / esmSeconds),
      esmMessages: options.messages,
      sendToHandlerP50Ms: round3(median(latencies)),
    };
  } finally {
    sqs.destroy();
    lambda.destroy();
    reporter.close();
    reporter.closeAllConnections();
  }
}
