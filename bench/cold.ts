import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import {
  GetProvisionedConcurrencyConfigCommand, InvokeCommand, PublishVersionCommand, PutProvisionedConcurrencyConfigCommand, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { NO_OP, PYTHON_NO_OP } from './functions.js';
import type { BenchServer } from './lambkin.js';
import { environmentTrees } from './processes.js';
import { median, round3 } from './stats.js';

export interface ColdFigures {
  samples: number;
  /** No-op Node.js, first invoke after create: with a spare environment waiting (the default). */
  coldMedianMs: number;
  coldMinMs: number;
  /** No-op Python, likewise. */
  pythonColdMedianMs: number;
  /** No-op Node.js that cannot take a spare (it sets NODE_OPTIONS): the sandbox starts its runtime. */
  withoutSpareMedianMs: number;
  /** Cold starts that took a spare, of the 2 × samples that could. */
  sparesAdopted: number;
  bareSpawnMedianMs: number;
  ratio: number;
  pythonRatio: number;
  withoutSpareRatio: number;
}

export interface ProvisionedFigures {
  samples: number;
  /** Whether a runtime process existed before the first invoke, i.e. the environment was really pre-initialized. */
  preWarmed: boolean;
  firstInvokeMedianMs: number;
}

/** Time for `node -e 0` from spawn to exit, the floor any Node cold start stands on. */
export function bareNodeSpawn(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(performance.now() - t));
  });
}

async function timedInvoke(client: LambdaClient, functionName: string, qualifier?: string): Promise<number> {
  const t = performance.now();
  const out = await client.send(new InvokeCommand({ FunctionName: functionName, Qualifier: qualifier, Payload: Buffer.from('{}') }));
  const ms = performance.now() - t;
  if (out.FunctionError) throw new Error(`cold invoke of ${functionName} failed: ${Buffer.from(out.Payload ?? []).toString()}`);
  return ms;
}

interface SpareCounts {
  ready: number;
  starting: number;
  adopted: number;
}

async function spareCounts(server: BenchServer): Promise<SpareCounts | null> {
  const health = (await (await fetch(`${server.url}/_lambkin/health`)).json()) as { spares: SpareCounts | null };
  return health.spares;
}

/**
 * A cold start as users meet it: the spares started after the previous starts (one per runtime in
 * use) are ready by then (waited for up to 10 s).
 */
async function untilSpareReady(server: BenchServer): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (let counts = await spareCounts(server); counts && (counts.starting > 0 || counts.ready < 1) && Date.now() < deadline; counts = await spareCounts(server)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * First invoke after create, each sample a new function, interleaved with bare spawns so both see
 * the same machine: no-op Node and Python as deployed by default (a spare environment adopted when
 * one waits), and no-op Node with NODE_OPTIONS set (empty, so Node behaves the same), which no spare
 * can serve: the sandbox's own start, for comparison.
 */
export async function measureCold(server: BenchServer, samples: number): Promise<ColdFigures> {
  const client = server.client();
  const cold: number[] = [];
  const python: number[] = [];
  const withoutSpare: number[] = [];
  const bare: number[] = [];
  await bareNodeSpawn(); // page the node binary in before the first sample
  const adoptedBefore = (await spareCounts(server))?.adopted ?? 0;
  // The first start of each runtime starts its spare.
  await server.deploy('bench-cold-first', NO_OP);
  await timedInvoke(client, 'bench-cold-first');
  await server.deploy('bench-cold-py-first', PYTHON_NO_OP, { runtime: 'python3.12' });
  await timedInvoke(client, 'bench-cold-py-first');
  for (let i = 0; i < samples; i++) {
    bare.push(await bareNodeSpawn());
    await server.deploy(`bench-cold-${i}`, NO_OP);
    await untilSpareReady(server);
    cold.push(await timedInvoke(client, `bench-cold-${i}`));
    await server.deploy(`bench-cold-py-${i}`, PYTHON_NO_OP, { runtime: 'python3.12' });
    await untilSpareReady(server);
    python.push(await timedInvoke(client, `bench-cold-py-${i}`));
    await server.deploy(`bench-cold-own-${i}`, NO_OP, { variables: { NODE_OPTIONS: '' } });
    withoutSpare.push(await timedInvoke(client, `bench-cold-own-${i}`));
  }
  client.destroy();
  const bareSpawnMedianMs = median(bare);
  return {
    samples,
    coldMedianMs: round3(median(cold)),
    coldMinMs: round3(Math.min(...cold)),
    pythonColdMedianMs: round3(median(python)),
    withoutSpareMedianMs: round3(median(withoutSpare)),
    sparesAdopted: ((await spareCounts(server))?.adopted ?? 0) - adoptedBefore,
    bareSpawnMedianMs: round3(bareSpawnMedianMs),
    ratio: round3(median(cold) / bareSpawnMedianMs),
    pythonRatio: round3(median(python) / bareSpawnMedianMs),
    withoutSpareRatio: round3(median(withoutSpare) / bareSpawnMedianMs),
  };
}

/** First invoke of a version with provisioned concurrency 1, once the config reports READY. */
export async function measureProvisioned(server: BenchServer, samples: number): Promise<ProvisionedFigures> {
  const client = server.client();
  const firsts: number[] = [];
  let preWarmed = true;
  for (let i = 0; i < samples; i++) {
    const name = `bench-provisioned-${i}`;
    await server.deploy(name, NO_OP);
    const { Version } = await client.send(new PublishVersionCommand({ FunctionName: name }));
    await client.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: Version, ProvisionedConcurrentExecutions: 1 }));
    const deadline = Date.now() + 15_000;
    for (;;) {
      const config = await client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: Version }));
      if (config.Status === 'READY') break;
      if (config.Status === 'FAILED' || Date.now() > deadline) throw new Error(`provisioned concurrency for ${name} is ${config.Status}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (environmentTrees(process.pid, name).length === 0) preWarmed = false;
    firsts.push(await timedInvoke(client, name, Version));
  }
  client.destroy();
  return { samples, preWarmed, firstInvokeMedianMs: round3(median(firsts)) };
}
