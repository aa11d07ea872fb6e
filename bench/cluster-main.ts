// `node dist/bench/cluster-main.js [--nodes 3] [--seconds N] [--events N]`: what more nodes on one
// PostgreSQL give and cost on this machine. One SQLite node, then 1, 2, … N PostgreSQL nodes (each
// a `lambkin start` process on a fresh database), each driven by 16 lean clients spread over its
// nodes: sync invokes/s with p50/p99, server CPU per invoke summed over the nodes, and the
// asynchronous path (N events enqueued over the nodes, then drained by them). Beside the floor
// relay of ../shared/bench/floor.mjs measured in the same run. Results: bench/results/cluster-*.
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
import { CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { runJsonChild } from './child.js';
import type { ClusterLoadPlan, ClusterLoadResult } from './cluster-loadgen.js';
import { cpuSnapshot } from './cpu-usage.js';
import { measureFloor, type FloorFigures } from './floor.js';
import { clientFor, ROLE } from './lambkin.js';
import { zipOf } from './functions.js';
import { machine, machineLine } from './report.js';
import { round3 } from './stats.js';
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
  let store: string | undefined;
  let dbName: string | undefined;
  if (kind === 'postgres') {
    dbName = `lambkin_bench_${randomBytes(5).toString('hex')}`;
    await admin(`create database ${dbName}`);
    const u = new URL(POSTGRES);
    u.pathname = `/${dbName}`;
    store = u.toString();
  }
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
    if (dbName) await admin(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
  }
}

const started = performance.now();
const date = new Date().toISOString();
const host = machine();
step('floor (../shared/bench/floor.mjs)…');
const floor: FloorFigures | null = await measureFloor(CONCURRENCY);
const rows: ClusterRow[] = [];
step('1 node, SQLite…');
rows.push(await measure(1, 'sqlite'));
const postgres = await admin('select 1').then(() => true, () => false);
if (!postgres) step(`no PostgreSQL at ${POSTGRES} (Debian package postgresql): PostgreSQL rows skipped`);
for (let n = 1; postgres && n <= maxNodes; n++) {
  step(`${n} node${n > 1 ? 's' : ''}, PostgreSQL…`);
  rows.push(await measure(n, 'postgres'));
}

const ratio = (x: number, base: number | undefined) => (base ? `${round3(x / base)}×` : '–');
const header = ['Nodes, store', 'Sync invokes/s (÷ floor relay)', 'p50 / p99 ms (÷ floor relay p50)', 'Node CPU ms per invoke (÷ floor relay server)', 'Function CPU ms per invoke', 'Async events/s enqueued → run', 'Failed'];
const table = [header, header.map(() => '---'), ...rows.map((r) => [
  `${r.nodes}, ${r.store}`,
  `${r.syncPerSecond} (${ratio(r.syncPerSecond, floor?.tput_per_s)})`,
  `${r.p50Ms} / ${r.p99Ms} (${ratio(r.p50Ms, floor?.relay_ms_p50)})`,
  `${r.nodeCpuMsPerInvoke} (${ratio(r.nodeCpuMsPerInvoke, floor?.relay_server_cpu_ms_per_req)})`,
  String(r.functionCpuMsPerInvoke),
  `${r.asyncEnqueuePerSecond} → ${r.asyncPerSecond}`,
  String(r.syncFailed + r.asyncFailed),
])].map((row) => `| ${row.join(' | ')} |`).join('\n');
const durationSeconds = Math.round((performance.now() - started) / 1000);
const line = machineLine({ date, machine: host, durationSeconds } as Parameters<typeof machineLine>[0]);
const floorLine = floor ? `Floor: relay ${floor.tput_per_s}/s, p50 ${floor.relay_ms_p50} ms, server CPU ${floor.relay_server_cpu_ms_per_req ?? '–'} ms per request.` : 'No floor script beside the repository.';
const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const stamp = date.replace(/[:.]/g, '-');
const json = `${JSON.stringify({ date, machine: host, floor, rows, durationSeconds }, null, 2)}\n`;
const md = `# Lambkin benchmark: nodes on one PostgreSQL\n\n${line}\n\n${floorLine}\n\n${table}\n`;
for (const name of [`cluster-${stamp}`, 'cluster-latest']) {
  writeFileSync(path.join(dir, `${name}.json`), json);
  writeFileSync(path.join(dir, `${name}.md`), md);
}
process.stdout.write(`\n${line}\n${floorLine}\n\n${table}\n\nwritten: ${path.join(dir, `cluster-${stamp}.json`)}\n`);
