// A load generator in its own process, as real clients would be: the SDK's signing and parsing
// must not share the server's event loop, or the figures measure the client as much as Lambkin.
import { performance } from 'node:perf_hooks';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { cpuSnapshot } from './cpu-usage.js';
import { clientFor } from './lambkin.js';

export interface LoadPlan {
  url: string;
  functionName: string;
  warmup: number;
  sequential: number;
  concurrency: number;
  durationMs: number;
  /**
   * A server answering at once (the SDK stub): its sequential invokes interleave with the
   * target's in blocks, so a host whose speed drifts during the run shifts both alike.
   */
  baselineUrl?: string;
}

export interface LoadResult {
  /** Round-trip of each sequential invoke, ms. */
  latencies: number[];
  /** The same against `baselineUrl`, measured in blocks between the target's. */
  baselineLatencies: number[];
  concurrent: { completed: number; failed: number; seconds: number };
  /** CPU ms of the concurrent phase: this client, the server (our parent), its other descendants (function environments). */
  cpuMs: { client: number; server: number; functions: number };
}

const BLOCK = 100;

// Node 20 is supported here; the SDK's notice about its own future releases is noise in a report.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan;
const client = clientFor(plan.url, plan.concurrency);
const baseline = plan.baselineUrl ? clientFor(plan.baselineUrl, 1) : null;
const payload = Buffer.from('{}');

async function invokeOnce(via: LambdaClient = client): Promise<boolean> {
  const out = await via.send(new InvokeCommand({ FunctionName: plan.functionName, Payload: payload }));
  return out.StatusCode === 200 && out.FunctionError === undefined;
}

async function timed(via: LambdaClient, count: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    if (!(await invokeOnce(via))) throw new Error('a warm invoke failed');
    into.push(performance.now() - t);
  }
}

for (let i = 0; i < plan.warmup; i++) {
  await invokeOnce();
  if (baseline) await invokeOnce(baseline);
}
const latencies: number[] = [];
const baselineLatencies: number[] = [];
for (let done = 0; done < plan.sequential; done += BLOCK) {
  const count = Math.min(BLOCK, plan.sequential - done);
  if (baseline) await timed(baseline, count, baselineLatencies);
  await timed(client, count, latencies);
}

let completed = 0;
let failed = 0;
const exclude = new Set([process.pid]);
const cpuBefore = cpuSnapshot(process.ppid, exclude);
const clientBefore = process.cpuUsage();
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
const clientUsed = process.cpuUsage(clientBefore);
const cpuAfter = cpuSnapshot(process.ppid, exclude);
client.destroy();
baseline?.destroy();
const result: LoadResult = {
  latencies,
  baselineLatencies,
  concurrent: { completed, failed, seconds },
  cpuMs: {
    client: (clientUsed.user + clientUsed.system) / 1000,
    server: cpuAfter.rootMs - cpuBefore.rootMs,
    functions: cpuAfter.descendantsMs - cpuBefore.descendantsMs,
  },
};
process.stdout.write(JSON.stringify(result));
