import type { AsyncFigures } from './async.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ColdFigures, ProvisionedFigures } from './cold.js';
import type { DensityFigures } from './density.js';
import type { DoorFigures } from './doors.js';
import type { DynamodbFigures } from './dynamodb.js';
import type { FloorFigures } from './floor.js';
import type { KinesisFigures } from './kinesis.js';
import type { SdkStubFigures } from './sdk-stub.js';
import type { SoakFigures } from './soak.js';
import type { SqsFigures } from './sqs.js';
import { round3 } from './stats.js';
import { targetChecks, targetRows, type TargetCheck } from './targets.js';
import type { WarmFigures } from './warm.js';

export interface BenchResults {
  date: string;
  machine: { cpu: string; cores: number; memoryGb: number; kernel: string; node: string; loadAverageAtStart: number };
  /** The mean of `floorRuns`: what every ratio to the floor is read against. */
  floor: FloorFigures | null;
  /** Each run of the floor script: before Lambkin starts and right after the warm phase. */
  floorRuns?: FloorFigures[];
  warm: WarmFigures;
  /** Estimated platform overhead: Lambkin's warm p50 minus the floor's relayed-invoke p50. */
  overheadP50Ms: number | null;
  /** The SDK load generator against a canned-response stub server. */
  sdkStub: SdkStubFigures;
  /** Lambkin's warm p50 minus the SDK-to-stub p50 measured interleaved with it: what the platform (edge, engine, runtime hop) adds. */
  overheadOverSdkP50Ms: number;
  cold: ColdFigures;
  provisioned: ProvisionedFigures | { error: string };
  density: DensityFigures;
  soak?: SoakFigures;
  /** Asynchronous invocation (bench/async.ts). */
  asyncInvoke?: AsyncFigures | { error: string };
  /** Function URL, ALB and HTTP API beside a direct Invoke by the same plain HTTP client. */
  doors?: DoorFigures[] | { error: string };
  sqs?: SqsFigures | { error: string };
  kinesis?: KinesisFigures | { error: string };
  dynamodb?: DynamodbFigures | { error: string };
  /** The performance targets, each a ratio to a baseline of the same run (bench/targets.ts). */
  targets?: TargetCheck[];
  durationSeconds: number;
}

export function machine(): BenchResults['machine'] {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    // Other work on the machine skews every figure; the load says whether this run was quiet.
    loadAverageAtStart: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

const ms = (x: number) => `${x} ms`;
const ratio = (a: number, b: number | undefined) => (b ? `${round3(a / b)}×` : '–');
type CpuSplit = { client: number; server: number; functions: number };
const cpuTotal = (c: CpuSplit) => c.client + c.server + c.functions;
/** The rate at which these CPU costs would use every core: the most this machine could do. */
const ceiling = (c: CpuSplit, cores: number) => `${Math.round((cores * 1000) / Math.max(0.001, cpuTotal(c)))}/s if CPU-bound on ${cores} cores`;
const cpuLine = (c: CpuSplit) => `${ms(c.server)} / ${ms(c.functions)} / ${ms(c.client)}`;

/** The results as a markdown table: each figure beside the baseline measured in the same run. */
export function markdownTable(r: BenchResults): string {
  const f = r.floor;
  const rows: string[][] = [
    ['Warm invoke, no-op Node, SDK round-trip p50', ms(r.warm.p50Ms), f ? `${ms(f.relay_ms_p50)} (floor relay)` : '–', ratio(r.warm.p50Ms, f?.relay_ms_p50), ''],
    ['Warm invoke p90', ms(r.warm.p90Ms), '', '', ''],
    ['Warm invoke p99', ms(r.warm.p99Ms), f ? `${ms(f.relay_ms_p99)} (floor relay)` : '–', ratio(r.warm.p99Ms, f?.relay_ms_p99), '≤ 1.5×'],
    [
      'Platform overhead p50 (Lambkin p50 − SDK-to-stub p50, blocks of 100 interleaved)',
      ms(r.overheadOverSdkP50Ms),
      `${ms(r.warm.pairedStubP50Ms)} (SDK → canned stub, interleaved; ${ms(r.sdkStub.p50Ms)} measured alone before)`,
      ratio(r.warm.p50Ms, r.warm.pairedStubP50Ms),
      '',
    ],
    ['Platform overhead p50 over the stub ÷ floor relay p50', ms(r.overheadOverSdkP50Ms), f ? `${ms(f.relay_ms_p50)} (floor relay p50)` : '–', ratio(r.overheadOverSdkP50Ms, f?.relay_ms_p50), '≤ 1.0×'],
    ['Platform overhead p50 (Lambkin p50 − floor relay p50)', r.overheadP50Ms === null ? '–' : ms(r.overheadP50Ms), '', '', ''],
    [
      `Throughput, ${r.warm.concurrency} concurrent clients`,
      `${r.warm.invokesPerSecond} invokes/s`,
      f ? `${f.tput_per_s}/s (floor relay, ${f.envs} envs)` : '–',
      ratio(r.warm.invokesPerSecond, f?.tput_per_s),
      '',
    ],
    [`SDK → canned stub, ${r.warm.concurrency} concurrent clients`, '', `${r.sdkStub.invokesPerSecond}/s`, ratio(r.warm.invokesPerSecond, r.sdkStub.invokesPerSecond), '≥ 0.95×'],
    [
      'CPU per sync invoke under the SDK load: server / function environments / SDK client',
      cpuLine(r.warm.cpuMsPerInvoke),
      `${ceiling(r.warm.cpuMsPerInvoke, r.machine.cores)}; SDK client alone against the stub ${ms(r.sdkStub.cpuMsPerInvoke.client)}`,
      '',
      '',
    ],
    [
      `Throughput, ${r.warm.concurrency} concurrent lean clients (SigV4-signed raw HTTP, no SDK)`,
      `${r.warm.leanInvokesPerSecond} invokes/s${r.warm.leanFailed ? ` (${r.warm.leanFailed} failed)` : ''}`,
      f ? `${f.tput_per_s}/s (floor relay, ${f.envs} envs)` : '–',
      ratio(r.warm.leanInvokesPerSecond, f?.tput_per_s),
      '≥ 0.9×',
    ],
    [
      'CPU per sync invoke under that load: server / function environments / lean client',
      cpuLine(r.warm.leanCpuMsPerInvoke),
      `${ceiling(r.warm.leanCpuMsPerInvoke, r.machine.cores)}; floor relay server ${f?.relay_server_cpu_ms_per_req === undefined ? '–' : ms(f.relay_server_cpu_ms_per_req)}`,
      ratio(r.warm.leanCpuMsPerInvoke.server, f?.relay_server_cpu_ms_per_req),
      '≤ 1.5× (server)',
    ],
    [
      `Cold start, no-op Node, first invoke after create (median of ${r.cold.samples}; ${r.cold.sparesAdopted} of ${2 * r.cold.samples} took a spare)`,
      ms(r.cold.coldMedianMs),
      `${ms(r.cold.bareSpawnMedianMs)} (\`node -e 0\`)`,
      `${r.cold.ratio}×`,
      '≤ 0.3×',
    ],
    ['Cold start, no-op Python, first invoke after create', ms(r.cold.pythonColdMedianMs), `${ms(r.cold.bareSpawnMedianMs)} (\`node -e 0\`)`, `${r.cold.pythonRatio}×`, '≤ 0.3×'],
    ['Cold start, no-op Node that no spare can serve (NODE_OPTIONS set)', ms(r.cold.withoutSpareMedianMs), `${ms(r.cold.bareSpawnMedianMs)} (\`node -e 0\`)`, `${r.cold.withoutSpareRatio}×`, ''],
    ['Floor: spawn → first GET /next of a minimal runtime client', '', f ? ms(f.first_next_ms_p50) : '–', f ? ratio(r.cold.coldMedianMs, f.first_next_ms_p50) : '–', ''],
    'error' in r.provisioned
      ? ['First invoke with provisioned concurrency', `not measured: ${r.provisioned.error}`, '', '', '≤ 15 ms']
      : [
          `First invoke with provisioned concurrency (median of ${r.provisioned.samples})`,
          ms(r.provisioned.firstInvokeMedianMs),
          r.provisioned.preWarmed ? 'environment pre-initialized' : 'NOT pre-initialized (a cold start)',
          '',
          '≤ 15 ms',
        ],
    [
      `Density: ${r.density.requested} concurrent 128 MB Node environments`,
      `${r.density.succeeded}/${r.density.requested} succeeded, ${r.density.distinctEnvironments} environments`,
      `total RSS ${r.density.totalRssMb} MB (${r.density.rssPerEnvironmentMb} MB each, ${r.density.runtimeProcesses} processes)`,
      '',
      '200',
    ],
  ];
  if (r.asyncInvoke && 'error' in r.asyncInvoke) {
    rows.push(['Async (Event) invokes', `not measured: ${r.asyncInvoke.error}`, '', '', '']);
  } else if (r.asyncInvoke) {
    const a = r.asyncInvoke;
    rows.push([
      `Async durable enqueue, ${a.concurrency} concurrent clients (202 after commit)`,
      `${a.enqueuePerSecond} events/s${a.failed ? ` (${a.failed} failed)` : ''}`,
      `${r.warm.invokesPerSecond} sync invokes/s`,
      ratio(a.enqueuePerSecond, r.warm.invokesPerSecond),
      '≥ 5,000/s',
    ]);
    rows.push([
      `Async durable enqueue, ${a.concurrency} concurrent lean clients (SigV4-signed raw HTTP, no SDK)`,
      `${a.leanEnqueuePerSecond} events/s${a.leanFailed ? ` (${a.leanFailed} failed)` : ''}`,
      `${r.warm.leanInvokesPerSecond} sync invokes/s (lean clients)`,
      ratio(a.leanEnqueuePerSecond, r.warm.leanInvokesPerSecond),
      '≥ 1.5×, 0 lost',
    ]);
    rows.push([
      `The same events end to end: from the first send until the queue was empty again (the drain's tail ${a.leanDrainTailSeconds} s)`,
      `${a.leanDrainedPerSecond} events/s`,
      `${r.warm.leanInvokesPerSecond} sync invokes/s (lean clients)`,
      ratio(a.leanDrainedPerSecond, r.warm.leanInvokesPerSecond),
      '',
    ]);
    rows.push([
      'CPU per accepted event under that load (worker draining meanwhile): server / functions / client',
      cpuLine(a.leanCpuMsPerEvent),
      ceiling(a.leanCpuMsPerEvent, r.machine.cores),
      '',
      '',
    ]);
    rows.push([
      `Async durable enqueue, ${a.concurrency} concurrent lean clients, drain idle (the function's one reserved slot held: events wait in the queue)`,
      `${a.heldEnqueuePerSecond} events/s${a.heldFailed ? ` (${a.heldFailed} failed)` : ''}`,
      `CPU server / functions / client ${cpuLine(a.heldCpuMsPerEvent)}`,
      ceiling(a.heldCpuMsPerEvent, r.machine.cores),
      '≥ 5,000/s',
    ]);
    rows.push([
      `Async durable enqueue, store alone (${a.concurrency} concurrent enqueuers, group commit)`,
      `${a.storeEnqueuePerSecond} events/s`,
      `${r.sdkStub.invokesPerSecond}/s SDK → canned stub (the client's ceiling)`,
      '',
      '≥ 5,000/s',
    ]);
    rows.push([
      `Async enqueue-to-start p50, idle (send → handler; median of ${a.samples})`,
      ms(a.sendToStartP50Ms),
      `${ms(r.warm.p50Ms)} sync round-trip p50; 202 → handler ${ms(a.ackToStartP50Ms)}`,
      ratio(a.sendToStartP50Ms, r.warm.p50Ms),
      '≤ 5 ms',
    ]);
  }
  if (r.soak) {
    rows.push([
      `Soak: ${r.soak.invokes} invokes, ${r.soak.concurrency} clients`,
      `${r.soak.mismatched} mixed up, ${r.soak.failed} failed`,
      `${r.soak.seconds} s (${r.soak.invokesPerSecond}/s)`,
      '',
      '0 lost or mixed up',
    ]);
  }
  if (r.doors && 'error' in r.doors) rows.push(['HTTP front doors', `not measured: ${r.doors.error}`, '', '', '']);
  else if (r.doors) {
    const direct = r.doors[0];
    for (const d of r.doors.slice(1)) {
      rows.push([
        `${d.door}: p50 / req/s (keep-alive, ${r.warm.concurrency} connections)`,
        `${ms(d.p50Ms)} / ${d.requestsPerSecond}/s`,
        direct ? `${ms(direct.p50Ms)} / ${direct.requestsPerSecond}/s (direct Invoke, same client)` : '',
        `+${ms(d.addedP50Ms)}`,
        '≤ +0.3 ms',
      ]);
    }
  }
  if (r.sqs && 'error' in r.sqs) rows.push(['SQS', `failed: ${r.sqs.error}`, '', '', '']);
  else if (r.sqs) {
    rows.push(['SQS send+receive+delete (SDK, batches of 10, 16 clients)', `${r.sqs.sdkMessagesPerSecond} messages/s`, '', '', '']);
    rows.push([`SQS → function via event source mapping, batch 10 (${r.sqs.esmMessages} messages)`, `${r.sqs.esmMessagesPerSecond} messages/s`, '', '', '≥ 3,000/s']);
    rows.push(['SQS send → handler start, median (idle mapping)', ms(r.sqs.sendToHandlerP50Ms), '', '', '']);
  }
  if (r.kinesis && 'error' in r.kinesis) rows.push(['Kinesis', `failed: ${r.kinesis.error}`, '', '', '']);
  else if (r.kinesis) {
    const k = r.kinesis;
    rows.push([
      `Kinesis PutRecords → function via event source mapping, batch 100, 4 shards (${k.esmRecords} records)`,
      `${k.esmRecordsPerSecond} records/s`,
      `${k.putRecordsPerSecond} records/s put by 16 SDK producers meanwhile`,
      ratio(k.esmRecordsPerSecond, k.putRecordsPerSecond),
      '≥ 5,000/s',
    ]);
    rows.push([
      `Kinesis mapping IteratorAge p50 at ${k.iteratorAgeLoadPerSecond} records/s offered`,
      ms(k.iteratorAgeP50Ms),
      `${ms(r.warm.p50Ms)} sync round-trip p50; ${ms(k.iteratorAgeSaturatedP50Ms)} while the producers above outran the mapping`,
      ratio(k.iteratorAgeP50Ms, r.warm.p50Ms),
      '≤ 1 s',
    ]);
    rows.push([
      'Kinesis PutRecord → handler start, median (idle mapping)',
      ms(k.putToHandlerP50Ms),
      `${ms(r.warm.p50Ms)} sync round-trip p50`,
      ratio(k.putToHandlerP50Ms, r.warm.p50Ms),
      '≤ 50 ms',
    ]);
  }
  if (r.dynamodb && 'error' in r.dynamodb) rows.push(['DynamoDB', `failed: ${r.dynamodb.error}`, '', '', '']);
  else if (r.dynamodb) {
    const d = r.dynamodb;
    for (const [op, lambkin, stub] of [['PutItem', d.putItemPerSecond, d.putItemStubPerSecond], ['GetItem', d.getItemPerSecond, d.getItemStubPerSecond]] as const) {
      rows.push([
        `DynamoDB ${op} through the SDK, ${d.concurrency} clients${d.failed ? ` (${d.failed} failed)` : ''}`,
        `${lambkin}/s`,
        `${stub}/s (same SDK client → canned stub)`,
        ratio(lambkin, stub),
        '≥ 0.8×',
      ]);
    }
    rows.push([
      'DynamoDB item write → stream → mapping → handler start, median (idle mapping)',
      ms(d.writeToHandlerP50Ms),
      `${ms(r.warm.p50Ms)} sync round-trip p50`,
      ratio(d.writeToHandlerP50Ms, r.warm.p50Ms),
      '≤ 50 ms',
    ]);
  }
  const header = ['Measure', 'Lambkin', 'Baseline (same run)', 'Ratio', 'Target'];
  return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

/** The targets as a markdown table: value, baseline, ratio, target, met or not. */
export function targetsTable(r: BenchResults): string {
  const header = ['Target', 'Lambkin', 'Baseline (same run)', 'Ratio', 'Target ratio', 'Met'];
  return [header, header.map(() => '---'), ...targetRows(r.targets ?? targetChecks(r))].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

export function machineLine(r: BenchResults): string {
  const m = r.machine;
  const runs = r.floorRuns ?? [];
  const floorNote = runs.length > 1
    ? `; floor: mean of ${runs.length} runs (before Lambkin, after the warm phase: relay server CPU ${runs.map((f) => f.relay_server_cpu_ms_per_req ?? '–').join(' / ')} ms, relay ${runs.map((f) => f.tput_per_s).join(' / ')}/s)`
    : '';
  return `${r.date.slice(0, 10)}, ${m.cores} × ${m.cpu}, ${m.memoryGb} GB, ${m.kernel}, Node ${m.node}, 1-min load average ${m.loadAverageAtStart} at start; full run ${r.durationSeconds} s${floorNote}`;
}

/** Writes `bench/results/<timestamp>.json|md` and `latest.json|md` in the source tree (not dist). */
export function writeResults(r: BenchResults): string {
  const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const stamp = r.date.replace(/[:.]/g, '-');
  r.targets ??= targetChecks(r);
  const md = `# Lambkin benchmark\n\n${machineLine(r)}\n\n${markdownTable(r)}\n\n## Targets\n\n${targetsTable(r)}\n`;
  writeFileSync(path.join(dir, `${stamp}.json`), `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(path.join(dir, `${stamp}.md`), md);
  writeFileSync(path.join(dir, 'latest.md'), md);
  writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(r, null, 2)}\n`);
  return path.join(dir, `${stamp}.json`);
}
