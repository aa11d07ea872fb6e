import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { resolveConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startLambkin, type RunningLambkin } from '../src/server.js';
import { zipOf } from './functions.js';

export const ROLE = 'arn:aws:iam::000000000000:role/lambkin-bench';

export interface BenchServer {
  lambkin: RunningLambkin;
  url: string;
  /** An SDK client; `maxSockets` bounds how many invokes it has in flight at once. */
  client(maxSockets?: number): LambdaClient;
  deploy(name: string, source: string, options?: { memoryMb?: number; timeoutSeconds?: number; runtime?: 'nodejs22.x' | 'python3.12'; variables?: Record<string, string> }): Promise<void>;
  /**
   * A loopback port functions may reach, for a reporter they POST to: each function has its own
   * network namespace, which reaches the host's loopback only on ports named when the server starts.
   */
  hostPort(): number;
  close(): Promise<void>;
}

/** Reporter ports one bench server lets functions reach (each bench part uses one at most). */
const HOST_PORTS = 8;

/**
 * Free loopback ports for the reporters to take later, below the kernel's ephemeral range
 * (`ip_local_port_range`, 32768+ by default): a port found by binding port 0 and closed again
 * could be handed to the next bind of port 0 (Lambkin's own listeners) before a reporter took it.
 */
async function freePorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < n) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if (ports.includes(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) ports.push(port);
  }
  return ports;
}

export function clientFor(url: string, maxSockets = 50): LambdaClient {
  return new LambdaClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets }), requestTimeout: 60_000 },
  });
}

/** A real Lambkin on a free loopback port with a throw-away data directory and no log output. */
export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-bench-'));
  const hostPorts = await freePorts(HOST_PORTS);
  const config = resolveConfig({ host: '127.0.0.1', port: 0, dataDir }, { LAMBKIN_PROVISIONING_DELAY_MS: '0', LAMBKIN_FUNCTION_HOST_PORTS: hostPorts.join(','), ...env });
  const lambkin = await startLambkin(config, { logger: createLogger('silent') });
  const control = clientFor(lambkin.url);
  return {
    lambkin,
    url: lambkin.url,
    client: (maxSockets) => clientFor(lambkin.url, maxSockets),
    async deploy(name, source, options = {}) {
      await control.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: options.runtime ?? 'nodejs22.x',
          Handler: 'index.handler',
          Role: ROLE,
          Code: { ZipFile: zipOf(source, options.runtime?.startsWith('python') ? 'index.py' : 'index.js') },
          ...(options.variables ? { Environment: { Variables: options.variables } } : {}),
          MemorySize: options.memoryMb ?? 128,
          Timeout: options.timeoutSeconds ?? 30,
        }),
      );
      await untilActive(control, name);
    },
    hostPort() {
      const port = hostPorts.shift();
      if (port === undefined) throw new Error(`a bench server has ${HOST_PORTS} reporter ports`);
      return port;
    },
    async close() {
      control.destroy();
      await lambkin.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls every few ms: the SDK waiter's 1 s minimum delay would dominate the cold-start scenario. */
async function untilActive(client: LambdaClient, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { State } = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    if (State === 'Active') return;
    if (State === 'Failed' || Date.now() > deadline) throw new Error(`${name} did not become Active (${State})`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
