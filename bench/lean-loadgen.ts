// Invokes from a lean client in its own process: each request signed afresh with the SDK's own
// SigV4 signer, sent over keep-alive HTTP, without the rest of the SDK's middleware. What the
// platform sustains once the client is cheap; the SDK figures show what SDK users see.
import { performance } from 'node:perf_hooks';
import { cpuSnapshot } from './cpu-usage.js';
import { leanInvoker } from './signed-invoke.js';

export interface LeanLoadPlan {
  url: string;
  functionName: string;
  invocationType: 'RequestResponse' | 'Event';
  concurrency: number;
  durationMs: number;
}

export interface LeanLoadResult {
  completed: number;
  failed: number;
  /** Invokes sent before the measured phase (warm-up): with `Event`, events the drain also runs. */
  warmup: number;
  seconds: number;
  /** CPU milliseconds spent during the measured phase: this client, the server (our parent), the function environments. */
  cpuMs: { client: number; server: number; functions: number };
}

const plan = JSON.parse(process.argv[2] ?? '{}') as LeanLoadPlan;
const target = new URL(plan.url);
const invoker = leanInvoker({ functionName: plan.functionName, invocationType: plan.invocationType, maxSockets: plan.concurrency });
const invokeOnce = () => invoker.invoke(target);

// Warm-up: environments started and connections open before the clock runs.
const WARMUP_PER_CLIENT = 20;
await Promise.all(Array.from({ length: plan.concurrency }, async () => { for (let i = 0; i < WARMUP_PER_CLIENT; i++) await invokeOnce(); }));
let completed = 0;
let failed = 0;
// The server is our parent; its other descendants are the function environments.
const exclude = new Set([process.pid]);
const cpuBefore = cpuSnapshot(process.ppid, exclude);
const clientBefore = process.cpuUsage();
const started = performance.now();
const until = started + plan.durationMs;
await Promise.all(
  Array.from({ length: plan.concurrency }, async () => {
    while (performance.now() < until) {
      if (await invokeOnce()) completed++;
      else failed++;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const clientUsed = process.cpuUsage(clientBefore);
const cpuAfter = cpuSnapshot(process.ppid, exclude);
const result: LeanLoadResult = {
  completed, failed, seconds, warmup: WARMUP_PER_CLIENT * plan.concurrency,
  cpuMs: {
    client: (clientUsed.user + clientUsed.system) / 1000,
    server: cpuAfter.rootMs - cpuBefore.rootMs,
    functions: cpuAfter.descendantsMs - cpuBefore.descendantsMs,
  },
};
invoker.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
