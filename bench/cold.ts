import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import {
  GetProvisionedConcurrencyConfigCommand, InvokeCommand, PublishVersionCommand, PutProvisionedConcurrencyConfigCommand, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { NO_OP } from './functions.js';
import type { BenchServer } from './lambkin.js';
import { environmentTrees } from './processes.js';
import { median, round3 } from './stats.js';

export interface ColdFigures {
  samples: number;
  coldMedianMs: number;
  coldMinMs: number;
  bareSpawnMedianMs: number;
  ratio: number;
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

/** First invoke after create, each sample a new function, interleaved with bare spawns so both see the same machine. */
export async function measureCold(server: BenchServer, samples: number): Promise<ColdFigures> {
  const client = server.client();
  const cold: number[] = [];
  const bare: number[] = [];
  await bareNodeSpawn(); // page the node binary in before the first sample
  for (let i = 0; i < samples; i++) {
    bare.push(await bareNodeSpawn());
    await server.deploy(`bench-cold-${i}`, NO_OP);
    cold.push(await timedInvoke(client, `bench-cold-${i}`));
  }
  client.destroy();
  const coldMedianMs = median(cold);
  const bareSpawnMedianMs = median(bare);
  return {
    samples,
    coldMedianMs: round3(coldMedianMs),
    coldMinMs: round3(Math.min(...cold)),
    bareSpawnMedianMs: round3(bareSpawnMedianMs),
    ratio: round3(coldMedianMs / bareSpawnMedianMs),
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
