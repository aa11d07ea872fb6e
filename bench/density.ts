import { InvokeCommand } from '@aws-sdk/client-lambda';
import { performance } from 'node:perf_hooks';
import { SLEEPER } from './functions.js';
import type { BenchServer } from './lambkin.js';
import { environmentTrees, rssKb } from './processes.js';

export interface DensityFigures {
  requested: number;
  succeeded: number;
  distinctEnvironments: number;
  /** Process trees found under the server for this function: one per live environment. */
  liveEnvironments: number;
  runtimeProcesses: number;
  totalRssMb: number;
  rssPerEnvironmentMb: number;
  seconds: number;
}

const FUNCTION = 'bench-density';

/**
 * N concurrent slow invokes of one 128 MB function force N environments to exist at once; once
 * all have answered they sit warm, and their processes' RSS is summed.
 */
export async function measureDensity(server: BenchServer, n: number, sleepMs: number): Promise<DensityFigures> {
  await server.deploy(FUNCTION, SLEEPER, { memoryMb: 128, timeoutSeconds: 60 });
  const client = server.client(n + 8);
  const payload = Buffer.from(JSON.stringify({ sleepMs }));
  const t = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: n }, () =>
      client
        .send(new InvokeCommand({ FunctionName: FUNCTION, Payload: payload }))
        .then((out) => (out.FunctionError ? null : (JSON.parse(Buffer.from(out.Payload ?? []).toString()) as { env: string }).env))
        .catch(() => null),
    ),
  );
  const seconds = (performance.now() - t) / 1000;
  client.destroy();
  const succeeded = outcomes.filter((env) => env !== null);
  const trees = environmentTrees(process.pid, FUNCTION);
  const pids = trees.flat();
  const totalKb = pids.reduce((sum, pid) => sum + rssKb(pid), 0);
  const distinct = new Set(succeeded).size;
  return {
    requested: n,
    succeeded: succeeded.length,
    distinctEnvironments: distinct,
    liveEnvironments: trees.length,
    runtimeProcesses: pids.length,
    totalRssMb: Math.round(totalKb / 1024),
    rssPerEnvironmentMb: distinct ? Math.round((totalKb / 1024 / distinct) * 10) / 10 : 0,
    seconds: Math.round(seconds * 100) / 100,
  };
}
