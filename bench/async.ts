import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CreateFunctionCommand, DeleteFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, PutFunctionConcurrencyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { systemClock } from '../src/clock.js';
import { openStore } from '../src/store/database.js';
import { AsyncEventQueue } from '../src/store/queue/async-event-queue.js';
import type { AsyncLoadPlan, AsyncLoadResult } from './async-loadgen.js';
import { runJsonChild } from './child.js';
import { zipOf } from './functions.js';
import { ROLE, type BenchServer } from './lambkin.js';
import { percentile, round3 } from './stats.js';
import { perInvoke, runLeanLoad, WARM_MEMORY_MB } from './warm.js';

export interface AsyncFigures {
  /** 202s per second (each an event committed to the durable queue) from `concurrency` SDK clients. */
  enqueuePerSecond: number;
  concurrency: number;
  failed: number;
  /** Sequential, idle server: from sending the Event invoke to the handler's first line, ms. */
  sendToStartP50Ms: number;
  /** From the 202 reaching the client to the handler's first line (negative: the run began before the reply arrived). */
  ackToStartP50Ms: number;
  samples: number;
  /** The same from a lean client (SigV4-signed raw HTTP, no SDK middleware). */
  leanEnqueuePerSecond: number;
  /**
   * Those events over the time from the first send until the queue was empty again (the round plus
   * the drain's tail, polled every 200 ms): what the server handles end to end, events/s.
   */
  leanDrainedPerSecond: number;
  /** The drain's tail after the lean round, s. */
  leanDrainTailSeconds: number;
  leanFailed: number;
  /** CPU ms per accepted event under the lean load (the worker drains into the function meanwhile). */
  leanCpuMsPerEvent: { client: number; server: number; functions: number };
  /** Lean clients enqueueing into a function whose only reserved slot a long event holds: the drain idles. */
  heldEnqueuePerSecond: number;
  heldFailed: number;
  heldCpuMsPerEvent: { client: number; server: number; functions: number };
  /** The store alone: `concurrency` concurrent enqueuers on the group-committed SQLite queue, events/s. */
  storeEnqueuePerSecond: number;
}

const REPORTING_HANDLER = `
exports.handler = async (event) => {
  const startedAt = performance.timeOrigin + performance.now();
  await fetch(process.env.REPORT_URL, { method: 'POST', body: JSON.stringify({ i: event.i, startedAt }) });
  return {};
};
`;

export async function measureAsync(server: BenchServer, options: { concurrency: number; durationMs: number; samples: number }): Promise<AsyncFigures> {
  const started = new Map<number, number>();
  const waiters = new Map<number, () => void>();
  const reporter = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const { i, startedAt } = JSON.parse(body) as { i?: number; startedAt: number };
      if (typeof i === 'number') {
        started.set(i, startedAt);
        waiters.get(i)?.();
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => reporter.listen(server.hostPort(), '127.0.0.1', resolve));
  const reportUrl = `http://127.0.0.1:${(reporter.address() as AddressInfo).port}/`;
  const client = server.client(options.concurrency);
  try {
    await client.send(new CreateFunctionCommand({
      FunctionName: 'bench-async', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: zipOf(REPORTING_HANDLER) }, MemorySize: 128, Timeout: 30, Environment: { Variables: { REPORT_URL: reportUrl } },
    }));
    for (let i = 0; i < 100; i++) {
      const cfg = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'bench-async' }));
      if (cfg.State === 'Active') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Latency first, on an idle server with a warm environment.
    const sendToStart: number[] = [];
    const ackToStart: number[] = [];
    for (let i = -3; i < options.samples; i++) {
      const ran = new Promise<void>((resolve) => waiters.set(i, resolve));
      const sentAt = performance.timeOrigin + performance.now();
      const out = await client.send(new InvokeCommand({ FunctionName: 'bench-async', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ i })) }));
      const ackAt = performance.timeOrigin + performance.now();
      if (out.StatusCode !== 202) throw new Error(`Event invoke answered ${out.StatusCode}`);
      await ran;
      waiters.delete(i);
      // Idle means idle: let the previous attempt finish (answer, ack) before the next send.
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (i < 0) continue; // warm-up (the first one is a cold start)
      sendToStart.push(started.get(i)! - sentAt);
      ackToStart.push(started.get(i)! - ackAt);
    }
    // Then the durable enqueue rate. The worker drains meanwhile, as it would in use, into a no-op
    // function like the sync throughput figure's (one full vCPU, so the figure is not CPU quota).
    await client.send(new CreateFunctionCommand({
      FunctionName: 'bench-async-noop', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: zipOf('exports.handler = async () => ({});\n') }, MemorySize: WARM_MEMORY_MB, Timeout: 30,
    }));
    for (let i = 0; i < 100; i++) {
      const cfg = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'bench-async-noop' }));
      if (cfg.State === 'Active') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Each phase starts on an empty queue: a backlog left by the one before would drain meanwhile.
    const held = await measureHeldEnqueue(server, client, options);
    await queueDrained(server);
    const plan: AsyncLoadPlan = { url: server.url, functionName: 'bench-async-noop', concurrency: options.concurrency, durationMs: options.durationMs };
    const load = await runJsonChild<AsyncLoadResult>([fileURLToPath(new URL('./async-loadgen.js', import.meta.url)), JSON.stringify(plan)]);
    await queueDrained(server);
    const lean = await runLeanLoad({ url: server.url, functionName: 'bench-async-noop', invocationType: 'Event', concurrency: options.concurrency, durationMs: options.durationMs });
    const tailStarted = performance.now();
    await queueDrained(server);
    const drainTailSeconds = (performance.now() - tailStarted) / 1000;
    const storeEnqueuePerSecond = await measureStoreEnqueue(options.concurrency, options.durationMs);
    return {
      storeEnqueuePerSecond,
      heldEnqueuePerSecond: Math.round(held.completed / held.seconds),
      heldFailed: held.failed,
      heldCpuMsPerEvent: perInvoke(held.completed, held.cpuMs),
      enqueuePerSecond: Math.round(load.accepted / load.seconds),
      leanEnqueuePerSecond: Math.round(lean.completed / lean.seconds),
      leanDrainedPerSecond: Math.round(lean.completed / (lean.seconds + drainTailSeconds)),
      leanDrainTailSeconds: round3(drainTailSeconds),
      leanFailed: lean.failed,
      leanCpuMsPerEvent: perInvoke(lean.completed, lean.cpuMs),
      concurrency: options.concurrency,
      failed: load.failed,
      sendToStartP50Ms: round3(percentile(sendToStart, 0.5)),
      ackToStartP50Ms: round3(percentile(ackToStart, 0.5)),
      samples: sendToStart.length,
    };
  } finally {
    client.destroy();
    reporter.close();
  }
}

/** Waits (at most a minute) until the asynchronous queue is empty, reading the store directly every `pollMs`. */
export async function queueDrained(server: BenchServer, pollMs = 200): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    const row = await server.lambkin.store.selectFrom('async_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    if (Number(row?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * The enqueue path alone, through the public API: a function with reserved concurrency 1 whose slot
 * a long event holds, so every event the lean clients send waits in the queue (throttled) and the
 * drain does next to nothing. Deleting the function afterwards drops the backlog.
 */
async function measureHeldEnqueue(server: BenchServer, client: LambdaClient, options: { concurrency: number; durationMs: number }) {
  const name = 'bench-async-held';
  await client.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, MemorySize: 128, Timeout: 60,
    Code: { ZipFile: zipOf('exports.handler = async (e) => { if (e.holdMs) await new Promise((r) => setTimeout(r, e.holdMs)); return {}; };\n') },
  }));
  for (let i = 0; i < 100; i++) {
    const cfg = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    if (cfg.State === 'Active') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await client.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 1 }));
  await client.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ holdMs: options.durationMs + 5000 })) }));
  // Until the holding event runs (a cold start).
  await new Promise((resolve) => setTimeout(resolve, 1000));
  try {
    return await runLeanLoad({ url: server.url, functionName: name, invocationType: 'Event', concurrency: options.concurrency, durationMs: options.durationMs });
  } finally {
    await client.send(new DeleteFunctionCommand({ FunctionName: name }));
  }
}

/** What the durable queue itself sustains (commit before each resolve), without HTTP or the SDK. */
async function measureStoreEnqueue(concurrency: number, durationMs: number): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambkin-bench-queue-'));
  const db = await openStore({ kind: 'sqlite', dataDir: dir });
  try {
    const queue = new AsyncEventQueue(db, systemClock);
    await queue.open();
    const payload = Buffer.from('{"bench":true}');
    let done = 0;
    const started = performance.now();
    const until = started + durationMs;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          await queue.enqueue({ accountId: '000000000000', region: 'us-east-1', functionName: 'bench', qualifier: null, requestId: randomUUID(), payload });
          done++;
        }
      }),
    );
    return Math.round(done / ((performance.now() - started) / 1000));
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
