// SQS send+receive+delete from SDK clients in their own process (batches of 10), so the server's
// CPU can be told apart from the client's: messages a second and the CPU each side spent.
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { cpuSnapshot } from './cpu-usage.js';

export interface SqsLoadPlan {
  url: string;
  queueUrl: string;
  concurrency: number;
  durationMs: number;
}

export interface SqsLoadResult {
  /** Messages received and deleted. */
  moved: number;
  failed: number;
  seconds: number;
  cpuMs: { client: number; server: number };
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const plan = JSON.parse(process.argv[2] ?? '{}') as SqsLoadPlan;
const sqs = new SQSClient({
  endpoint: plan.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1,
  requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: plan.concurrency }) },
});
const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: 'bench' }));

/** One round: a batch sent, a batch received, what came back deleted. */
async function round(): Promise<number> {
  await sqs.send(new SendMessageBatchCommand({ QueueUrl: plan.queueUrl, Entries: entries }));
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: plan.queueUrl, MaxNumberOfMessages: 10 }));
  const messages = got.Messages ?? [];
  if (messages.length > 0) {
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: plan.queueUrl, Entries: messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
  }
  return messages.length;
}

for (let i = 0; i < 50; i++) await round();
let moved = 0;
let failed = 0;
const exclude = new Set([process.pid]);
const cpuBefore = cpuSnapshot(process.ppid, exclude);
const clientBefore = process.cpuUsage();
const started = performance.now();
const until = started + plan.durationMs;
await Promise.all(
  Array.from({ length: plan.concurrency }, async () => {
    while (performance.now() < until) {
      try {
        moved += await round();
      } catch {
        failed++;
      }
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const clientUsed = process.cpuUsage(clientBefore);
const cpuAfter = cpuSnapshot(process.ppid, exclude);
sqs.destroy();
const result: SqsLoadResult = {
  moved, failed, seconds,
  cpuMs: { client: (clientUsed.user + clientUsed.system) / 1000, server: cpuAfter.rootMs - cpuBefore.rootMs },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
