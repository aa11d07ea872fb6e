// A load generator in its own process, as real clients would be: the SDK's signing and parsing
// must not share the server's event loop, or the figures measure the client as much as Lambkin.
import { performance } from 'node:perf_hooks';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { clientFor } from './lambkin.js';

export interface LoadPlan {
  url: string;
  functionName: string;
  warmup: number;
  sequential: number;
  concurrency: number;
  durationMs: number;
}

export interface LoadResult {
  /** Round-trip of each sequential invoke, ms. */
  latencies: number[];
  concurrent: { completed: number; failed: number; seconds: number };
}

// Node 20 is supported here; the SDK's notice about its own future releases is noise in a report.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan;
const client = clientFor(plan.url, plan.concurrency);
const payload = Buffer.from('{}');

async function invokeOnce(): Promise<boolean> {
  const out = await client.send(new InvokeCommand({ FunctionName: plan.functionName, Payload: payload }));
  return out.StatusCode === 200 && out.FunctionError === undefined;
}

for (let i = 0; i < plan.warmup; i++) await invokeOnce();
const latencies: number[] = [];
for (let i = 0; i < plan.sequential; i++) {
  const t = performance.now();
  if (!(await invokeOnce())) throw new Error('a warm invoke failed');
  latencies.push(performance.now() - t);
}

let completed = 0;
let failed = 0;
const started = performance.now();
const until = started + plan.durationMs;
await Promise.all(
  Array.from({ length: plan.concurrency }, async () => {
    while (performance.now() < until) {
      if (await invokeOnce().catch(() => false)) completed++;
      else failed++;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
client.destroy();
const result: LoadResult = { latencies, concurrent: { completed, failed, seconds } };
process.stdout.write(JSON.stringify(result));
