import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { systemClock, type Clock } from './clock.js';
import { isLoopback, type LambkinConfig } from './config.js';
import { CredentialStore } from './edge/credentials.js';
import { createEdgeServer, type InternalRoute } from './edge/http-server.js';
import { Engine } from './engine/invoke.js';
import { chooseSandbox } from './engine/sandbox/choose.js';
import { layerCodeLookup } from './engine/sandbox/layer-lookup.js';
import { SigV4Verifier } from './edge/sigv4-verify.js';
import { createLogger, type Logger } from './logger.js';
import { StoreTelemetry } from './observability/engine-telemetry.js';
import { codeDownloadRoute } from './services/lambda/code-download.js';
import { recoverEventSourceMappings } from './services/lambda/esm-transitions.js';
import { concurrencyUsage } from './services/lambda/concurrency-accounting.js';
import { recoverProvisionedConcurrency } from './services/lambda/provisioned-environments.js';
import { KeyedLock } from './services/lambda/keyed-lock.js';
import { Provisioner } from './services/lambda/provisioner.js';
import { createLambdaService } from './services/lambda/service.js';
import { startEmbeddedSqs } from './services/sqs/wiring.js';
import { DeliverySinks } from './async/contracts.js';
import { MappingFunctionInvoker } from './triggers/esm/function-invoker.js';
import { SqsMappingPollers } from './triggers/esm/sqs-mappings.js';
import { eventSourceLookup } from './triggers/esm/sqs-source-lookup.js';
import { FunctionsTable } from './services/lambda/tables/functions-table.js';
import { BlobStore } from './store/blobs.js';
import { openStore, type Store } from './store/database.js';
import { LAMBKIN_VERSION } from './version.js';

export interface RunningLambkin {
  url: string;
  port: number;
  store: Store;
  close(): Promise<void>;
}

export class StartupRefused extends Error {}

/** Opens the store, wires the services behind the edge and starts listening. */
export async function startLambkin(config: LambkinConfig, options: { clock?: Clock; logger?: Logger } = {}): Promise<RunningLambkin> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  mkdirSync(config.dataDir, { recursive: true });
  const store = await openStore({ kind: 'sqlite', dataDir: config.dataDir });
  const loopback = isLoopback(config.host);
  const credentials = new CredentialStore(store, config.credentials, loopback);
  if (!loopback && !(await credentials.hasAny())) {
    await store.destroy();
    throw new StartupRefused(
      `refusing to listen on ${config.host}: no credentials are configured. Run 'lambkin credentials create --data-dir ${config.dataDir}' or list credentials in config.json.`,
    );
  }

  const blobs = new BlobStore(path.join(config.dataDir, 'blobs'));
  const functions = new FunctionsTable(store);
  const lock = new KeyedLock();
  const provisioner = new Provisioner(functions, lock, clock, config.provisioningDelayMs, logger);
  await provisioner.recover();
  const codeUrlSecret = installationSecret(config.dataDir);
  let endpointUrl = '';
  const telemetry = new StoreTelemetry(store, logger);
  const sandbox = await chooseSandbox({ dataDir: config.dataDir, blobPath: (hex) => blobs.pathOf(hex), layerCode: layerCodeLookup(store), logger });
  const engine = new Engine({
    dataDir: config.dataDir,
    blobPath: (hex) => blobs.pathOf(hex),
    logger,
    keepAliveMs: config.keepAliveMs,
    endpointUrl: () => endpointUrl,
    telemetry,
    concurrency: { accountLimit: config.accountConcurrencyLimit, load: (accountId, region) => concurrencyUsage(store, { accountId, region }, config.accountConcurrencyLimit) },
    initTimeoutMs: config.initTimeoutMs,
    sandbox,
  });
  const deliverySinks = new DeliverySinks();
  const sqs = await startEmbeddedSqs(store, clock, logger);
  deliverySinks.register(sqs.sink);
  const lambdaDeps = {
    db: store, blobs, clock, logger, functions, provisioner, lock, codeUrlSecret,
    allowDeprecatedRuntimes: config.allowDeprecatedRuntimes,
    accountConcurrencyLimit: config.accountConcurrencyLimit,
    engine,
    eventSources: eventSourceLookup(sqs.queues),
  };
  await recoverEventSourceMappings(lambdaDeps);
  const services = [createLambdaService(lambdaDeps), sqs.service];
  const sqsPollers = new SqsMappingPollers({ db: store, clock, logger, queues: sqs.queues, invoker: new MappingFunctionInvoker(lambdaDeps) });
  const internalRoutes: InternalRoute[] = [
    {
      method: 'GET',
      path: '/_lambkin/health',
      handle: () => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'ok', version: LAMBKIN_VERSION, services: services.map((s) => s.name), isolation: sandbox.isolationLevel, cgroups: sandbox.cgroupKind }),
      }),
    },
    codeDownloadRoute(lambdaDeps),
  ];
  const server = createEdgeServer({ services, verifier: new SigV4Verifier(credentials, clock), internalRoutes, logger });
  await listen(server, config.port, config.host);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  // Functions reach us on loopback even when we listen on every interface.
  endpointUrl = `http://${/^(0\.0\.0\.0|::|\[::\])$/.test(config.host) ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, dataDir: config.dataDir }, 'lambkin ready');
  // In the background: environments need the endpoint URL, and startup need not wait for their Init.
  sqsPollers.start();
  recoverProvisionedConcurrency(lambdaDeps).catch((err: unknown) => logger.error({ err }, 'provisioned concurrency not recovered'));

  return {
    url,
    port,
    store,
    async close() {
      provisioner.close();
      await sqsPollers.close();
      await sqs.close();
      await engine.drain();
      engine.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // After the engine: END/REPORT of the environments it just killed are still buffered.
      await telemetry.close();
      await store.destroy();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A random secret kept in the data directory, so code URLs survive restarts. */
function installationSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secret');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('hex'), { mode: 0o600 });
  return secret;
}
