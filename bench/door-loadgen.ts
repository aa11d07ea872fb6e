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

const results: DoorLoadResult[] = [];
for (const target of plan.targets) {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  // Concurrent first: the function needs as many warm environments as there are connections.
  await Promise.all(Array.from({ length: plan.concurrency }, async () => {
    for (let i = 0; i < plan.warmup / 10; i++) await once(agent, target);
  }));
  for (let i = 0; i < plan.warmup; i++) await once(agent, target);
  const latencies: number[] = [];
  for (let i = 0; i < plan.sequential; i++) {
    const t = performance.now();
    if (!(await once(agent, target))) throw new Error(`${target.name}: a request failed`);
    latencies.push(performance.now() - t);
  }
  let completed = 0;
  let failed = 0;
  const started = performance.now();
  const until = started + plan.durationMs;
  await Promise.all(
    Array.from({ length: plan.concurrency }, async () => {
      while (performance.now() < until) {
        if (await once(agent, target)) completed++;
        else failed++;
      }
    }),
  );
  results.push({ name: target.name, latencies, completed, failed, seconds: (performance.now() - started) / 1000 });
  agent.destroy();
}
process.stdout.write(JSON.stringify(results));
