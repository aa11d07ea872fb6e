import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { markFromFunction } from './contracts/function-traffic.js';
import path from 'node:path';
import { AsyncInvocations } from './async/async-invocations.js';
import { CredentialStore, DEFAULT_ACCOUNT_ID } from './auth/credentials.js';
import { SessionCredentials } from './auth/session-credentials.js';
import { SigV4Verifier } from './auth/sigv4-verify.js';
import { systemClock, type Clock } from './clock.js';
import type { LambkinConfig } from './config.js';
import { isLoopback } from './contracts/loopback.js';
import { inProcessCaller } from './edge/in-process-call.js';
import { type AsyncInvoker } from './contracts/async-invoker.js';
import { DeliverySinks } from './contracts/delivery-sinks.js';
import { type InternalRoute } from './contracts/internal-route.js';
import { createEdgeServer } from './edge/http-server.js';
import { consoleDoor } from './console/console-door.js';
import { ConsoleSessions } from './console/sessions.js';
import { Engine } from './engine/invoke.js';
import { chooseSandbox } from './engine/sandbox/choose.js';
import { layerCodeLookup } from './engine/sandbox/layer-lookup.js';
import { createLogger, type Logger } from './logger.js';
import { StoreTelemetry } from './observability/engine-telemetry.js';
import { stateResetRoute } from './operator/state-reset.js';
import { invocationsRoute } from './observability/invocations-route.js';
import { billingRoute } from './observability/billing/billing-route.js';
import { PlatformMetrics } from './observability/prometheus/platform-metrics.js';
import { startMetricRetention } from './observability/metrics/metric-retention.js';
import { MetricStore } from './observability/metrics/metric-store.js';
import { startApigatewayv2 } from './services/apigatewayv2/start.js';
import { startCloudFormation } from './services/cloudformation/start.js';
import { startElbv2 } from './services/elbv2/start.js';
import { startEvents } from './services/events/start.js';
import { startScheduler } from './services/events/scheduler/start.js';
import { startDynamodb } from './services/dynamodb/start.js';
import { startEcr } from './services/ecr/start.js';
import type { TableStreamCatalog } from './services/dynamodb/stream-contract.js';
import { createStreamChangeWriter, startDynamodbStreams } from './services/dynamodb/streams/start.js';
import { startIam } from './services/iam/start.js';
import { startKinesis } from './services/kinesis/start.js';
import { startLogs } from './services/logs/start.js';
import { startSsm } from './services/ssm/start.js';
import type { StreamReader } from './services/kinesis/stream-reader.js';
import { concurrencyUsage } from './services/lambda/concurrency-accounting.js';
import { lambdaEntryPoints } from './services/lambda/entry-points.js';
import { startLambda } from './services/lambda/start.js';
import { InvokeForwarding } from './services/lambda/invoke-forwarding.js';
import { startMonitoring } from './services/monitoring/start.js';
import { startS3 } from './services/s3/start.js';
import { startSns } from './services/sns/start.js';
import { startSqs } from './services/sqs/start.js';
import { BlobStore } from './store/blobs.js';
import { sealDataDir } from './store/data-dir-modes.js';
import { isPostgres, openStore, storeOptions, type Store } from './store/database.js';
import { referencedBlobs } from './store/blob-references.js';
import { SharedDirectoryBodies } from './store/shared-directory-bodies.js';
import { PostgresBlobs } from './store/postgres/postgres-blobs.js';
import { ClusterMembership, type MemberLoad } from './store/cluster/membership.js';
import { ClusterSignals } from './store/cluster/signals.js';
import { provisionedClusterView } from './store/cluster/provisioned-slots.js';
import { SingletonLeases } from './store/cluster/singletons.js';
import { ConcurrencySlots } from './store/cluster/concurrency-slots.js';
import { clusterRoute } from './operator/cluster-route.js';
import { nodeRoute } from './operator/node-route.js';
import { NodeCalls } from './store/cluster/node-calls.js';
import { eventSourceLookup } from './triggers/esm/sqs-source-lookup.js';
import { startEventSourcePollers } from './triggers/esm/start.js';
import { startHttpFrontDoors } from './triggers/http/start.js';
import { startSchedules } from './triggers/schedules/start.js';
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
  /** DynamoDB tables' streams, current and disabled within 24 h. */
  dynamodbStreams: TableStreamCatalog;
  /** CloudWatch metric data: what the platform and metric filters record through, and its reads. */
  metrics: MetricStore;
  /** Resolves once no CloudFormation stack operation runs (tests). */
  stacksIdle(): Promise<void>;
  /** Evaluates every CloudWatch alarm now (tests). */
  evaluateAlarms(): Promise<void>;
  /** Runs DynamoDB Streams' 24-hour trim now (tests). */
  trimDynamodbStreams(): Promise<void>;
  /** Deletes log events past their group's retention now (tests). */
  sweepLogRetention(): Promise<void>;
  /** Applies S3 lifecycle rules now (tests). */
  sweepS3Lifecycle(): Promise<void>;
  /** Writes buffered function logs, then waits until their subscription deliveries are queued (tests). */
  flushLogs(): Promise<void>;
  /** Collects unreferenced blobs stored more than `graceMs` (default: the configured grace) ago; how many went. */
  collectBlobs(graceMs?: number): Promise<number>;
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
    /** Drives DynamoDB's TTL sweep, status transitions and stream record times, retention and iterator ages. */
    dynamodbClock?: Clock;
    /** Drives CloudWatch Logs' retention sweep and PutLogEvents' age checks. */
    logsClock?: Clock;
    /** Drives CloudWatch alarm evaluation (tests move it past a period's end). */
    monitoringClock?: Clock;
    /** Drives the S3 lifecycle sweep (tests move it days ahead while SigV4 keeps real time). */
    s3LifecycleClock?: Clock;
    /** A registry tests may pre-fill with extra sinks; services register theirs in it. */
    sinks?: DeliverySinks;
  } = {},
): Promise<RunningLambkin> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  sealDataDir(config.dataDir);
  const store = await openStore(storeOptions(config.store, config.dataDir));
  const loopback = isLoopback(config.host);
  const shared = isPostgres(store);
  /** This node's URL once it listens (other nodes read it in /_lambkin/cluster). */
  let memberUrl = '';
  // This node in `cluster_members` (both stores; on PostgreSQL other nodes share the table).
  // Registered before any queue leases, so no other node's sweep takes its leases for a dead one's.
  const membership: ClusterMembership = new ClusterMembership({
    db: store, logger, url: () => memberUrl,
    load: (): MemberLoad => ({
      inFlight: Object.values(engine.inFlightByFunction()).reduce((a, b) => a + b, 0), functions: engine.inFlightByFunction(), environments: engine.environmentsByState(),
      provisioned: engine.provisionedReady(),
      ...(shared ? { idle: engine.idleByVersion(), running: engine.invocationsUnderWay(), ...(config.nodeCapacity ? { capacity: config.nodeCapacity } : {}) } : {}),
    }),
    timing: { heartbeatMs: config.clusterHeartbeatMs, expiryMs: 5 * config.clusterHeartbeatMs },
  });
  // Caches and queue drains hear of other nodes' writes (LISTEN/NOTIFY); nothing to hear on SQLite.
  const signals = new ClusterSignals(store, logger, membership.nodeId, shared ? config.store : undefined);
  const singletons = shared ? new SingletonLeases(store, membership) : undefined;
  // Concurrency limits for the cluster as a whole: each execution holds a slot in the store too.
  const concurrencySlots: ConcurrencySlots | undefined = shared ? new ConcurrencySlots(store, membership, logger) : undefined;
  // Requests one node relays to another, authenticated by a secret kept in the shared database.
  const nodeCalls = shared ? await NodeCalls.open(store) : undefined;
  // Signs code URLs (Lambda) and shard iterators (Kinesis), and seals session secrets (STS).
  const secret = installationSecret(config.dataDir);
  const sessions = new SessionCredentials(store, secret, clock);
  const credentials = new CredentialStore(store, config.credentials, loopback, sessions);
  credentials.onForget((key) => signals.publish('credential', key));
  signals.on('credential', (key) => credentials.forgetLocal(key));
  signals.onReset(() => credentials.forgetLocal());
  if (!loopback && !(await credentials.hasAny())) {
    await store.destroy();
    throw new StartupRefused(
      `refusing to listen on ${config.host}: no credentials are configured. Run 'lambkin credentials create --data-dir ${config.dataDir}' or list credentials in config.json.`,
    );
  }

  const blobs = config.blobDir
    ? new BlobStore(config.blobDir)
    : new BlobStore(path.join(config.dataDir, 'blobs'), isPostgres(store) ? new PostgresBlobs(store, clock) : undefined);
  // S3 object bodies every node can read: in the shared directory when there is one, else in the
  // database's chunk tables (named by file id). A single SQLite node keeps its own files only.
  const sharedBodies = !shared ? undefined : config.blobDir ? new SharedDirectoryBodies(path.join(config.blobDir, 's3-objects')) : new PostgresBlobs(store, clock, { hashNames: false });
  const collectBlobs = async (graceMs = config.blobGcGraceMs): Promise<number> => {
    const cutoff = clock.now() - graceMs;
    const referenced = (hexes: readonly string[]) => referencedBlobs(store, hexes);
    // The chunk tables' bodies go with the blobs' own collection (same tables).
    return (await blobs.collect(cutoff, referenced)) + (sharedBodies instanceof SharedDirectoryBodies ? await sharedBodies.collect(cutoff, referenced) : 0);
  };
  // CloudWatch metric data, recorded by the platform, by PutMetricData and by log metric filters.
  const metrics = new MetricStore(store, clock, logger);
  // Before the engine: each environment's credentials come from IAM's roles.
  const iam = startIam({ db: store, clock, logger, sessions, credentials });
  iam.policyCache.onInvalidate(() => signals.publish('policies'));
  signals.on('policies', () => iam.policyCache.invalidateLocal());
  signals.onReset(() => iam.policyCache.invalidateLocal());
  let endpointUrl = '';
  // Prometheus' series: gauges read at scrape time from what starts below.
  const platformMetrics: PlatformMetrics = new PlatformMetrics({
    environments: (): Record<string, number> => engine.environmentsByState(),
    queueDepths: () => durableQueueDepths(store),
    sqsDepths: (): { queue: string; visible: number; inFlight: number }[] => sqs.queues.depths(),
    dataDir: config.dataDir,
  });
  const telemetry = new StoreTelemetry(store, logger, {
    functionCounts: platformMetrics,
    outputBytesPerSecond: config.logRateBytesPerSecond || undefined,
    logStoreMaxBytes: config.logStoreMaxMb ? config.logStoreMaxMb * 1024 * 1024 : undefined,
    metrics,
    reservedFunctions: (accountId, region): ReadonlyMap<string, number> | undefined => engine.reservedConcurrency(accountId, region),
  });
  // Functions' own calls to Lambkin come in on a loopback port of their own (pasta forwards the
  // endpoint's port there), so loopback-only routes can tell them from the host's (contracts/function-traffic.ts).
  const functionsListener = createNetServer();
  await listen(functionsListener, 0, '127.0.0.1');
  const functionsPort = (functionsListener.address() as AddressInfo).port;
  const sandbox = await chooseSandbox({ functionsPort: () => functionsPort, dataDir: config.dataDir, blobPath: (hex) => blobs.localPath(hex), layerCode: layerCodeLookup(store), logger, isolation: config.isolation,
    endpointUrl: () => endpointUrl, functionHostPorts: config.functionHostPorts, functionNetwork: config.functionNetwork, spareEnvironments: config.spareEnvironments,
  });
  const engine = new Engine({
    dataDir: config.dataDir,
    blobPath: (hex) => blobs.localPath(hex),
    logger,
    keepAliveMs: config.keepAliveMs,
    endpointUrl: () => endpointUrl,
    telemetry,
    concurrency: { accountLimit: config.accountConcurrencyLimit, load: (accountId, region) => concurrencyUsage(store, { accountId, region }, config.accountConcurrencyLimit) },
    ...(concurrencySlots ? { clusterConcurrency: concurrencySlots } : {}),
    initTimeoutMs: config.initTimeoutMs,
    sandbox,
    allowRootFunctions: config.allowRootFunctions,
    functionCredentials: iam.functionCredentials,
    nodeRuntimesDir: config.nodeRuntimesDir,
  });
  const deliverySinks = options.sinks ?? new DeliverySinks();
  // Lambda's ways in, made before the services (Lambda itself reads code from S3, so it starts after S3).
  // Before Lambda's ways in: container image functions read their images from it.
  const ecr = await startEcr({ db: store, clock, blobs, dataDir: config.dataDir, secret, credentials });
  const { functions, invoker, asyncQueue, asyncInvoker, invokeCheck: lambdaChecks } = lambdaEntryPoints({
    db: store, engine, asyncClock: options.asyncClock ?? clock, sinks: deliverySinks, images: ecr.images, metrics,
  });
  // A function written on another node: drop its cached rows and this account's cached limits
  // (reserved concurrency lives on the function's row).
  functions.onForget((key) => signals.publish('function', key));
  signals.on('function', (key) => {
    functions.forgetKey(key);
    const [accountId, region] = key.split('/');
    if (accountId && region) engine.concurrencyChanged(accountId, region);
  });
  signals.onReset(() => functions.forgetAll());
  const asyncInvocations = new AsyncInvocations({ db: store, queue: asyncQueue, invoker, clock: options.asyncClock ?? clock, logger, sinks: deliverySinks, metrics });

  // The services, each assembled by its start.ts; each gets what it needs of those before it.
  const sqs = await startSqs({ db: store, clock, logger, sinks: deliverySinks, metrics, ...(nodeCalls ? { cluster: { membership, nodeCalls } } : {}) });
  // Before Lambda: its CreateEventSourceMapping looks streams up.
  const kinesis = await startKinesis({
    db: store, clock: options.kinesisClock ?? clock, logger, secret,
    transitionDelayMs: config.provisioningDelayMs,
    enforceThroughput: config.kinesisEnforceThroughput,
  });
  // DynamoDB Streams' writer exists before DynamoDB (every item write appends to it); its own side
  // starts after, with the tables' stream catalog. Both before Lambda: its CreateEventSourceMapping
  // looks streams up.
  const dynamodbClock = options.dynamodbClock ?? clock;
  const dynamodbStreamWriter = createStreamChangeWriter({ clock: dynamodbClock });
  const dynamodb = await startDynamodb({
    db: store, clock: dynamodbClock, logger, streamWriter: dynamodbStreamWriter,
    transitionDelayMs: config.provisioningDelayMs,
    ttlSweepIntervalMs: config.dynamodbTtlSweepMs,
  });
  // Records written on another node wake this node's stream readers (they would wait a minute).
  kinesis.notifications.onNotify((streamArn, shardId) => signals.publishOnce('kinesis-records', `${streamArn} ${shardId}`));
  signals.on('kinesis-records', (key) => {
    const [streamArn, shardId] = key.split(' ');
    if (streamArn && shardId) kinesis.notifications.notifyLocal(streamArn, shardId);
  });
  dynamodbStreamWriter.notifications.onNotify((streamArn) => signals.publishOnce('dynamodb-records', streamArn));
  signals.on('dynamodb-records', (streamArn) => dynamodbStreamWriter.notifications.notifyLocal(streamArn));
  const dynamodbStreams = await startDynamodbStreams({ db: store, clock: dynamodbClock, logger, secret, catalog: dynamodb.streams, writer: dynamodbStreamWriter });
  const s3 = await startS3({ db: store, dataDir: config.dataDir, clock, logger, sinks: deliverySinks, asyncInvoker, functions: lambdaChecks, credentials, accessLogFlushMs: config.s3AccessLogFlushMs, lifecycleClock: options.s3LifecycleClock,
    sharedBodies });
  const lambda = await startLambda({
    db: store, blobs, clock, logger, functions, codeUrlSecret: secret,
    provisioningDelayMs: config.provisioningDelayMs,
    allowDeprecatedRuntimes: config.allowDeprecatedRuntimes,
    accountConcurrencyLimit: config.accountConcurrencyLimit,
    engine,
    invoker,
    asyncInvoker,
    deliverySinks,
    eventSources: eventSourceLookup(sqs.queues, kinesis.reader, dynamodbStreams.reader),
    s3Code: s3.objects,
    images: ecr.images,
    executionRoles: iam.executionRoles,
    // A sync invoke without an idle environment here goes to a node whose heartbeat shows one.
    ...(nodeCalls ? {
      invokeForwarding: new InvokeForwarding({
        nodeId: membership.nodeId, members: () => membership.members(), expiryMs: membership.timing.expiryMs, send: (url, request) => nodeCalls.send(url, request),
        engine, logger, ...(config.nodeCapacity ? { capacity: config.nodeCapacity } : {}),
      }),
    } : {}),
    // Each provisioned environment is a leased slot: the nodes together keep the configured number.
    ...(singletons ? { provisionedCluster: { view: provisionedClusterView(singletons, membership), passMs: config.clusterHeartbeatMs } } : {}),
    hostFolderPolicy: { roots: config.hotReloadRoots, fromRemote: config.hotReloadFromRemote, dataDir: config.dataDir },
  });
  await membership.join();
  // A member that died may have left versions Pending or InProgress it was about to settle. Only
  // a member leaving counts: on a join every node settled at once what the live ones were still
  // holding Pending (their provisioning delay cut short).
  if (shared) {
    let members = new Set(membership.members().map((m) => m.nodeId));
    membership.onChange(() => {
      const now = new Set(membership.members().map((m) => m.nodeId));
      const someoneLeft = [...members].some((id) => !now.has(id));
      members = now;
      if (someoneLeft) void lambda.settleUnsettled().catch((err: unknown) => logger.warn({ err }, 'versions left unsettled not settled'));
    });
  }
  await signals.open();
  await asyncInvocations.open(logger);
  const sns = await startSns({ db: store, clock, logger, sinks: deliverySinks, asyncInvoker, endpointUrl: () => endpointUrl, dataDir: config.dataDir });
  const events = await startEvents({ db: store, clock: options.eventsClock ?? clock, logger, sinks: deliverySinks, asyncInvoker, metrics });
  // EventBridge Scheduler fires by the events clock too (tests shift it).
  // Universal targets call the services in-process; `started` is complete before any schedule fires.
  const callService = inProcessCaller(() => started.map((s) => s.service), () => endpointUrl);
  const scheduler = startScheduler({ db: store, clock: options.eventsClock ?? clock, logger, sinks: deliverySinks, asyncInvoker, callService });
  const elbv2 = await startElbv2({ db: store, clock, logger, host: config.host, invokePolicy: lambdaChecks, tls: { ...config.albTls, dataDir: config.dataDir } });
  const apigatewayv2 = await startApigatewayv2({ db: store, clock });
  // CloudWatch Logs reads and writes the store function output goes to; subscriptions invoke through Lambda.
  const logs = await startLogs({ db: store, clock: options.logsClock ?? clock, logger, logs: telemetry.logs, asyncInvoker, functions: lambdaChecks, metrics });
  // SSM Parameter Store: the API, and the store CloudFormation resolves SSM-typed parameters from.
  const ssm = startSsm({ db: store, clock });
  const monitoring = startMonitoring({ db: store, clock, logger, metrics, sinks: deliverySinks, asyncInvoker }, options.monitoringClock ?? clock);
  // Stacks create their resources through the APIs above, over loopback with an account session.
  const cloudformation = startCloudFormation({ db: store, clock, logger, sessions, endpointUrl: () => endpointUrl });

  // The triggers: what turns queue messages, schedules and HTTP requests into invocations.
  const pollers = await startEventSourcePollers({
    db: store, clock, logger, queues: sqs.queues, streams: kinesis.reader, dynamodbStreams: dynamodbStreams.reader, invoker, lambdaLock: lambda.lock, sinks: deliverySinks, metrics,
    ...(singletons ? { ownership: (kind: string, uuids: readonly string[]) => singletons.owned(kind, uuids) } : {}),
    ...(sqs.ownership ? { servesQueue: (queueArn: string) => sqs.ownership?.servesQueue(queueArn) === true } : {}),
  });
  const schedules = await startSchedules({ db: store, clock: options.eventsClock ?? clock, logger, events });
  const verifier = new SigV4Verifier(credentials, clock);
  const doors = await startHttpFrontDoors({ db: store, invoker, logger, verifier, elbv2, apigatewayv2, policies: iam.policies });

  // A reset's mappings are gone once it answers: the pollers of this node stop before then, not
  // at their next reconcile, so a message sent right after is left for whoever polls next.
  const resetLambdaAndPollers = async (): Promise<void> => {
    await lambda.reset?.();
    await pollers.reconcileNow();
  };

  // The edge. This order is the order the health route lists, and internal routes are matched in.
  const started = [lambda, sqs, sns, s3, events, scheduler, kinesis, dynamodb, dynamodbStreams, elbv2, apigatewayv2, logs, monitoring, iam, ecr, ssm, cloudformation];
  const services = [...started.map((s) => s.service), iam.sts, ecr.registry];
  const internalRoutes: InternalRoute[] = [
    {
      method: 'GET',
      path: '/_lambkin/health',
      handle: () => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'ok', version: LAMBKIN_VERSION, services: services.map((s) => s.name), isolation: sandbox.isolationLevel, cgroups: sandbox.cgroupKind, network: sandbox.networkIsolation, spares: sandbox.spares?.() ?? null }),
      }),
    },
    ...started.flatMap((s) => s.internalRoutes ?? []),
    clusterRoute(membership, config.metricsToken),
    nodeRoute(membership.nodeId),
    // CloudFormation first: a stack operation under way stops before the services it calls are emptied.
    stateResetRoute([cloudformation, ...started.filter((s) => s !== cloudformation)].map((s) => ({ name: s.service.name, reset: s === lambda ? resetLambdaAndPollers : s.reset?.bind(s) })), config.allowRemoteReset),
    invocationsRoute(store, () => telemetry.usage.flush(), { accountId: DEFAULT_ACCOUNT_ID, region: 'us-east-1' }, config.metricsToken),
    billingRoute(store, clock, DEFAULT_ACCOUNT_ID, config.metricsToken),
    platformMetrics.route(config.metricsToken),
  ];
  // The web console opens without signing in where the local key pair is accepted anyway (loopback).
  const webConsole = consoleDoor({ sessions: new ConsoleSessions(store, credentials, clock), openAs: loopback ? await credentials.lookup('test') : null });
  const edge = createEdgeServer({
    services, verifier, internalRoutes, logger, observeRequest: (...a) => platformMetrics.requestDone(...a), frontDoor: doors.frontDoor, policies: iam.policies, now: () => clock.now(), console: webConsole,
    ...(config.cloudTrailEvents ? { managementEvents: events.managementEvents } : {}),
    ...(nodeCalls ? { nodeSecret: (presented: string | string[] | undefined) => nodeCalls.verify(presented) } : {}),
  });
  const server = edge.server;
  functionsListener.on('connection', (socket) => {
    markFromFunction(socket);
    server.emit('connection', socket);
  });
  await listen(server, config.port, config.host);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  memberUrl = url;
  // Functions reach us on loopback even when we listen on every interface.
  endpointUrl = `http://${/^(0\.0\.0\.0|::|\[::\])$/.test(config.host) ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;

  // Background work, now that functions and subscribers can reach us.
  sns.start();
  await elbv2.start();
  logger.info({ url, dataDir: config.dataDir }, 'lambkin ready');
  membership.start();
  concurrencySlots?.start();
  sqs.start();
  asyncInvocations.startWorker();
  pollers.start();
  lambda.start();
  s3.start();
  iam.start();
  monitoring.start();
  const metricRetention = startMetricRetention(store, clock, logger);
  const blobCollection = setInterval(() => {
    collectBlobs().catch((err: unknown) => logger.error({ err }, 'blob garbage collection failed'));
  }, BLOB_GC_INTERVAL_MS);
  blobCollection.unref();
  logs.start();
  // Last: operations a previous process left under way call the services above.
  await cloudformation.start();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    asyncInvoker,
    deliverySinks,
    kinesisStreams: kinesis.reader,
    dynamodbStreams: dynamodb.streams,
    metrics,
    evaluateAlarms: () => monitoring.evaluateAlarms(),
    stacksIdle: () => cloudformation.idle(),
    trimDynamodbStreams: () => dynamodbStreams.trimNow(),
    sweepLogRetention: () => logs.sweepRetention(),
    sweepS3Lifecycle: () => s3.sweepLifecycle(),
    async flushLogs() {
      await telemetry.flush();
      await logs.deliveriesSettled();
    },
    // Not the reverse of startup: first nothing new starts (provisioning, listener ports, leases,
    // pollers, drainers, schedules), then the engine ends what runs, then what those last attempts
    // may still write to closes.
    collectBlobs,
    close() {
      // Once: a second call (a test's stop after a failed restart, a signal during shutdown) waits
      // for the first instead of closing a destroyed store again.
      return (closing ??= (async () => {
        // Other nodes stop counting on this one for new work; its invocations finish below.
        await membership.drain();
        if (shared) {
          // A cluster node drains: no new connections or queued work, and what runs finishes (the
          // others take over everything else) before environments are stopped.
          server.close();
          asyncInvocations.stopLeasing();
          await engine.finishRunning(CLUSTER_DRAIN_GRACE_MS);
        }
        // First: a stack step under way still calls the other services over loopback.
        await cloudformation.close();
        clearInterval(blobCollection);
        metricRetention.stop();
        await monitoring.close();
        iam.close();
        lambda.close();
        await elbv2.close();
        apigatewayv2.close();
        asyncInvocations.stopLeasing();
        await pollers.close();
        // Its stream mappings move to the other nodes now, not when the leases run out.
        await singletons?.releaseAll();
        await sns.close();
        await s3.close();
        await ecr.close();
        schedules.close();
        scheduler.close();
        events.close();
        await kinesis.close();
        await dynamodbStreams.close();
        await dynamodb.close();
        await engine.drain();
        engine.close();
        await sandbox.close();
        await asyncInvocations.stop();
        // After the async worker: its last DLQ and destination deliveries may target queues.
        await sqs.close();
        functionsListener.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          edge.closeAllConnections();
        });
        // After the engine: END/REPORT of the environments it just killed are still buffered.
        await telemetry.close();
        // After the last log batches: their subscription deliveries are queued and metric filters recorded.
        await logs.close();
        await metrics.close();
        concurrencySlots?.close();
        // Last of the writers: what it leased is acked or handed back by now (slots included).
        await membership.leave().catch((err: unknown) => logger.warn({ err }, 'leaving the cluster failed'));
        await signals.close();
        nodeCalls?.close();
        await store.destroy();
      })());
    },
  };
}

/** How long a cluster node shutting down waits for its invocations under way before stopping them. */
const CLUSTER_DRAIN_GRACE_MS = 30_000;

/** How often unreferenced blobs are looked for (each pass lists the blob directory). */
const BLOB_GC_INTERVAL_MS = 60 * 60 * 1000;

/** Work waiting in each durable queue, for Prometheus. */
async function durableQueueDepths(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['async_events', 'sns_deliveries', 'events_deliveries', 's3_notification_outbox', 'cw_alarm_actions', 'logs_subscription_deliveries'] as const) {
    const row = await store.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    out[table] = Number(row?.n ?? 0);
  }
  return out;
}

function listen(server: Server | NetServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A random secret kept in the data directory, so code URLs and shard iterators survive restarts. */
function installationSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, 'secret');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('hex'), { mode: 0o600 });
  return secret;
}
