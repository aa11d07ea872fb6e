import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runJsonChild } from './child.js';
import type { LoadPlan, LoadResult } from './loadgen.js';
import { perInvoke, type CpuPerInvoke } from './warm.js';
import { percentile, round3 } from './stats.js';

export interface SdkStubFigures {
  p50Ms: number;
  p99Ms: number;
  invokesPerSecond: number;
  /** CPU per call under the concurrent load: the SDK client's own cost is `client`. */
  cpuMsPerInvoke: CpuPerInvoke;
}

export interface SdkStub {
  url: string;
  close(): Promise<void>;
}

/**
 * A server that answers every Invoke at once with a canned 200: what the SDK client and loopback
 * HTTP cost by themselves, so Lambkin's overhead can be quoted without them.
 */
export async function startSdkStub(): Promise<SdkStub> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', 'content-length': '1' });
      res.end('1');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The SDK load generator against the stub alone: the client's ceiling on this machine. */
export async function measureSdkStub(stub: SdkStub, options: { sequential: number; concurrency: number; durationMs: number }): Promise<SdkStubFigures> {
  const plan: LoadPlan = { url: stub.url, functionName: 'stub', warmup: 200, ...options };
  const loadgen = fileURLToPath(new URL('./loadgen.js', import.meta.url));
  const result = await runJsonChild<LoadResult>([loadgen, JSON.stringify(plan)]);
  return {
    p50Ms: round3(percentile(result.latencies, 0.5)),
    p99Ms: round3(percentile(result.latencies, 0.99)),
    invokesPerSecond: Math.round(result.concurrent.completed / result.concurrent.seconds),
    cpuMsPerInvoke: perInvoke(result.concurrent.completed, result.cpuMs),
  };
}
