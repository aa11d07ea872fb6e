// Event invokes from concurrent SDK clients in their own process: how many 202s (each one an event
// committed to the durable queue) the server answers per second.
import { performance } from 'node:perf_hooks';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { clientFor } from './lambkin.js';

export interface AsyncLoadPlan {
  url: string;
  functionName: string;
  concurrency: number;
  durationMs: number;
}

export interface AsyncLoadResult {
  accepted: number;
  failed: number;
  seconds: number;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const plan = JSON.parse(process.argv[2] ?? '{}') as AsyncLoadPlan;
const client = clientFor(plan.url, plan.concurrency);
const payload = Buffer.from('{"bench":true}');
const invokeOnce = async () => (await client.send(new InvokeCommand({ FunctionName: plan.functionName, InvocationType: 'Event', Payload: payload }))).StatusCode === 202;

for (let i = 0; i < 200; i++) await invokeOnce();
let accepted = 0;
let failed = 0;
const started = performance.now();
const until = started + plan.durationMs;
await Promise.all(
  Array.from({ length: plan.concurrency }, async () => {
    while (performance.now() < until) {
      if (await invokeOnce().catch(() => false)) accepted++;
      else failed++;
    }
  }),
);
const result: AsyncLoadResult = { accepted, failed, seconds: (performance.now() - started) / 1000 };
process.stdout.write(`${JSON.stringify(result)}\n`);
client.destroy();
