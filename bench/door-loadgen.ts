// Load through the HTTP front doors, in its own process: plain keep-alive HTTP, as a browser or
// curl would send, so the figures measure Lambkin and not a client library.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface DoorTarget {
  name: string;
  port: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface DoorPlan {
  targets: DoorTarget[];
  warmup: number;
  sequential: number;
  concurrency: number;
  durationMs: number;
}

export interface DoorLoadResult {
  name: string;
  latencies: number[];
  completed: number;
  failed: number;
  seconds: number;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as DoorPlan;

function once(agent: Agent, target: DoorTarget): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ hostname: '127.0.0.1', port: target.port, method: target.method, path: target.path, headers: target.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('error', () => resolve(false));
    req.end(target.body);
  });
}

const agents = plan.targets.map(() => new Agent({ keepAlive: true, maxSockets: plan.concurrency }));
// Concurrent first: the function needs as many warm environments as there are connections.
for (const [i, target] of plan.targets.entries()) {
  await Promise.all(Array.from({ length: plan.concurrency }, async () => {
    for (let n = 0; n < plan.warmup / 10; n++) await once(agents[i]!, target);
  }));
  for (let n = 0; n < plan.warmup; n++) await once(agents[i]!, target);
}

// Sequential latency with the doors interleaved request by request: a busy moment on a shared
// machine then hits every door alike instead of whichever was being measured.
const latencies = plan.targets.map((): number[] => []);
for (let n = 0; n < plan.sequential; n++) {
  for (const [i, target] of plan.targets.entries()) {
    const t = performance.now();
    if (!(await once(agents[i]!, target))) throw new Error(`${target.name}: a request failed`);
    latencies[i]!.push(performance.now() - t);
  }
}

const results: DoorLoadResult[] = [];
for (const [i, target] of plan.targets.entries()) {
  let completed = 0;
  let failed = 0;
  const started = performance.now();
  const until = started + plan.durationMs;
  await Promise.all(
    Array.from({ length: plan.concurrency }, async () => {
      while (performance.now() < until) {
        if (await once(agents[i]!, target)) completed++;
        else failed++;
      }
    }),
  );
  results.push({ name: target.name, latencies: latencies[i]!, completed, failed, seconds: (performance.now() - started) / 1000 });
  agents[i]!.destroy();
}
process.stdout.write(JSON.stringify(results));
