// `node dist/bench/cluster-main.js [--nodes 3] [--seconds N] [--events N] [--forwarding-only] [--sqs-relay-only]`: what more nodes on one
// PostgreSQL give and cost on this machine. One SQLite node, then 1, 2, … N PostgreSQL nodes (each
// a `lambkin start` process on a fresh database), each driven by 16 lean clients spread over its
// nodes: sync invokes/s with p50/p99, server CPU per invoke summed over the nodes, and the
// asynchronous path (N events enqueued over the nodes, then drained by them). Then what forwarding
// a sync invoke costs: one client invoking a function whose one provisioned environment is on one
// of two nodes, directly on that node and through the other, which forwards every invoke. Beside
// the floor relay of ../shared/bench/floor.mjs measured in the same run. Then what relaying an SQS
// call to the node serving the queue costs: one client sending to a queue through that node and
// through the other. Results: bench/results/cluster-*.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Agent } from 'node:http';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateFunctionCommand, GetProvisionedConcurrencyConfigCommand, PublishVersionCommand, PutProvisionedConcurrencyConfigCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { runJsonChild } from './child.js';
import type { ClusterLoadPlan, ClusterLoadResult } from './cluster-loadgen.js';
import { cpuSnapshot } from './cpu-usage.js';
import { measureFloor, type FloorFigures } from './floor.js';
import { clientFor, ROLE } from './lambkin.js';
import { zipOf } from './functions.js';
import { machine, machineLine } from './report.js';
import { percentile, round3 } from './stats.js';
import { intOption } from './options.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const CONCURRENCY = 16;
const POSTGRES = process.env.LAMBKIN_BENCH_POSTGRES || 'postgres://postgres@127.0.0.1:5432/test';
const CLI = fileURLToPath(new URL('../../bin/lambkin.js', import.meta.url));

const maxNodes = intOption('nodes', 3);
const durationMs = intOption('seconds', 5) * 1000;
const events = intOption('events', 2000);
const step = (text: string) => process.stderr.write(`cluster: ${text}\n`);

interface Node { url: string; child: ChildProcess; dataDir: string }

interface ClusterRow {
  nodes: number;
  store: 'sqlite' | 'postgres';
  syncPerSecond: number;
  syncFailed: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU of the node processes (not their function environments) per sync invoke, summed over nodes. */
  nodeCpuMsPerInvoke: number;
  functionCpuMsPerInvoke: number;
  /** Events enqueued and run, from the first enqueue to an empty queue. */
  asyncPerSecond: number;
  asyncEnqueuePerSecond: number;
  asyncFailed: number;
}

/** One client's sync invokes of a provisioned function, sent to the node holding it or to the other. */
interface ForwardingRow {
  path: 'direct' | 'forwarded';
  perSecond: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  /** Node processes' CPU per invoke, both nodes summed (a forward costs the receiving node too). */
  nodeCpuMsPerInvoke: number;
  /** Environments of the function on the node the client sent to that was not the holder: 0 when every invoke was forwarded. */
  receiverEnvironments: number;
}

/** One client's SendMessage calls to a queue, sent to the node serving it or to the other (which relays each). */
interface SqsRelayRow {
  path: 'owner' | 'relayed';
  perSecond: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  /** Node processes' CPU per call, both nodes summed (a relay costs both), their idle CPU over the same time taken off. */
  nodeCpuMsPerCall: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startNode(store: string | undefined): Promise<Node> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-bench-cluster-'));
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'start', '--port', String(port), '--data-dir', dataDir], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, LAMBKIN_LOG_LEVEL: 'error', ...(store ? { LAMBKIN_STORE: store } : {}) },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    if (await fetch(`${url}/_lambkin/health`).then((r) => r.ok, () => false)) return { url, child, dataDir };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`a node did not start (${url})`);
}

async function stopNode(node: Node): Promise<void> {
  if (node.child.exitCode === null && node.child.signalCode === null) {
    const exited = new Promise((r) => node.child.once('exit', r));
    node.child.kill('SIGTERM');
    const timer = setTimeout(() => node.child.kill('SIGKILL'), 40_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(node.dataDir, { recursive: true, force: true });
}

/** A fresh database for one measurement's nodes: its URL, and how to drop it afterwards. */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `lambkin_bench_${randomBytes(5).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`).catch(() => undefined) };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Events still in Lambda's asynchronous queue of the cluster's store. */
async function queuedEvents(store: string | undefined, first: Node): Promise<number> {
  if (!store) {
    const db = new SqliteDatabase(path.join(first.dataDir, 'lambkin.db'), { readonly: true });
    try {
      return (db.prepare('SELECT count(*) AS n FROM async_events').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: store });
  await client.connect();
  try {
    return Number((await client.query('select count(*) as n from async_events')).rows[0].n);
  } finally {
    await client.end();
  }
}

async function measure(nodeCount: number, kind: 'sqlite' | 'postgres'): Promise<ClusterRow> {
  const database = kind === 'postgres' ? await freshDatabase() : undefined;
  const store = database?.url;
  const nodes: Node[] = [];
  try {
    for (let i = 0; i < nodeCount; i++) nodes.push(await startNode(store));
    const lambda = clientFor(nodes[0]!.url);
    for (const name of ['bench-sync', 'bench-async']) {
      await lambda.send(new CreateFunctionCommand({
        FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE,
        Code: { ZipFile: zipOf('exports.handler = async () => ({ ok: true });') },
      }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60, minDelay: 1 }, { FunctionName: name });
    }
    lambda.destroy();
    const urls = nodes.map((n) => n.url);
    const loadgen = fileURLToPath(new URL('./cluster-loadgen.js', import.meta.url));
    const cpu = () => nodes.map((n) => cpuSnapshot(n.child.pid!));
    const syncPlan: ClusterLoadPlan = { urls, functionName: 'bench-sync', invocationType: 'RequestResponse', concurrency: CONCURRENCY, durationMs: 1000 };
    // A short run first starts the environments on every node; the measured run has no warm-up, so
    // the CPU read around it is the measured invokes' own.
    await runJsonChild<ClusterLoadResult>([loadgen, JSON.stringify(syncPlan)]);
    const before = cpu();
    const sync = await runJsonChild<ClusterLoadResult>([loadgen, JSON.stringify({ ...syncPlan, durationMs, warmupPerClient: 0 })]);
    step(`  sync: ${sync.completed} invokes in ${round3(sync.seconds)} s, ${sync.failed} failed`);
    const after = cpu();
    const invokes = sync.completed + sync.failed;
    const nodeCpu = after.reduce((s, a, i) => s + a.rootMs - before[i]!.rootMs, 0);
    const fnCpu = after.reduce((s, a, i) => s + a.descendantsMs - before[i]!.descendantsMs, 0);

    const t0 = performance.now();
    const enqueue = await runJsonChild<ClusterLoadResult>([loadgen, JSON.stringify({ urls, functionName: 'bench-async', invocationType: 'Event', concurrency: CONCURRENCY, events } satisfies ClusterLoadPlan)]);
    step(`  ${enqueue.completed} events enqueued in ${round3(enqueue.seconds)} s; draining…`);
    const deadline = Date.now() + 300_000;
    for (let left = await queuedEvents(store, nodes[0]!), said = Date.now(); left > 0; left = await queuedEvents(store, nodes[0]!)) {
      if (Date.now() > deadline) throw new Error(`${left} events still queued after 300 s`);
      if (Date.now() - said > 5000) {
        step(`  ${left} events still queued`);
        said = Date.now();
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const drained = (performance.now() - t0) / 1000;
    return {
      nodes: nodeCount, store: kind,
      syncPerSecond: Math.round(sync.completed / sync.seconds), syncFailed: sync.failed,
      p50Ms: round3(sync.p50Ms), p99Ms: round3(sync.p99Ms),
      nodeCpuMsPerInvoke: round3(nodeCpu / invokes), functionCpuMsPerInvoke: round3(fnCpu / invokes),
      asyncPerSecond: Math.round(enqueue.completed / drained), asyncEnqueuePerSecond: Math.round(enqueue.completed / enqueue.seconds), asyncFailed: enqueue.failed,
    };
  } finally {
    for (const n of nodes) await stopNode(n);
    await database?.drop();
  }
}

interface Listed { url: string; self: boolean; environments: Record<string, number>; provisioned?: Record<string, number> }

async function listing(node: Node): Promise<Listed[]> {
  return ((await (await fetch(`${node.url}/_lambkin/cluster`)).json()) as { members: Listed[] }).members;
}

/**
 * Two PostgreSQL nodes; `bench-pinned` with provisioned concurrency 1, so its one environment is
 * on one node. One client invokes it on that node (direct), then on the other (every invoke
 * forwarded to the holder): the difference is what a forward costs.
 */
async function measureForwarding(): Promise<ForwardingRow[]> {
  const database = await freshDatabase();
  const store = database.url;
  const nodes: Node[] = [];
  try {
    for (let i = 0; i < 2; i++) nodes.push(await startNode(store));
    const lambda = clientFor(nodes[0]!.url);
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'bench-pinned', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: zipOf('exports.handler = async () => ({ ok: true });') },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60, minDelay: 1 }, { FunctionName: 'bench-pinned' });
    const version = (await lambda.send(new PublishVersionCommand({ FunctionName: 'bench-pinned' }))).Version!;
    await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'bench-pinned', Qualifier: version, ProvisionedConcurrentExecutions: 1 }));
    const deadline = Date.now() + 120_000;
    while ((await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'bench-pinned', Qualifier: version }))).Status !== 'READY') {
      if (Date.now() > deadline) throw new Error('provisioned concurrency not READY after 120 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    lambda.destroy();
    const holds = (m: Listed) => Object.keys(m.provisioned ?? {}).some((key) => key.includes('/bench-pinned/'));
    const holderUrl = (await listing(nodes[0]!)).find(holds)?.url;
    const holder = nodes.find((n) => n.url === holderUrl);
    const receiver = nodes.find((n) => n !== holder);
    if (!holder || !receiver) throw new Error('the provisioned environment is on no node');
    // The receiver must have read a heartbeat of the holder with its environment before it forwards.
    while (!(await listing(receiver)).some((m) => !m.self && holds(m))) await new Promise((r) => setTimeout(r, 200));
    const loadgen = fileURLToPath(new URL('./cluster-loadgen.js', import.meta.url));
    const rows: ForwardingRow[] = [];
    for (const [kind, target] of [['direct', holder], ['forwarded', receiver]] as const) {
      const plan: ClusterLoadPlan = { urls: [target.url], functionName: `bench-pinned:${version}`, invocationType: 'RequestResponse', concurrency: 1, durationMs: 1000 };
      await runJsonChild<ClusterLoadResult>([loadgen, JSON.stringify(plan)]);
      const before = nodes.map((n) => cpuSnapshot(n.child.pid!));
      const run = await runJsonChild<ClusterLoadResult>([loadgen, JSON.stringify({ ...plan, durationMs, warmupPerClient: 0 })]);
      const after = nodes.map((n) => cpuSnapshot(n.child.pid!));
      step(`  ${kind}: ${run.completed} invokes in ${round3(run.seconds)} s, ${run.failed} failed`);
      const self = (await listing(receiver)).find((m) => m.self);
      rows.push({
        path: kind, perSecond: Math.round(run.completed / run.seconds), failed: run.failed, p50Ms: round3(run.p50Ms), p99Ms: round3(run.p99Ms),
        nodeCpuMsPerInvoke: round3(after.reduce((sum, a, i) => sum + a.rootMs - before[i]!.rootMs, 0) / Math.max(1, run.completed + run.failed)),
        receiverEnvironments: Object.entries(self?.environments ?? {}).filter(([state]) => state !== 'dead').reduce((sum, [, n]) => sum + n, 0),
      });
    }
    return rows;
  } finally {
    for (const n of nodes) await stopNode(n);
    await database.drop();
  }
}

/**
 * Two PostgreSQL nodes and one queue, served by the node that created it. One client sends to it
 * through that node, then through the other (which relays every call to the owner): the
 * difference is what a relay costs.
 */
async function measureSqsRelay(): Promise<SqsRelayRow[]> {
  const database = await freshDatabase();
  const store = database.url;
  const nodes: Node[] = [];
  const clientOf = (node: Node) => new SQSClient({
    endpoint: node.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, useQueueUrlAsEndpoint: false,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 1 }) },
  });
  try {
    for (let i = 0; i < 2; i++) nodes.push(await startNode(store));
    const creator = clientOf(nodes[0]!);
    const { QueueUrl } = await creator.send(new CreateQueueCommand({ QueueName: 'bench-relay' }));
    creator.destroy();
    const ownerId = await (async () => {
      const db = new pg.Client({ connectionString: store });
      await db.connect();
      try {
        return (await db.query<{ owner: string }>("select owner from cluster_leases where name = 'sqs-queues:000000000000/us-east-1'")).rows[0]?.owner;
      } finally {
        await db.end();
      }
    })();
    const selfIds = await Promise.all(nodes.map(async (n) => ((await (await fetch(`${n.url}/_lambkin/cluster`)).json()) as { node: string }).node));
    const owner = nodes[selfIds.indexOf(ownerId ?? '')];
    const other = nodes.find((n) => n !== owner);
    if (!owner || !other) throw new Error('no node serves the queue');
    // What the two nodes spend doing nothing (heartbeats, lease renewals, mapping reconciles) over
    // the same time, taken off each run's CPU: at one client's pace it would otherwise dominate.
    const idleBefore = nodes.map((n) => cpuSnapshot(n.child.pid!));
    await new Promise((r) => setTimeout(r, durationMs));
    const idleMsPerSecond = nodes.map((n, i) => cpuSnapshot(n.child.pid!).rootMs - idleBefore[i]!.rootMs).reduce((a, b) => a + b, 0) / (durationMs / 1000);
    const rows: SqsRelayRow[] = [];
    for (const [kind, target] of [['owner', owner], ['relayed', other]] as const) {
      const client = clientOf(target);
      const send = () => client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bench' }));
      for (const warmUntil = performance.now() + 1000; performance.now() < warmUntil; ) await send();
      const latencies: number[] = [];
      let failed = 0;
      const before = nodes.map((n) => cpuSnapshot(n.child.pid!));
      const startedAt = performance.now();
      while (performance.now() - startedAt < durationMs) {
        const t0 = performance.now();
        try {
          await send();
          latencies.push(performance.now() - t0);
        } catch {
          failed++;
        }
      }
      const seconds = (performance.now() - startedAt) / 1000;
      const after = nodes.map((n) => cpuSnapshot(n.child.pid!));
      client.destroy();
      step(`  ${kind}: ${latencies.length} sends in ${round3(seconds)} s, ${failed} failed`);
      rows.push({
        path: kind, perSecond: Math.round(latencies.length / seconds), failed, p50Ms: round3(percentile(latencies, 0.5)), p99Ms: round3(percentile(latencies, 0.99)),
        nodeCpuMsPerCall: round3((after.reduce((sum, a, i) => sum + a.rootMs - before[i]!.rootMs, 0) - idleMsPerSecond * seconds) / Math.max(1, latencies.length + failed)),
      });
    }
    return rows;
  } finally {
    for (const n of nodes) await stopNode(n);
    await database.drop();
  }
}

const started = performance.now();
const date = new Date().toISOString();
const host = machine();
// `--forwarding-only`: the forwarding table alone (no floor, no node rows), e.g. for a quick check.
const forwardingOnly = process.argv.includes('--forwarding-only');
// `--sqs-relay-only`: the floor and the SQS relay table alone.
const sqsRelayOnly = process.argv.includes('--sqs-relay-only');
const nodeRows = !forwardingOnly && !sqsRelayOnly;
if (!forwardingOnly) step('floor (../shared/bench/floor.mjs)…');
const floor: FloorFigures | null = forwardingOnly ? null : await measureFloor(CONCURRENCY);
const rows: ClusterRow[] = [];
if (nodeRows) {
  step('1 node, SQLite…');
  rows.push(await measure(1, 'sqlite'));
}
const postgres = await admin('select 1').then(() => true, () => false);
if (!postgres) step(`no PostgreSQL at ${POSTGRES} (Debian package postgresql): PostgreSQL rows skipped`);
for (let n = 1; postgres && nodeRows && n <= maxNodes; n++) {
  step(`${n} node${n > 1 ? 's' : ''}, PostgreSQL…`);
  rows.push(await measure(n, 'postgres'));
}
let forwarding: ForwardingRow[] = [];
if (postgres && !sqsRelayOnly) {
  step('forwarding: 2 nodes, PostgreSQL, 1 client, provisioned concurrency 1…');
  forwarding = await measureForwarding();
}
let sqsRelay: SqsRelayRow[] = [];
if (postgres && !forwardingOnly) {
  step('sqs relay: 2 nodes, PostgreSQL, 1 client sending to one queue…');
  sqsRelay = await measureSqsRelay();
}

const ratio = (x: number, base: number | undefined) => (base ? `${round3(x / base)}×` : '–');
const header = ['Nodes, store', 'Sync invokes/s (÷ floor relay)', 'p50 / p99 ms (÷ floor relay p50)', 'Node CPU ms per invoke (÷ floor relay server)', 'Function CPU ms per invoke', 'Async events/s enqueued → run', 'Failed'];
const table = rows.length === 0 ? '(no node rows)' : [header, header.map(() => '---'), ...rows.map((r) => [
  `${r.nodes}, ${r.store}`,
  `${r.syncPerSecond} (${ratio(r.syncPerSecond, floor?.tput_per_s)})`,
  `${r.p50Ms} / ${r.p99Ms} (${ratio(r.p50Ms, floor?.relay_ms_p50)})`,
  `${r.nodeCpuMsPerInvoke} (${ratio(r.nodeCpuMsPerInvoke, floor?.relay_server_cpu_ms_per_req)})`,
  String(r.functionCpuMsPerInvoke),
  `${r.asyncEnqueuePerSecond} → ${r.asyncPerSecond}`,
  String(r.syncFailed + r.asyncFailed),
])].map((row) => `| ${row.join(' | ')} |`).join('\n');
const forwardHeader = ['Sync invoke, 2 nodes, 1 client', 'Invokes/s', 'p50 / p99 ms', 'Node CPU ms per invoke (both nodes)', 'Environments on the receiving node', 'Failed'];
const forwardTable = forwarding.length === 0 ? '' : `\n\n${[forwardHeader, forwardHeader.map(() => '---'), ...forwarding.map((r) => [
  r.path === 'direct' ? 'direct (to the node holding the provisioned environment)' : 'forwarded (to the other node, which forwards it)',
  String(r.perSecond), `${r.p50Ms} / ${r.p99Ms}`, String(r.nodeCpuMsPerInvoke), r.path === 'direct' ? '–' : String(r.receiverEnvironments), String(r.failed),
])].map((row) => `| ${row.join(' | ')} |`).join('\n')}`;
const relayHeader = ['SQS SendMessage, 2 nodes, 1 client', 'Calls/s', 'p50 / p99 ms (÷ floor relay p50)', 'Node CPU ms per call (both nodes, idle taken off; ÷ floor relay server)', 'Failed'];
const relayTable = sqsRelay.length === 0 ? '' : `\n\n${[relayHeader, relayHeader.map(() => '---'), ...sqsRelay.map((r) => [
  r.path === 'owner' ? 'to the node serving the queue' : 'to the other node (relayed to the owner)',
  String(r.perSecond), `${r.p50Ms} / ${r.p99Ms} (${ratio(r.p50Ms, floor?.relay_ms_p50)})`, `${r.nodeCpuMsPerCall} (${ratio(r.nodeCpuMsPerCall, floor?.relay_server_cpu_ms_per_req)})`, String(r.failed),
])].map((row) => `| ${row.join(' | ')} |`).join('\n')}`;
const durationSeconds = Math.round((performance.now() - started) / 1000);
const line = machineLine({ date, machine: host, durationSeconds } as Parameters<typeof machineLine>[0]);
const floorLine = floor ? `Floor: relay ${floor.tput_per_s}/s, p50 ${floor.relay_ms_p50} ms, server CPU ${floor.relay_server_cpu_ms_per_req ?? '–'} ms per request.` : forwardingOnly ? 'Floor not measured (--forwarding-only).' : 'No floor script beside the repository.';
const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const stamp = date.replace(/[:.]/g, '-');
const json = `${JSON.stringify({ date, machine: host, floor, rows, forwarding, sqsRelay, durationSeconds }, null, 2)}\n`;
const md = `# Lambkin benchmark: nodes on one PostgreSQL\n\n${line}\n\n${floorLine}\n\n${table}${forwardTable}${relayTable}\n`;
// A forwarding-only or relay-only run leaves the full run's `cluster-latest` as it was.
const base = forwardingOnly ? `cluster-forwarding-${stamp}` : sqsRelayOnly ? `cluster-sqs-relay-${stamp}` : `cluster-${stamp}`;
for (const name of nodeRows ? [base, 'cluster-latest'] : [base]) {
  writeFileSync(path.join(dir, `${name}.json`), json);
  writeFileSync(path.join(dir, `${name}.md`), md);
}
process.stdout.write(`\n${line}\n${floorLine}\n\n${table}${forwardTable}${relayTable}\n\nwritten: ${path.join(dir, `${base}.json`)}\n`);
