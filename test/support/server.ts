import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { DeliverySinks } from '../../src/contracts/delivery-sinks.js';
import type { Clock } from '../../src/clock.js';
import { resolveConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startLambkin, type RunningLambkin } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

export interface TestServer {
  lambkin: RunningLambkin;
  url: string;
  dataDir: string;
  /** Where the reading CLI commands (logs, bill, events, functions) find this server's records. */
  storeArgs: string[];
  lambda(options?: { accessKeyId?: string; secretAccessKey?: string; region?: string }): LambdaClient;
  /** Stops and starts again on the same port and data; `whileDown` runs in between. */
  restart(whileDown?: () => void | Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Node releases for nodejsNN.x, installed once for every test server of every run (~50 MB each
 * from the npm registry; `.ci/run` installs them before the suite).
 */
export const SHARED_NODE_RUNTIMES_DIR = process.env.LAMBKIN_NODE_RUNTIMES_DIR || path.join(tmpdir(), 'lambkin-node-runtimes');

/** Starts a real Lambkin on a free loopback port with its own data directory. */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { clock?: Clock; asyncClock?: Clock; eventsClock?: Clock; kinesisClock?: Clock; dynamodbClock?: Clock; monitoringClock?: Clock; s3LifecycleClock?: Clock; sinks?: DeliverySinks } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-test-'));
  // LAMBKIN_ISOLATION=plain in the test run's environment runs the whole suite in plain mode.
  const isolation = process.env.LAMBKIN_ISOLATION ? { LAMBKIN_ISOLATION: process.env.LAMBKIN_ISOLATION } : {};
  // Host loopback ports the test's sinks listen on (support/host-ports.ts), for functions in their own network namespace.
  const hostPorts = process.env.LAMBKIN_FUNCTION_HOST_PORTS ? { LAMBKIN_FUNCTION_HOST_PORTS: process.env.LAMBKIN_FUNCTION_HOST_PORTS } : {};
  // LAMBKIN_TEST_STORE=postgres runs the server on a database of its own on the test PostgreSQL
  // (support/postgres.ts), dropped when it stops.
  const database: TestDatabase | undefined = process.env.LAMBKIN_TEST_STORE === 'postgres' && !env.LAMBKIN_STORE ? await createTestDatabase() : undefined;
  const store = database ? { LAMBKIN_STORE: database.url } : {};
  const config = resolveConfig({ host: '127.0.0.1', port: 0, dataDir }, {
    // No spare environments unless a test (test/spare-environments.test.ts) or the run asks: the
    // suite starts hundreds of servers, and a spare per runtime each would double the processes it starts.
    LAMBKIN_SPARE_ENVIRONMENTS: process.env.LAMBKIN_SPARE_ENVIRONMENTS ?? '0',
    LAMBKIN_PROVISIONING_DELAY_MS: '20', LAMBKIN_NODE_RUNTIMES_DIR: SHARED_NODE_RUNTIMES_DIR, ...isolation, ...hostPorts, ...store, ...env,
  });
  const logger = createLogger(process.env.LAMBKIN_TEST_LOG ?? 'silent');
  let lambkin = await startLambkin(config, { logger, ...options });
  const server: TestServer = {
    get lambkin() {
      return lambkin;
    },
    get url() {
      return lambkin.url;
    },
    dataDir,
    storeArgs: ['--data-dir', dataDir, ...(database ? ['--store', database.url] : [])],
    lambda(options = {}) {
      return new LambdaClient({
        endpoint: lambkin.url,
        region: options.region ?? 'us-east-1',
        credentials: { accessKeyId: options.accessKeyId ?? 'test', secretAccessKey: options.secretAccessKey ?? 'test' },
        maxAttempts: 1,
      });
    },
    async restart(whileDown) {
      await lambkin.close();
      await whileDown?.();
      lambkin = await startLambkin({ ...config, port: lambkin.port }, { logger, ...options });
    },
    async stop() {
      await lambkin.close();
      rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
  return server;
}
