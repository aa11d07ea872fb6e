// Cost as work grows: the same measurement with little and with much data behind it, each pair
// from one server in one run, so the ratio holds even when the machine's speed does not.
// - invoke p50 (and server CPU per invoke) with 1 function deployed, then with N;
// - async durable enqueue with an empty queue, then with a backlog of B events waiting;
// - SQS send+receive+delete on an empty queue, then with M messages queued in it.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CreateFunctionCommand, DeleteFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, PutFunctionConcurrencyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { runJsonChild } from './child.js';
import { NO_OP, zipOf } from './functions.js';
import { ROLE, startBenchServer, type BenchServer } from './lambkin.js';
import type { LoadPlan, LoadResult } from './loadgen.js';
import type { SdkStub } from './sdk-stub.js';
import type { SqsLoadPlan, SqsLoadResult } from './sqs-loadgen.js';
import { percentile, round3 } from './stats.js';
import { runLeanLoad, WARM_MEMORY_MB } from './warm.js';

/** One measurement with little data (`empty`) and with much (`loaded`), and loaded ÷ empty. */
export interface GrowthPair {
  empty: number;
  loaded: number;
  ratio: number;
}

export interface GrowthFigures {
  functions?: {
    deployed: number;
    /** Seconds to create the extra functions through the API. */
    deploySeconds: number;
    p50Ms: GrowthPair;
    /** The SDK → canned stub p50 measured in blocks between Lambkin's, each phase: the machine's drift. */
    stubP50Ms: GrowthPair;
    serverCpuMsPerInvoke: GrowthPair;
    /** Server RSS (this process: Lambkin runs in it) with 1 function and with N, MB. */
    serverRssMb: GrowthPair;
  };
  asyncBacklog?: {
    backlog: number;
    fillSeconds: number;
    /** Lean Event invokes of a function whose drain runs, events/s, while another function's backlog waits. */
    enqueuePerSecond: GrowthPair;
    serverCpuMsPerEvent: GrowthPair;
  };
  sqsBacklog?: {
    messages: number;
    fillSeconds: number;
    /** Send+receive+delete through the SDK (batches of 10) on a queue holding the backlog. */
    messagesPerSecond: GrowthPair;
    serverCpuMsPerMessage: GrowthPair;
    serverRssMb: GrowthPair;
  };
}

const CONCURRENCY = 16;
const pair = (empty: number, loaded: number): GrowthPair => ({ empty: round3(empty), loaded: round3(loaded), ratio: round3(loaded / empty) });
const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const perOne = (cpuMs: number, n: number) => cpuMs / Math.max(1, n);

async function untilActive(client: LambdaClient, name: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { State } = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    if (State === 'Active') return;
    if (State === 'Failed' || Date.now() > deadline) throw new Error(`${name} did not become Active (${State})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Creates `count` small functions through the API, `CONCURRENCY` at a time, without invoking them. */
async function createMany(client: LambdaClient, prefix: string, count: number, progress: (done: number) => void): Promise<void> {
  const zip = zipOf(NO_OP);
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) {
      const i = next++;
      await client.send(new CreateFunctionCommand({ FunctionName: `${prefix}-${i}`, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip }, MemorySize: 128 }));
      if (++done % 1000 === 0) progress(done);
    }
  }));
  await untilActive(client, `${prefix}-${count - 1}`);
}

/** Sequential SDK invokes interleaved with the stub, then 16 lean clients: p50, stub p50, server CPU per invoke. */
async function invokeFigures(server: BenchServer, stub: SdkStub, functionName: string, sequential: number, durationMs: number) {
  const plan: LoadPlan = { url: server.url, functionName, warmup: 200, baselineUrl: stub.url, sequential, concurrency: 1, durationMs: 1 };
  const result = await runJsonChild<LoadResult>([fileURLToPath(new URL('./loadgen.js', import.meta.url)), JSON.stringify(plan)]);
  const lean = await runLeanLoad({ url: server.url, functionName, invocationType: 'RequestResponse', concurrency: CONCURRENCY, durationMs });
  if (lean.failed > 0) throw new Error(`${lean.failed} lean invokes of ${functionName} failed`);
  return {
    p50Ms: percentile(result.latencies, 0.5),
    stubP50Ms: percentile(result.baselineLatencies, 0.5),
    serverCpuMsPerInvoke: perOne(lean.cpuMs.server, lean.completed),
  };
}

export async function measureFunctionGrowth(stub: SdkStub, options: { functions: number; sequential: number; durationMs: number; step: (text: string) => void }): Promise<GrowthFigures['functions']> {
  const server = await startBenchServer();
  const client = server.client(CONCURRENCY);
  try {
    await server.deploy('growth-target', NO_OP, { memoryMb: WARM_MEMORY_MB });
    const empty = await invokeFigures(server, stub, 'growth-target', options.sequential, options.durationMs);
    const rssEmpty = rssMb();
    options.step(`creating ${options.functions - 1} more functions…`);
    const t = performance.now();
    await createMany(client, 'growth-fn', options.functions - 1, (done) => options.step(`  ${done} created`));
    const deploySeconds = (performance.now() - t) / 1000;
    options.step(`  created in ${Math.round(deploySeconds)} s`);
    const loaded = await invokeFigures(server, stub, 'growth-target', options.sequential, options.durationMs);
    return {
      deployed: options.functions,
      deploySeconds: Math.round(deploySeconds),
      p50Ms: pair(empty.p50Ms, loaded.p50Ms),
      stubP50Ms: pair(empty.stubP50Ms, loaded.stubP50Ms),
      serverCpuMsPerInvoke: pair(empty.serverCpuMsPerInvoke, loaded.serverCpuMsPerInvoke),
      serverRssMb: pair(rssEmpty, rssMb()),
    };
  } finally {
    client.destroy();
    await server.close();
  }
}

/** Waits until only `keep` asynchronous events are left (the held function's), reading the store. */
async function queueDownTo(server: BenchServer, keep: number): Promise<void> {
  const deadline = performance.now() + 120_000;
  while (performance.now() < deadline) {
    const row = await server.lambkin.store.selectFrom('async_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    if (Number(row?.n ?? 0) <= keep) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the asynchronous queue did not drain in 2 minutes');
}

/**
 * A function with one reserved slot, held by a long event, collects the backlog (its events wait,
 * throttled); the measured function beside it drains as usual. Enqueue rate and server CPU per
 * event before and after the backlog is queued.
 */
export async function measureAsyncBacklog(options: { backlog: number; durationMs: number; step: (text: string) => void }): Promise<GrowthFigures['asyncBacklog']> {
  const server = await startBenchServer();
  const client = server.client(CONCURRENCY);
  const held = 'growth-held';
  try {
    await server.deploy('growth-async', 'exports.handler = async () => ({});\n', { memoryMb: WARM_MEMORY_MB });
    await client.send(new CreateFunctionCommand({
      FunctionName: held, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, MemorySize: 128, Timeout: 900,
      Code: { ZipFile: zipOf('exports.handler = async (e) => { if (e.holdMs) await new Promise((r) => setTimeout(r, e.holdMs)); return {}; };\n') },
    }));
    await untilActive(client, held);
    await client.send(new PutFunctionConcurrencyCommand({ FunctionName: held, ReservedConcurrentExecutions: 1 }));
    await client.send(new InvokeCommand({ FunctionName: held, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ holdMs: 890_000 })) }));
    // One more event, so the worker finds the slot taken and pauses the function as a backlog would.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await client.send(new InvokeCommand({ FunctionName: held, InvocationType: 'Event', Payload: Buffer.from('{}') }));
    // Left in the queue: the holding event (leased while it runs) and the one waiting for the slot.
    const held0 = 2;
    await queueDownTo(server, held0);

    const plan = { url: server.url, functionName: 'growth-async', invocationType: 'Event' as const, concurrency: CONCURRENCY, durationMs: options.durationMs };
    const empty = await runLeanLoad(plan);
    await queueDownTo(server, held0);

    options.step(`queueing ${options.backlog} events for the held function…`);
    const t = performance.now();
    const payload = Buffer.from('{"backlog":true}');
    for (let done = 0; done < options.backlog; done += 5000) {
      const n = Math.min(5000, options.backlog - done);
      await Promise.all(Array.from({ length: n }, () => server.lambkin.asyncInvoker.enqueue({ accountId: '000000000000', region: 'us-east-1', functionName: held, payload })));
    }
    const fillSeconds = (performance.now() - t) / 1000;
    options.step(`  queued in ${Math.round(fillSeconds)} s`);
    const loaded = await runLeanLoad(plan);
    await queueDownTo(server, options.backlog + held0);
    for (const run of [empty, loaded]) if (run.failed > 0) throw new Error(`${run.failed} Event invokes failed`);
    return {
      backlog: options.backlog,
      fillSeconds: Math.round(fillSeconds),
      enqueuePerSecond: pair(empty.completed / empty.seconds, loaded.completed / loaded.seconds),
      serverCpuMsPerEvent: pair(perOne(empty.cpuMs.server, empty.completed), perOne(loaded.cpuMs.server, loaded.completed)),
    };
  } finally {
    await client.send(new DeleteFunctionCommand({ FunctionName: held })).catch(() => undefined);
    client.destroy();
    await server.close();
  }
}

/** SQS send+receive+delete on one queue, empty and then holding `messages` more (queued in-process). */
export async function measureSqsBacklog(options: { messages: number; durationMs: number; step: (text: string) => void }): Promise<GrowthFigures['sqsBacklog']> {
  const server = await startBenchServer();
  const sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  try {
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'growth-queue' }))).QueueUrl as string;
    const plan: SqsLoadPlan = { url: server.url, queueUrl, concurrency: CONCURRENCY, durationMs: options.durationMs };
    const loadgen = fileURLToPath(new URL('./sqs-loadgen.js', import.meta.url));
    const empty = await runJsonChild<SqsLoadResult>([loadgen, JSON.stringify(plan)]);
    const rssEmpty = rssMb();

    options.step(`queueing ${options.messages} messages…`);
    // In-process through the queue's own send (the path every AWS service's delivery takes): the
    // same rows and index as SendMessage, without a million HTTP requests.
    const sink = server.lambkin.deliverySinks.get('sqs');
    if (!sink) throw new Error('no sqs delivery sink');
    const arn = 'arn:aws:sqs:us-east-1:000000000000:growth-queue';
    const t = performance.now();
    for (let done = 0; done < options.messages; done += 10_000) {
      const n = Math.min(10_000, options.messages - done);
      await Promise.all(Array.from({ length: n }, (_, i) => sink.deliver(arn, { body: `{"n":${done + i}}` })));
      if ((done + n) % 100_000 === 0) options.step(`  ${done + n} queued`);
    }
    const fillSeconds = (performance.now() - t) / 1000;
    options.step(`  queued in ${Math.round(fillSeconds)} s`);
    const loaded = await runJsonChild<SqsLoadResult>([loadgen, JSON.stringify(plan)]);
    for (const run of [empty, loaded]) if (run.failed > 0) throw new Error(`${run.failed} SQS rounds failed`);
    return {
      messages: options.messages,
      fillSeconds: Math.round(fillSeconds),
      messagesPerSecond: pair(empty.moved / empty.seconds, loaded.moved / loaded.seconds),
      serverCpuMsPerMessage: pair(perOne(empty.cpuMs.server, empty.moved), perOne(loaded.cpuMs.server, loaded.moved)),
      serverRssMb: pair(rssEmpty, rssMb()),
    };
  } finally {
    sqs.destroy();
    await server.close();
  }
}

/** The growth rows for the bench table: each a loaded ÷ empty ratio beside the target. */
export function growthRows(g: GrowthFigures): string[][] {
  const { functions: f, asyncBacklog: a, sqsBacklog: s } = g;
  const ms = (x: number) => `${x} ms`;
  const rows: string[][] = [];
  if (f) {
    rows.push(
    [`Invoke p50 (SDK, sequential) with ${f.deployed} functions deployed vs 1`, `${ms(f.p50Ms.loaded)} vs ${ms(f.p50Ms.empty)}`, `SDK → stub p50 ${ms(f.stubP50Ms.loaded)} vs ${ms(f.stubP50Ms.empty)} (interleaved)`, `${f.p50Ms.ratio}×`, '≤ 1.1×'],
    [`Server CPU per warm invoke (16 lean clients), ${f.deployed} functions vs 1`, `${ms(f.serverCpuMsPerInvoke.loaded)} vs ${ms(f.serverCpuMsPerInvoke.empty)}`, '', `${f.serverCpuMsPerInvoke.ratio}×`, ''],
    [`Server RSS with ${f.deployed} functions vs 1`, `${f.serverRssMb.loaded} MB vs ${f.serverRssMb.empty} MB`, `created through the API in ${f.deploySeconds} s`, `${f.serverRssMb.ratio}×`, 'reported'],
    );
  }
  if (a) {
    rows.push(
    [`Async durable enqueue (16 lean clients, drain running) with a ${a.backlog}-event backlog vs empty`, `${Math.round(a.enqueuePerSecond.loaded)}/s vs ${Math.round(a.enqueuePerSecond.empty)}/s`, `server CPU per event ${ms(a.serverCpuMsPerEvent.loaded)} vs ${ms(a.serverCpuMsPerEvent.empty)}`, `${round3(1 / a.enqueuePerSecond.ratio)}× (time per event)`, '≤ 1.1×'],
    );
  }
  if (s) {
    rows.push(
    [`SQS send+receive+delete (SDK, 16 clients, batches of 10) with ${s.messages} messages queued vs empty`, `${Math.round(s.messagesPerSecond.loaded)}/s vs ${Math.round(s.messagesPerSecond.empty)}/s`, `server CPU per message ${ms(s.serverCpuMsPerMessage.loaded)} vs ${ms(s.serverCpuMsPerMessage.empty)}; RSS ${s.serverRssMb.loaded} MB vs ${s.serverRssMb.empty} MB`, `${round3(1 / s.messagesPerSecond.ratio)}× (time per message)`, '≤ 1.2×'],
    );
  }
  return rows;
}
