// `node dist/bench/network-main.js [--cold N] [--warm N] [--envs N]`: what a network namespace per
// environment costs. The same measurements against two servers, one isolating each environment's
// network (pasta) and one with LAMBKIN_FUNCTION_NETWORK=host, beside this machine's floor: cold
// start (ratio to `node -e 0`), warm sequential p50/p99 (the Runtime API hop now crosses pasta;
// ratio to the floor's relay p50) and the resident memory pasta adds per environment.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { measureCold } from './cold.js';
import { measureFloor } from './floor.js';
import { NO_OP, SLEEPER } from './functions.js';
import { startBenchServer, type BenchServer } from './lambkin.js';
import { subtreesOf } from './processes.js';
import { percentile, round3 } from './stats.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const option = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const coldSamples = option('cold', 10);
const warmSamples = option('warm', 1000);
const concurrentEnvs = option('envs', 10);

interface ModeFigures {
  network: string;
  coldMedianMs: number;
  coldToNodeSpawn: number;
  warmP50Ms: number;
  warmP99Ms: number;
  /** Resident memory of the pasta processes, per environment, with `envs` environments up. */
  pastaRssMbPerEnvironment: number | null;
}

async function warmSequential(server: BenchServer): Promise<{ p50: number; p99: number }> {
  await server.deploy('bench-net-warm', NO_OP, { memoryMb: 1769 });
  const client = server.client(1);
  const send = () => client.send(new InvokeCommand({ FunctionName: 'bench-net-warm', Payload: Buffer.from('{}') }));
  for (let i = 0; i < 100; i++) await send();
  const latencies: number[] = [];
  for (let i = 0; i < warmSamples; i++) {
    const t = performance.now();
    await send();
    latencies.push(performance.now() - t);
  }
  client.destroy();
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
}

/** `envs` environments held busy at once (a sleeping handler), then pasta's RSS summed over the server's children. */
async function pastaRss(server: BenchServer): Promise<number | null> {
  await server.deploy('bench-net-envs', SLEEPER, { memoryMb: 128 });
  const client = server.client(concurrentEnvs);
  const busy = Promise.all(
    Array.from({ length: concurrentEnvs }, () => client.send(new InvokeCommand({ FunctionName: 'bench-net-envs', Payload: Buffer.from(JSON.stringify({ sleepMs: 4000 })) }))),
  );
  await new Promise((resolve) => setTimeout(resolve, 2000));
  let kb = 0;
  let count = 0;
  for (const tree of subtreesOf(process.pid)) {
    for (const pid of tree) {
      if (commandOf(pid) !== 'pasta') continue;
      kb += rssKbOf(pid);
      count++;
    }
  }
  await busy;
  client.destroy();
  return count === 0 ? null : round3(kb / 1024 / count);
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function rssKbOf(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function measureMode(network: 'isolated' | 'host'): Promise<ModeFigures> {
  const server = await startBenchServer({ LAMBKIN_FUNCTION_NETWORK: network });
  try {
    const health = (await (await fetch(`${server.url}/_lambkin/health`)).json()) as { network?: string };
    const cold = await measureCold(server, coldSamples);
    const warm = await warmSequential(server);
    return {
      network: health.network ?? network,
      // What namespaces cost a start: without a spare (the host network has none).
      coldMedianMs: cold.withoutSpareMedianMs,
      coldToNodeSpawn: cold.withoutSpareRatio,
      warmP50Ms: round3(warm.p50),
      warmP99Ms: round3(warm.p99),
      pastaRssMbPerEnvironment: await pastaRss(server),
    };
  } finally {
    await server.close();
  }
}

const floor = await measureFloor(16);
// Interleaved twice (isolated, host, isolated, host): a noisy minute hurts both modes alike.
const runs: ModeFigures[] = [];
for (let round = 0; round < 2; round++) for (const mode of ['isolated', 'host'] as const) runs.push(await measureMode(mode));
const best = (network: string, key: 'coldMedianMs' | 'warmP50Ms' | 'warmP99Ms') =>
  Math.min(...runs.filter((r) => r.network === network).map((r) => r[key]));
const summary = {
  floorRelayP50Ms: floor?.relay_ms_p50 ?? null,
  runs,
  coldAddedMs: round3(best('namespace', 'coldMedianMs') - best('host', 'coldMedianMs')),
  warmP50AddedMs: round3(best('namespace', 'warmP50Ms') - best('host', 'warmP50Ms')),
  warmP50AddedToFloorRelayP50: floor ? round3((best('namespace', 'warmP50Ms') - best('host', 'warmP50Ms')) / floor.relay_ms_p50) : null,
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
