import { fileURLToPath } from 'node:url';
import { runJsonChild } from './child.js';
import { NO_OP } from './functions.js';
import type { BenchServer } from './lambkin.js';
import type { LeanLoadPlan, LeanLoadResult } from './lean-loadgen.js';
import type { LoadPlan, LoadResult } from './loadgen.js';
import { percentile, round3 } from './stats.js';

export interface WarmFigures {
  invokes: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  concurrency: number;
  invokesPerSecond: number;
  concurrentFailed: number;
  /** CPU ms per invoke under the SDK load, by process. */
  cpuMsPerInvoke: CpuPerInvoke;
  /** The SDK stub's sequential p50, measured in blocks interleaved with Lambkin's (same client process, same minutes). */
  pairedStubP50Ms: number;
  /** The same load from a lean client (SigV4-signed raw HTTP, no SDK middleware). */
  leanInvokesPerSecond: number;
  leanFailed: number;
  /** CPU ms per invoke under the lean load, by process: where a 2-core machine's budget goes. */
  leanCpuMsPerInvoke: CpuPerInvoke;
}

export type CpuPerInvoke = { client: number; server: number; functions: number };

export const WARM_MEMORY_MB = 1769;

/** Warm sync invokes of a no-op handler: sequential latency, then throughput at fixed concurrency. */
export async function measureWarm(
  server: BenchServer,
  options: { sequential: number; concurrency: number; durationMs: number; stubUrl: string },
): Promise<WarmFigures> {
  // 1,769 MB is one full vCPU: at 128 MB the cgroup CPU quota (7% of a core, as AWS allots) would
  // dominate and the figure would measure throttling, not the platform.
  await server.deploy('bench-warm', NO_OP, { memoryMb: WARM_MEMORY_MB });
  const { stubUrl, ...load } = options;
  const plan: LoadPlan = { url: server.url, functionName: 'bench-warm', warmup: 200, baselineUrl: stubUrl, ...load };
  const loadgen = fileURLToPath(new URL('./loadgen.js', import.meta.url));
  const result = await runJsonChild<LoadResult>([loadgen, JSON.stringify(plan)]);
  const lean = await runLeanLoad({ url: server.url, functionName: 'bench-warm', invocationType: 'RequestResponse', concurrency: options.concurrency, durationMs: options.durationMs });
  return {
    invokes: result.latencies.length,
    p50Ms: round3(percentile(result.latencies, 0.5)),
    p90Ms: round3(percentile(result.latencies, 0.9)),
    p99Ms: round3(percentile(result.latencies, 0.99)),
    concurrency: options.concurrency,
    invokesPerSecond: Math.round(result.concurrent.completed / result.concurrent.seconds),
    concurrentFailed: result.concurrent.failed,
    cpuMsPerInvoke: perInvoke(result.concurrent.completed, result.cpuMs),
    pairedStubP50Ms: round3(percentile(result.baselineLatencies, 0.5)),
    leanInvokesPerSecond: Math.round(lean.completed / lean.seconds),
    leanFailed: lean.failed,
    leanCpuMsPerInvoke: perInvoke(lean.completed, lean.cpuMs),
  };
}

export function perInvoke(completed: number, cpuMs: CpuPerInvoke): CpuPerInvoke {
  const n = Math.max(1, completed);
  return { client: round3(cpuMs.client / n), server: round3(cpuMs.server / n), functions: round3(cpuMs.functions / n) };
}

/** Runs bench/lean-loadgen in its own process. */
export function runLeanLoad(plan: LeanLoadPlan): Promise<LeanLoadResult> {
  return runJsonChild<LeanLoadResult>([fileURLToPath(new URL('./lean-loadgen.js', import.meta.url)), JSON.stringify(plan)]);
}
