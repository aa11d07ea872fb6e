import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger.js';
import type { TelemetrySink } from './telemetry-sink.js';
import { CodeCache } from './code-cache.js';
import { HostCpu } from './dispatch/host-cpu.js';
import { WarmHandOff } from './dispatch/warm-hand-off.js';
import { ConcurrencyGovernor, type Lease } from './concurrency/governor.js';
import { LimitsCache, type AccountLimits, type ConcurrencySource } from './concurrency/limits-cache.js';
import { InvocationThrottled } from './concurrency/throttle.js';
import type { ResponseStreamSink } from './response-stream.js';
import type { Environment, EnvironmentSpec } from './environment.js';
import type { JsonLogging } from './json-log-lines.js';
import { Invocation, type InvocationResult } from './invocation.js';
import { INIT_TIMEOUT_MS, KEEP_ALIVE_MS_DEFAULT, PROVISIONED_INIT_TIMEOUT_MIN_MS } from './limits.js';
import { runtimeExited, runtimeUnavailable, type PlatformError } from './platform-errors.js';
import { EnvironmentPool, keyInScope, type CreateOptions } from './pool.js';
import { RuntimeCatalog, type RuntimeLaunch } from './runtimes/catalog.js';
import type { Sandbox } from './sandbox/sandbox.js';
import type { FunctionCredentialIssuer } from '../contracts/execution-roles.js';
import { UnprivilegedUser, type SandboxUser } from './sandbox/unprivileged-user.js';
import { newTraceId } from './trace-id.js';
import type { ImageRun } from './image-run.js';
import { DebugSessions, type DebugSessionInfo } from './debugging/debug-sessions.js';
import { withDebugger } from './debugging/debugger-launch.js';

/** What to run: one function version, as the control plane stored it. */
export interface InvokeTarget {
  accountId: string;
  region: string;
  functionName: string;
  /** `$LATEST` or a version number (aliases are resolved by the caller). */
  version: string;
  /** ARN as the caller named it, handed to the runtime. */
  invokedFunctionArn: string;
  /** Changes whenever code or configuration does; environments of an older revision are retired. */
  revisionId: string;
  runtime: string | undefined;
  handler: string;
  memoryMb: number;
  /** `Architectures[0]` (`x86_64` or `arm64`), for metering. */
  architecture?: string;
  timeoutSeconds: number;
  variables: Record<string, string>;
  logGroupName: string;
  /** `LoggingConfig` with `LogFormat` JSON; Text when absent. */
  logging?: JsonLogging;
  /** Hex SHA-256 of the deployment package in the blob store. */
  codeHex: string;
  /** Code from a folder on the host (hot reload): mounted as it is instead of an extracted package. */
  codeFolder?: string;
  /** Layer version ARNs in order (merged at `/opt`). */
  layers?: string[];
  /** `EphemeralStorage.Size` in MB (the private /tmp). */
  ephemeralStorageMb?: number;
  /** The execution role ARN, whose session credentials each environment gets. */
  role?: string;
  /** A container image function (PackageType Image): what runs instead of a runtime and code. */
  image?: ImageRun;
}

export interface InvokeOptions {
  /** Reused as the invocation's request id, so the API response and the logs agree. */
  requestId?: string;
  traceId?: string;
  /** Decoded client-context JSON. */
  clientContext?: string;
  /**
   * False answers as soon as the runtime does, as AWS returns the response before END/REPORT;
   * the result then has an empty `log` and the duration seen by the caller. Default true.
   */
  awaitLog?: boolean;
  /** Takes a streamed response (Runtime API streaming mode) chunk by chunk; buffered otherwise. */
  responseStream?: ResponseStreamSink;
}

/** Concurrency slots shared by every node: a slot's release, or null when the limit is reached. */
export interface ClusterConcurrency {
  claim(scope: string, limit: number): Promise<(() => void) | null>;
}

export interface EngineOptions {
  dataDir: string;
  /** Path of a code blob by its hex SHA-256. */
  blobPath: (hex: string) => Promise<string>;
  logger: Logger;
  keepAliveMs?: number;
  /** The Lambkin URL functions get as `AWS_ENDPOINT_URL` (known once the server listens). */
  endpointUrl: () => string;
  /** Durable function logs and usage records; without it logs only reach the invoke response. */
  telemetry?: TelemetrySink;
  /** Reserved/provisioned concurrency and the account limit; without it nothing is throttled. */
  concurrency?: ConcurrencySource;
  /**
   * Nodes sharing a store: each on-demand execution also holds a slot of its limit there (see
   * store/cluster/concurrency-slots.ts), so the limits hold for the cluster, not per node.
   */
  clusterConcurrency?: ClusterConcurrency;
  /** On-demand Init budget before the suppressed-init retry (AWS: 10 s). */
  initTimeoutMs?: number;
  /** How runtime processes are started and isolated (sandbox/choose.ts); plain processes when absent. */
  sandbox?: Sandbox;
  /** Plain mode as root: run function code as root when no unprivileged user can (LAMBKIN_ALLOW_ROOT_FUNCTIONS=1). */
  allowRootFunctions?: boolean;
  /** Temporary credentials for each environment's function role (IAM); the local pair when absent. */
  functionCredentials?: FunctionCredentialIssuer;
  /** Where Node releases are installed on first use of their nodejsNN.x (default `<dataDir>/runtimes/node`). */
  nodeRuntimesDir?: string;
}

/** What a new environment needs besides the target: the runtime and the unpacked code. */
interface Prepared {
  codeDir: string;
  launch: RuntimeLaunch;
  user: SandboxUser | null;
  image?: EnvironmentSpec['image'];
}

/** Provisioned concurrency wanted for one version, so lost environments can be replaced. */
interface ProvisionedWant {
  target: InvokeTarget;
  count: number;
}

/**
 * The one door into execution. Knows nothing of HTTP: callers resolve names and qualifiers,
 * this runs the event in a warm or new environment and returns the raw result and log, or
 * throws `InvocationThrottled` when no concurrency is left.
 */
export class Engine {
  private readonly pool: EnvironmentPool;
  private readonly code: CodeCache;
  private readonly catalog: RuntimeCatalog;
  private readonly users: UnprivilegedUser;
  private readonly governor = new ConcurrencyGovernor();
  private readonly limits: LimitsCache | undefined;
  /** Results of the invocations under way (a node shutting down lets them finish). */
  private readonly running = new Set<Promise<InvocationResult>>();
  private readonly provisionedWants = new Map<string, ProvisionedWant>();
  private readonly handOff: WarmHandOff<Environment>;
  private readonly debugSessions = new DebugSessions();
  private closed = false;

  constructor(private readonly options: EngineOptions) {
    this.pool = new EnvironmentPool(options.keepAliveMs ?? KEEP_ALIVE_MS_DEFAULT);
    this.code = new CodeCache(path.join(options.dataDir, 'code'), options.blobPath);
    this.catalog = new RuntimeCatalog(undefined, path.join(options.dataDir, 'runtimes', 'java'), {
      root: options.nodeRuntimesDir ?? path.join(options.dataDir, 'runtimes', 'node'),
      install: true,
    });
    this.users = new UnprivilegedUser(options.logger);
    this.limits = options.concurrency ? new LimitsCache(options.concurrency) : undefined;
    const hostCpu = new HostCpu();
    this.handOff = new WarmHandOff(availableParallelism(), () => hostCpu.busy());
  }

  async invoke(target: InvokeTarget, payload: Buffer, options: InvokeOptions = {}): Promise<InvocationResult> {
    const key = versionKey(target);
    const requestId = options.requestId ?? randomUUID();
    let idle = this.pool.takeIdle(key, target.revisionId);
    let lease = ConcurrencyGovernor.none();
    // An idle provisioned environment is concurrency already paid for: no lease.
    if (this.limits && !idle?.provisioned) {
      const cached = this.limits.get(target.accountId, target.region);
      const limits = cached instanceof Promise ? await cached : cached;
      lease = this.acquire(target, limits, requestId);
      if (this.options.clusterConcurrency) lease = await this.acquireInCluster(this.options.clusterConcurrency, target, limits, lease, requestId);
      // Someone may have taken that environment while the limits loaded or the slot was claimed.
      if (cached instanceof Promise || this.options.clusterConcurrency) idle = this.pool.takeIdle(key, target.revisionId);
    }
    const invocation = new Invocation({
      requestId,
      payload,
      invokedFunctionArn: target.invokedFunctionArn,
      traceId: options.traceId ?? newTraceId(),
      clientContext: options.clientContext,
      responseStream: options.responseStream,
    });
    let result: Promise<InvocationResult>;
    try {
      if (!idle?.provisioned && this.handOff.shouldWait(key, target.memoryMb)) result = this.waitForBusy(key, target, invocation);
      else result = idle ? this.runWarm(key, target.revisionId, idle.env, invocation) : this.coldStart(key, target, invocation);
    } catch (err) {
      lease.release();
      throw err;
    }
    // Every outcome (answer, error, timeout, crash, kill) settles the result exactly once.
    const completed = result.finally(() => {
      lease.release();
      this.running.delete(completed);
    });
    this.running.add(completed);
    // The slot is the environment's: free once the runtime has answered, as the environment is.
    void invocation.answered.then(() => lease.release());
    if (options.awaitLog !== false) return completed;
    const startedAt = performance.now();
    const answered = invocation.answered.then((outcome) => ({ ...outcome, requestId, log: '', durationMs: performance.now() - startedAt }));
    return Promise.race([completed, answered]);
  }

  /**
   * Runs on a warm environment, timing the run; once answered, the environment goes straight to the
   * first invocation waiting for one (see WarmHandOff), if any.
   */
  private runWarm(key: string, revisionId: string, env: Environment, invocation: Invocation, timed = true): Promise<InvocationResult> {
    const startedAt = performance.now();
    const result = env.run(invocation);
    this.handOff.started(key);
    void invocation.answered.then(() => {
      const wallMs = timed ? performance.now() - startedAt : undefined;
      this.handOff.finished(key, wallMs, env, revisionId, () => this.pool.isFree(key, revisionId, env));
    });
    return result;
  }

  /**
   * An invocation whose idle environment died before handing it to the runtime: another idle
   * environment or a new one runs it; its caller still waits on the same result.
   */
  private runElsewhere(key: string, target: InvokeTarget, invocation: Invocation): void {
    const fail = () => failUnrun(invocation, runtimeExited(invocation.request.requestId, null, 'SIGKILL'));
    if (this.closed) return fail();
    try {
      const idle = this.pool.takeIdle(key, target.revisionId);
      const result = idle ? this.runWarm(key, target.revisionId, idle.env, invocation) : this.coldStart(key, target, invocation);
      result.catch(fail);
    } catch {
      fail();
    }
  }

  /** Waits for a busy environment of this version to answer; if they stall, any idle one or a new one. */
  private waitForBusy(key: string, target: InvokeTarget, invocation: Invocation): Promise<InvocationResult> {
    return new Promise((resolve, reject) => {
      this.handOff.wait(key, target.revisionId, (env) => {
        // Called from another invocation's completion or a timer: a throw here would be nobody's.
        try {
          if (env) return resolve(this.runWarm(key, target.revisionId, env, invocation));
          const idle = this.closed ? null : this.pool.takeIdle(key, target.revisionId);
          resolve(idle ? this.runWarm(key, target.revisionId, idle.env, invocation) : this.coldStart(key, target, invocation));
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  /** A concurrency lease for an on-demand execution, or `InvocationThrottled`. */
  private acquire(target: InvokeTarget, limits: AccountLimits, requestId: string): Lease {
    const lease = this.governor.acquire(target.accountId, target.region, target.functionName, limits);
    if (typeof lease !== 'string') return lease;
    this.options.telemetry?.invocationThrottled(target, requestId);
    throw new InvocationThrottled(lease);
  }

  /** The cluster-wide slot for an execution this node admitted, or `InvocationThrottled`. */
  private async acquireInCluster(cluster: ClusterConcurrency, target: InvokeTarget, limits: AccountLimits, local: Lease, requestId: string): Promise<Lease> {
    const { scope, limit, reason } = ConcurrencyGovernor.scopeOf(target.accountId, target.region, target.functionName, limits);
    let release: (() => void) | null;
    try {
      release = await cluster.claim(scope, limit);
    } catch (err) {
      local.release();
      throw err;
    }
    if (!release) {
      local.release();
      this.options.telemetry?.invocationThrottled(target, requestId);
      throw new InvocationThrottled(reason);
    }
    const claimed = release;
    return {
      release: () => {
        local.release();
        claimed();
      },
    };
  }

  /**
   * Init first, then the invocation, as AWS separates the phases. An Init that fails or outlasts its
   * budget is retried once inside the invocation with the function's timeout ("suppressed init").
   */
  private async coldStart(key: string, target: InvokeTarget, invocation: Invocation): Promise<InvocationResult> {
    // Counted until its Init ends, so invocations arriving meanwhile wait for it (or for a busy
    // environment) instead of each starting one more.
    this.handOff.starting(key);
    let initialized: boolean;
    let first: Environment;
    let prepared: Prepared | { reason: string };
    try {
      prepared = await this.prepare(target);
      if ('reason' in prepared) {
        failUnrun(invocation, runtimeUnavailable(invocation.request.requestId, prepared.reason));
        return invocation.result;
      }
      first = this.spawn(key, target, prepared, {}, { claimed: true });
      initialized = await first.initialized;
    } finally {
      this.handOff.startEnded(key);
    }
    if (initialized) {
      this.pool.unclaim(key, first);
      // Not timed: a first run is no measure of how long warm ones take.
      return this.runWarm(key, target.revisionId, first, invocation, false);
    }
    const retry = this.spawn(
      key,
      target,
      prepared,
      { initPhase: 'invoke', initTimeoutMs: target.timeoutSeconds * 1000, inheritedLog: first.takeOrphanLog() },
      {},
    );
    const result = retry.run(invocation);
    return result;
  }

  private async prepare(target: InvokeTarget): Promise<Prepared | { reason: string }> {
    if (target.image) return this.prepareImage(target.image);
    const codeDir = target.codeFolder ?? (await this.code.directoryFor(target.codeHex));
    const resolution = await this.catalog.resolve(target.runtime, codeDir, { memoryMb: target.memoryMb, variables: target.variables });
    if (!resolution.ok) return { reason: resolution.reason };
    // bubblewrap binds what the function needs and picks its own uid.
    if (this.options.sandbox?.isolationLevel === 'bubblewrap') return { codeDir, launch: resolution.launch, user: null };
    const runAs = await this.unprivilegedLaunch(resolution.launch, target.runtime ?? '', codeDir);
    return 'reason' in runAs ? runAs : { codeDir, ...runAs };
  }

  /** An image's root, unpacked once per digest; only bubblewrap can give a process another root. */
  private async prepareImage(image: ImageRun): Promise<Prepared | { reason: string }> {
    const sandbox = this.options.sandbox;
    if (!sandbox?.imageRoot) {
      return {
        reason:
          'container image functions need the bubblewrap sandbox, and functions run as plain processes here ' +
          '(install bubblewrap, Debian package bubblewrap, run Lambkin as root, and do not set LAMBKIN_ISOLATION=plain)',
      };
    }
    try {
      const root = await sandbox.imageRoot(image);
      const argv0 = image.argv[0] ?? '';
      return {
        codeDir: root,
        launch: { family: 'image', command: argv0, args: image.argv.slice(1), needs: [] },
        user: null,
        image: { root, argv: image.argv, workingDir: image.workingDir, env: image.env },
      };
    } catch (err) {
      this.options.logger.warn({ err, image: image.digest }, 'could not unpack a container image');
      return { reason: `the image ${image.digest} could not be unpacked: ${(err as Error).message}` };
    }
  }

  /**
   * A plain process never runs function code as root unless told to: when the unprivileged user
   * cannot reach the interpreter, another one it can reach is used, else the function is refused
   * with the fix named.
   */
  private async unprivilegedLaunch(launch: RuntimeLaunch, runtime: string, codeDir: string): Promise<{ launch: RuntimeLaunch; user: SandboxUser | null } | { reason: string }> {
    const first = await this.users.forPaths([...launch.needs, codeDir]);
    if (first.kind === 'user') return { launch, user: first.user };
    if (first.kind === 'self') return { launch, user: null };
    for (const other of await this.catalog.alternatives(launch, runtime)) {
      const access = await this.users.forPaths([...other.needs, codeDir]);
      if (access.kind === 'user') return { launch: other, user: access.user };
    }
    if (this.options.allowRootFunctions) {
      this.warnRootOnce(launch);
      return { launch, user: null };
    }
    return {
      reason:
        `the function cannot run unprivileged: uid ${first.uid} cannot reach ${launch.needs.join(', ')}. ` +
        'Install bubblewrap (Debian package bubblewrap), or an interpreter outside root\'s home (Debian package python3), ' +
        'or set LAMBKIN_ALLOW_ROOT_FUNCTIONS=1 to run function code as root',
    };
  }

  private readonly rootWarned = new Set<string>();

  private warnRootOnce(launch: RuntimeLaunch): void {
    if (this.rootWarned.has(launch.command)) return;
    this.rootWarned.add(launch.command);
    this.options.logger.warn({ command: launch.command }, 'FUNCTION CODE RUNS AS ROOT (LAMBKIN_ALLOW_ROOT_FUNCTIONS=1): the unprivileged user cannot reach its interpreter');
  }

  /** Creates and starts an environment; a start failure kills it, which settles whatever it holds. */
  private spawn(key: string, target: InvokeTarget, prepared: Prepared, extra: Partial<EnvironmentSpec>, options: CreateOptions): Environment {
    const debugging = prepared.image ? null : this.debuggingFor(target, prepared);
    if (debugging) {
      prepared = { ...prepared, launch: debugging.launch };
      extra = { ...extra, debugger: debugging.attachment, variables: { ...target.variables, ...debugging.variables } };
      const onDead = options.onDead;
      options = { ...options, onDead: (dead) => { debugging.release(); onDead?.(dead); } };
    }
    const env = this.pool.create(
      key,
      target.revisionId,
      {
        functionName: target.functionName,
        version: target.version,
        region: target.region,
        accountId: target.accountId,
        handler: target.handler,
        memoryMb: target.memoryMb,
        timeoutSeconds: target.timeoutSeconds,
        logGroupName: target.logGroupName,
        logging: target.logging,
        variables: target.variables,
        codeDir: prepared.codeDir,
        ...(target.codeFolder ? { codeFromHostFolder: true } : {}),
        launch: prepared.launch,
        ...(prepared.image ? { image: prepared.image } : {}),
        user: prepared.user,
        endpointUrl: this.options.endpointUrl(),
        logger: this.options.logger,
        telemetry: this.options.telemetry?.forEnvironment(target),
        initTimeoutMs: this.options.initTimeoutMs ?? INIT_TIMEOUT_MS,
        sandbox: this.options.sandbox,
        layers: target.layers,
        ephemeralStorageMb: target.ephemeralStorageMb,
        credentials: this.credentialsFor(target),
        onUndelivered: (invocation) => this.runElsewhere(key, target, invocation),
        ...extra,
      },
      options,
    );
    env.start().catch((err: unknown) => {
      this.options.logger.error({ err, function: target.functionName }, 'could not start an execution environment');
      env.kill();
    });
    return env;
  }

  /** The function's debugger session, when it has one no environment serves yet: this one will. */
  private debuggingFor(target: InvokeTarget, prepared: Prepared) {
    const claim = this.debugSessions.claim(functionKey(target), randomUUID());
    if (!claim) return null;
    const launch = withDebugger(prepared.launch, { host: '127.0.0.1', port: claim.attachment.listenPort });
    if ('reason' in launch) {
      claim.release();
      this.options.logger.warn({ function: target.functionName, reason: launch.reason }, 'debugger session not served');
      return null;
    }
    return { ...launch, attachment: claim.attachment, release: claim.release };
  }

  /**
   * Starts (port) or ends (null) the function's debugger session: the next environment of the
   * function starts with the runtime's debugger on, reached through `127.0.0.1:port`. The
   * function's environments are retired either way, so the change applies at the next invoke.
   */
  async setDebugger(fn: { accountId: string; region: string; functionName: string }, port: number | null): Promise<void> {
    if (port === null) this.debugSessions.close(functionKey(fn));
    else await this.debugSessions.open(functionKey(fn), port);
    this.retireEnvironments(fn);
  }

  debuggerSessions(): DebugSessionInfo[] {
    return this.debugSessions.list();
  }

  private credentialsFor(target: InvokeTarget): EnvironmentSpec['credentials'] {
    const issue = this.options.functionCredentials;
    const role = target.role;
    if (!issue || role === undefined) return undefined;
    return () => issue({ accountId: target.accountId, functionName: target.functionName, role });
  }

  /**
   * Keeps `count` pre-initialized environments of this version (provisioned concurrency). Resolves
   * true once all of them finished Init, false if any Init failed or the runtime is unavailable.
   * `count` 0 releases them.
   */
  async provision(target: InvokeTarget, count: number): Promise<boolean> {
    const key = versionKey(target);
    this.options.telemetry?.provisionedConcurrency?.(target, Math.max(0, count));
    if (count <= 0) {
      this.provisionedWants.delete(key);
      for (const env of this.pool.provisionedOf(key)) this.pool.retire(env);
      return true;
    }
    this.provisionedWants.set(key, { target, count });
    const live = this.pool.provisionedOf(key);
    for (const env of live.slice(count)) this.pool.retire(env);
    const missing = count - Math.min(live.length, count);
    const prepared = missing > 0 ? await this.prepare(target) : undefined;
    if (prepared && 'reason' in prepared) {
      this.options.logger.warn({ function: target.functionName, reason: prepared.reason }, 'provisioned concurrency cannot start');
      return false;
    }
    const inits = live.slice(0, count).map((env) => env.initialized);
    for (let i = 0; i < missing && prepared; i++) inits.push(this.spawnProvisioned(key, target, prepared).initialized);
    return (await Promise.all(inits)).every(Boolean);
  }

  private spawnProvisioned(key: string, target: InvokeTarget, prepared: Prepared): Environment {
    const env = this.spawn(
      key,
      target,
      prepared,
      {
        initializationType: 'provisioned-concurrency',
        initTimeoutMs: Math.max(PROVISIONED_INIT_TIMEOUT_MIN_MS, target.timeoutSeconds * 1000),
      },
      { provisioned: true, onDead: (dead) => void this.replaceProvisioned(key, dead) },
    );
    return env;
  }

  /** A provisioned environment that crashed or timed out is replaced, as AWS keeps the allocation. */
  private async replaceProvisioned(key: string, dead: Environment): Promise<void> {
    const want = this.provisionedWants.get(key);
    // Only environments that once initialized: a failing Init would otherwise loop.
    if (this.closed || !want || !(await dead.initialized)) return;
    if (this.pool.provisionedOf(key).length >= want.count) return;
    const prepared = await this.prepare(want.target);
    if (!('reason' in prepared) && !this.closed && this.provisionedWants.get(key) === want) this.spawnProvisioned(key, want.target, prepared);
  }

  /** Reserved or provisioned concurrency of this account and region changed: forget the cached limits. */
  concurrencyChanged(accountId: string, region: string): void {
    this.limits?.invalidate(accountId, region);
  }

  /** Reserved concurrency per function as last loaded for invokes; undefined before any (metrics). */
  reservedConcurrency(accountId: string, region: string): ReadonlyMap<string, number> | undefined {
    return this.limits?.peek(accountId, region)?.usage.reserved;
  }

  /** Executions holding on-demand concurrency (for tests and metrics). */
  inFlight(accountId: string, region: string, functionName?: string): number {
    return this.governor.inFlight(accountId, region, functionName);
  }

  /** Executions in flight per `account/region/function` (a cluster member's reported load). */
  inFlightByFunction(): Record<string, number> {
    return this.governor.inFlightByFunction();
  }

  /** Live environments (for tests and metrics). */
  get environmentCount(): number {
    return this.pool.size;
  }

  /**
   * A deleted function (or version, when given) runs nothing more: its environments, provisioned
   * ones included, are retired and provisioning wishes dropped.
   */
  /** A function with this runtime was created: start fetching what its first Init needs. */
  prepareRuntime(runtime: string): void {
    this.catalog.prepare(runtime);
  }

  retireFunction(target: { accountId: string; region: string; functionName: string; version?: string }): void {
    const prefix = target.version ? versionKey({ ...target, version: target.version }) : `${target.accountId}/${target.region}/${target.functionName}/`;
    for (const key of [...this.provisionedWants.keys()]) if (keyInScope(key, prefix)) this.provisionedWants.delete(key);
    this.retireEnvironmentsIn(prefix);
    this.concurrencyChanged(target.accountId, target.region);
  }

  /**
   * A function's code changed under it (a host folder): its environments, of every version, stop
   * now if idle, else once their invocation is done; the next invoke starts a new one.
   */
  retireEnvironments(target: { accountId: string; region: string; functionName: string }): void {
    this.retireEnvironmentsIn(`${target.accountId}/${target.region}/${target.functionName}/`);
  }

  /**
   * A layer version's content changed under it (a host folder): every function with an environment
   * using it starts afresh, as `retireEnvironments` does for a function's own code.
   */
  retireEnvironmentsUsingLayer(layerVersionArn: string): void {
    const functions = new Set(this.pool.versionsWhere((env) => env.spec.layers?.includes(layerVersionArn) ?? false).map((key) => key.slice(0, key.lastIndexOf('/') + 1)));
    for (const prefix of functions) this.retireEnvironmentsIn(prefix);
  }

  private retireEnvironmentsIn(prefix: string): void {
    this.pool.retireAll(prefix);
    this.handOff.forget((key) => keyInScope(key, prefix));
  }

  /** Lets answered invocations finish their END/REPORT before close() kills environments. */
  /** Environments per state (init, ready, busy, dead), read when metrics are scraped. */
  environmentsByState(): Record<string, number> {
    return this.pool.countByState();
  }

  /** Whether an idle environment of this target's revision is here now (none is taken). */
  hasIdle(target: InvokeTarget): boolean {
    return this.pool.hasIdle(versionKey(target), target.revisionId);
  }

  /** Idle environments (provisioned ones included), by `<account>/<region>/<function>/<version>`. */
  idleByVersion(): Record<string, number> {
    return this.pool.idleByVersion();
  }

  /** Invocations under way on this node, provisioned ones included. */
  invocationsUnderWay(): number {
    return this.running.size;
  }

  /** Provisioned environments past Init, by `<account>/<region>/<function>/<version>`. */
  provisionedReady(): Record<string, number> {
    return this.pool.provisionedReady();
  }

  drain(): Promise<void> {
    return this.pool.drain();
  }

  /** Resolves once every invocation under way has settled, or after `graceMs` (real time). */
  async finishRunning(graceMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.running]), grace]);
    clearTimeout(timer);
  }

  close(): void {
    this.closed = true;
    this.debugSessions.closeAll();
    this.handOff.releaseAll();
    this.provisionedWants.clear();
    this.pool.close();
  }
}

/** A function of an account and region, every version: what a debugger session belongs to. */
function functionKey(fn: { accountId: string; region: string; functionName: string }): string {
  return `${fn.accountId}/${fn.region}/${fn.functionName}`;
}

function versionKey(target: { accountId: string; region: string; functionName: string; version: string }): string {
  return `${target.accountId}/${target.region}/${target.functionName}/${target.version}`;
}

/** Fails an invocation no environment ran (first outcome wins: an answer already given stands). */
function failUnrun(invocation: Invocation, error: PlatformError): void {
  if (!invocation.settle({ payload: Buffer.from(JSON.stringify(error)), functionError: true, status: 'error', errorType: error.errorType })) return;
  invocation.complete({ durationMs: 0 });
}
