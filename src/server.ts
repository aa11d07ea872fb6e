import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AsyncInvocations } from './async/async-invocations.js';
import { DeliverySinks } from './contracts/delivery-sinks.js';
import { type AsyncInvoker } from './contracts/async-invoker.js';
import { systemClock, type Clock } from './clock.js';
import { isLoopback, type LambkinConfig } from './config.js';
import { CredentialStore } from './auth/credentials.js';
import { createEdgeServer } from './edge/http-server.js';
import { type InternalRoute } from './contracts/internal-route.js';
import { Engine } from './engine/invoke.js';
import { chooseSandbox } from './engine/sandbox/choose.js';
import { layerCodeLookup } from './engine/sandbox/layer-lookup.js';
import { SigV4Verifier } from './auth/sigv4-verify.js';
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
import { MappingFunctionInvoker } from './triggers/esm/function-invoker.js';
import { LambdaAsyncInvoker } from './services/lambda/async-invoker.js';
import { LambdaDeliverySink } from './services/lambda/delivery-sink.js';
import { FunctionInvoker } from './services/lambda/function-invoker.js';
import { AsyncEventQueue } from './store/queue/async-event-queue.js';
import { SqsMappingPollers } from './triggers/esm/sqs-mappings.js';
import { StreamMappingPollers } from './triggers/esm/stream-mappings.js';
import { kinesisStreamKind } from './triggers/esm/kinesis-kind.js';
import { createSnsService } from './services/sns/service.js';
import { S3CodeReadError } from './services/lambda/code-from-s3.js';
import { functionInvokeCheck } from './services/lambda/invoke-permission-check.js';
import { NotificationDelivery } from './services/s3/notifications/delivery.js';
import { ObjectFiles } from './services/s3/object-files.js';
import { S3ObjectReader } from './services/s3/object-reader.js';
import { sweepUnreferencedObjectFiles } from './services/s3/recovery.js';
import { createS3Service } from './services/s3/service.js';
import { startEvents } from './services/events/start.js';
import { startKinesis } from './services/kinesis/start.js';
import type { StreamReader } from './services/kinesis/stream-reader.js';
import { eventSourceLookup } from './triggers/esm/sqs-source-lookup.js';
import { FunctionsTable } from './services/lambda/tables/functions-table.js';
import { BlobStore } from './store/blobs.js';
import { createHttpFrontDoors } from './triggers/http/wiring.js';
import { openStore, type Store } from './store/database.js';
import { LAMBKIN_VERSION } from './version.js';

export interface RunningLambkin {
  url: string;
  port: number;
  store: Store;
  /** Queues asynchronous invocations (S3, SNS, EventBridge … hand events to it). */
  asyncInvoker: AsyncInvoker;
  /** Where DLQ, destination and notification deliveries go; services register their sink here. */
  deliverySinks: DeliverySinks;
  /** Kinesis streams for in-process readers (event source mappings). */
  kinesisStreams: StreamReader;
  close(): Promise<void>;
}

export class StartupRefused extends Error {}

/** Opens the store, wires the services behind the edge and starts listening. */
export async function startLambkin(
  config: LambkinConfig,
  options: {
    clock?: Clock;
    logger?: Logger;
    /** Drives asynchronous-invocation retries and event ages (tests move it forward). */
    asyncClock?: Clock;
    /** Drives EventBridge schedules (tests move it to the next `cron()` tick while SigV4 keeps real time). */
    eventsClock?: Clock;
    /** Drives Kinesis retention, status transitions and iterator ages (tests move it hours ahead). */
    kinesisClock?: Clock;
    /** A registry tests may pre-fill with extra sinks; services register theirs in it. */
    sinks?: DeliverySinks;
  } = {},
): Promise<RunningLambkin> {
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
  const deliverySinks = options.sinks ?? new DeliverySinks();
  const invoker = new FunctionInvoker({ db: store, functions, engine });
  const asyncQueue = new AsyncEventQueue(store, options.asyncClock ?? clock);
  const asyncInvoker = new LambdaAsyncInvoker({ db: store, functions }, asyncQueue);
  deliverySinks.register(new LambdaDeliverySink(functions, asyncInvoker));
  const asyncInvocations = new AsyncInvocations({ db: store, queue: asyncQueue, invoker, clock: options.asyncClock ?? clock, logger, sinks: deliverySinks });
  const sqs = await startEmbeddedSqs(store, clock, logger);
  deliverySinks.register(sqs.sink);
  const s3Files = new ObjectFiles(path.join(config.dataDir, 's3'));
  await sweepUnreferencedObjectFiles(store, s3Files, logger);
  const s3Delivery = new NotificationDelivery({ db: store, clock, logger, sinks: deliverySinks, asyncInvoker });
  const lambdaDeps = {
    db: store, blobs, clock, logger, functions, provisioner, lock, codeUrlSecret,
    s3Code: new S3ObjectReader(store, s3Files, (code, message) => new S3CodeReadError(code, message)),
    allowDeprecatedRuntimes: config.allowDeprecatedRuntimes,
    accountConcurrencyLimit: config.accountConcurrencyLimit,
    engine,
    invoker,
    asyncInvoker,
    deliverySinks,
    eventSources: eventSourceLookup(sqs.queues),
  };
  await recoverEventSourceMappings(lambdaDeps);
  await asyncInvocations.open(logger);
  const sns = createSnsService({ db: store, clock, logger, sinks: deliverySinks, asyncInvoker, endpointUrl: () => endpointUrl });
  const sqsPollers = new SqsMappingPollers({ db: store, clock, logger, queues: sqs.queues, invoker: new MappingFunctionInvoker({ invoker, clock }) });
  const events = startEvents({ db: store, clock: options.eventsClock ?? clock, logger, sinks: deliverySinks, asyncInvoker });
  const kinesis = startKinesis({ db: store, clock: options.kinesisClock ?? clock, logger, secret: codeUrlSecret, transitionDelayMs: config.provisioningDelayMs, enforceThroughput: config.kinesisEnforceThroughput });
  const streamPollers = new StreamMappingPollers({ db: store, clock, logger, lock, invoker: new MappingFunctionInvoker({ invoker, clock }), sinks: deliverySinks }, kinesisStreamKind(kinesis.reader));
  const verifier = new SigV4Verifier(credentials, clock);
  const doors = createHttpFrontDoors({ store, invoker, verifier, clock, logger, host: config.host });
  const services = [
    createLambdaService(lambdaDeps),
    sqs.service,
    sns.service,
    createS3Service({ db: store, files: s3Files, clock, logger, sinks: deliverySinks, functions: functionInvokeCheck(store, functions), delivery: s3Delivery, credentials }),
    events.service,
    kinesis.service,
    ...doors.services,
  ];
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
    ...sns.outboxRoutes,
    sns.linksRoute,
    events.route,
  ];
  const server = createEdgeServer({ services, verifier, internalRoutes, logger, frontDoor: doors.frontDoor });
  await listen(server, config.port, config.host);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  // Functions reach us on loopback even when we listen on every interface.
  endpointUrl = `http://${/^(0\.0\.0\.0|::|\[::\])$/.test(config.host) ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  sns.start();
  await doors.start();
  logger.info({ url, dataDir: config.dataDir }, 'lambkin ready');
  asyncInvocations.startWorker();
  // In the background: environments need the endpoint URL, and startup need not wait for their Init.
  sqsPollers.start();
  streamPollers.start();
  recoverProvisionedConcurrency(lambdaDeps).catch((err: unknown) => logger.error({ err }, 'provisioned concurrency not recovered'));
  // Notifications committed before a restart and not yet delivered.
  s3Delivery.kick();

  return {
    url,
    port,
    store,
    asyncInvoker,
    deliverySinks,
    kinesisStreams: kinesis.reader,
    async close() {
      provisioner.close();
      await doors.close();
      asyncInvocations.stopLeasing();
      await sqsPollers.close();
      await streamPollers.close();
      await sns.close();
      await s3Delivery.close();
      events.close();
      await kinesis.close();
      await engine.drain();
      engine.close();
      await asyncInvocations.stop();
      // After the async worker: its last DLQ and destination deliveries may target queues.
      await sqs.close();
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
