// Invokes from lean clients (SigV4-signed raw HTTP over keep-alive, no SDK middleware) in their own
// process, spread round-robin over the nodes of a cluster: client k talks to node k mod N.
// Sync: completed invokes and their latencies; Event: a fixed number of 202s as fast as they come.
import { performance } from 'node:perf_hooks';
import { leanInvoker } from './signed-invoke.js';
import { percentile } from './stats.js';

export interface ClusterLoadPlan {
  urls: string[];
  functionName: string;
  invocationType: 'RequestResponse' | 'Event';
  concurrency: number;
  /** Sync: how long the measured phase runs. */
  durationMs?: number;
  /** Event: how many events to enqueue in all. */
  events?: number;
  /** Sync: invokes per client before the clock runs (environments started, connections open); default 20. */
  warmupPerClient?: number;
}

export interface ClusterLoadResult {
  completed: number;
  failed: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as ClusterLoadPlan;
const invoker = leanInvoker({ functionName: plan.functionName, invocationType: plan.invocationType, maxSockets: plan.concurrency });
const invokeOnce = (url: URL) => invoker.invoke(url);

const nodes = plan.urls.map((u) => new URL(u));
const nodeOf = (client: number) => nodes[client % nodes.length]!;
const latencies: number[] = [];
let completed = 0;
let failed = 0;
let started = 0;
if (plan.invocationType === 'RequestResponse') {
  // Warm-up: environments started on every node and connections open before the clock runs.
  await Promise.all(Array.from({ length: plan.concurrency }, async (_, k) => { for (let i = 0; i < (plan.warmupPerClient ?? 20); i++) await invokeOnce(nodeOf(k)); }));
  started = performance.now();
  const until = started + (plan.durationMs ?? 5000);
  await Promise.all(
    Array.from({ length: plan.concurrency }, async (_, k) => {
      while (performance.now() < until) {
        const t = performance.now();
        if (await invokeOnce(nodeOf(k))) {
          completed++;
          latencies.push(performance.now() - t);
        } else failed++;
      }
    }),
  );
} else {
  let left = plan.events ?? 2000;
  started = performance.now();
  await Promise.all(
    Array.from({ length: plan.concurrency }, async (_, k) => {
      while (left > 0) {
        left--;
        const t = performance.now();
        if (await invokeOnce(nodeOf(k))) {
          completed++;
          latencies.push(performance.now() - t);
        } else failed++;
      }
    }),
  );
}
const result: ClusterLoadResult = {
  completed, failed, seconds: (performance.now() - started) / 1000,
  p50Ms: latencies.length ? percentile(latencies, 0.5) : 0,
  p99Ms: latencies.length ? percentile(latencies, 0.99) : 0,
};
invoker.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
