import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Logger } from '../logger.js';
import { checkTransition, type EnvironmentState } from './environment-states.js';
import { Invocation, type InvocationOutcome, type InvocationResult } from './invocation.js';
import { INIT_ERROR_EXIT_GRACE_MS, INIT_TIMEOUT_MS } from './limits.js';
import type { JsonLogging } from './json-log-lines.js';
import { billedDurationMs, type ReportFields } from './log-lines.js';
import { extensionCrashed, launchFailed, responseTooLarge, runtimeExited, timedOut, type PlatformError } from './platform-errors.js';
import type { InitContext, PlatformLines } from './platform-line-format.js';
import { platformLines } from './platform-lines.js';
import type { DeliveredInvocation, HangUpHook, RuntimeApiHost } from './runtime-api/host.js';
import { startRuntimeApi, type RuntimeApiServer } from './runtime-api/server.js';
import type { RuntimeLaunch } from './runtimes/catalog.js';
import type { SandboxUser } from './sandbox/unprivileged-user.js';
import { plainSandbox } from './sandbox/plain.js';
import type { Sandbox, SandboxedProcess } from './sandbox/sandbox.js';
import type { EnvironmentTelemetry } from './telemetry-sink.js';
import { usageOutcome } from './usage-outcome.js';
import { ExtensionHub, type ShutdownReason } from './extensions/extension-hub.js';
import { telemetryStatus } from './extensions/telemetry-status.js';
import type { ResponseStreamSink } from './response-stream.js';
import type { FunctionCredentials } from '../contracts/execution-roles.js';
import type { DebuggerAttachment } from './debugging/debug-sessions.js';

/** Everything an environment needs to start one function version's runtime. */
export interface EnvironmentSpec {
  functionName: string;
  version: string;
  region: string;
  /** For the Extensions API's `accountId` feature. */
  accountId?: string;
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  logGroupName: string;
  /** `LogFormat` JSON and its levels; Text when absent. */
  logging?: JsonLogging;
  variables: Record<string, string>;
  codeDir: string;
  /** `codeDir` is a folder of the user's on the host (hot reload), not an extracted package of ours. */
  codeFromHostFolder?: boolean;
  launch: RuntimeLaunch;
  /** A container image function's root and process (the sandbox runs it instead of `launch`). */
  image?: { root: string; argv: string[]; workingDir: string; env: string[] };
  user: SandboxUser | null;
  /** The Lambkin URL, for `AWS_ENDPOINT_URL`: SDKs inside the function talk back to us. */
  endpointUrl: string;
  logger: Logger;
  /** Durable log stream and usage records of this environment. */
  telemetry?: EnvironmentTelemetry;
  /** `AWS_LAMBDA_INITIALIZATION_TYPE`; provisioned environments also leave Init Duration out of REPORT. */
  initializationType?: 'on-demand' | 'provisioned-concurrency';
  /** Init budget (default INIT_TIMEOUT_MS); the suppressed-init retry gets the function's timeout. */
  initTimeoutMs?: number;
  /** `Phase:` of INIT_REPORT lines: `invoke` when Init is retried inside the first invocation. */
  initPhase?: 'init' | 'invoke';
  /** Log of an earlier attempt (its INIT_REPORT), handed on to this environment's first invocation. */
  inheritedLog?: Buffer[];
  /** Starts the runtime process (namespaces, cgroup, /tmp, /opt); plain processes when absent. */
  sandbox?: Sandbox;
  /** Layer version ARNs, in order, merged at `/opt`. */
  layers?: string[];
  /** `EphemeralStorage.Size`: the private /tmp, in MB. */
  ephemeralStorageMb?: number;
  /** Temporary credentials for the function's role, fetched once per environment; the local pair when absent. */
  credentials?: () => Promise<FunctionCredentials>;
  /**
   * Takes back an invocation given to this environment while it was idle that never reached the
   * runtime because the environment died first (a runtime that exits right after answering, as
   * AWS's Node client does after an uncaught exception): it runs elsewhere instead of failing.
   */
  onUndelivered?: (invocation: Invocation) => void;
  /**
   * A debugger session this environment serves (its launch already has the debugger on): Init has
   * no time limit (the runtime waits for the client) and an invocation none while a client is attached.
   */
  debugger?: DebuggerAttachment;
}

/**
 * One execution environment: a runtime process plus its own Runtime API endpoint, running one
 * invocation at a time. States move only along the table in environment-states.ts.
 */
export class Environment implements RuntimeApiHost {
  readonly id = randomBytes(16).toString('hex');
  readonly logStreamName: string;
  private stateValue: EnvironmentState = 'init';
  private process: ChildProcess | undefined;
  private api: RuntimeApiServer | undefined;
  private sandboxed: SandboxedProcess | undefined;
  private current: Invocation | undefined;
  /** Where process output goes: the invocation being run or just answered, else kept for the next one. */
  private logTarget: Invocation | undefined;
  private orphanLog: Buffer[] = [];
  private readonly answered = new Set<string>();
  private waiter: { resolve: (i: DeliveredInvocation) => void; reject: (e: Error) => void } | undefined;
  private spawnedAt = 0;
  /** Whether an invocation was handed to the runtime yet. */
  private delivered = false;
  /** Whether the current invocation was given to this environment while it was idle (not its first). */
  private currentWasWarm = false;
  private initDurationMs: number | undefined;
  private initReported = false;
  private invokeTimer: NodeJS.Timeout | undefined;
  /** Whether a debugger was attached during the current invocation (its timeout lifted). */
  private debuggedInvocation = false;
  private stopFollowingDebugger: (() => void) | undefined;
  private initTimer: NodeJS.Timeout | undefined;
  private initErrorBody: { body: Buffer; errorType?: string } | undefined;
  private maxMemoryMb = 0;
  private credentials: FunctionCredentials | undefined;
  /** When the pool stops reusing this environment (half its credentials' life); never without credentials. */
  credentialsStaleAt = Number.POSITIVE_INFINITY;
  lastUsedAt = Date.now();
  /** END/REPORT of the last answered invocation; the next one is delivered only after them, so a stream reads in order. */
  finishing: Promise<void> = Promise.resolve();
  private resolveInitialized!: (ok: boolean) => void;
  /** Settles once: true when the runtime first asks for work (Init done), false if it died or failed first. */
  readonly initialized = new Promise<boolean>((resolve) => {
    this.resolveInitialized = resolve;
  });
  /** Extensions API and Telemetry API of this environment (spec §3.5). */
  readonly extensions: ExtensionHub;
  private readonly lines: PlatformLines;

  constructor(readonly spec: EnvironmentSpec, private readonly onDead: (env: Environment) => void) {
    if (spec.inheritedLog) this.orphanLog.push(...spec.inheritedLog);
    this.lines = platformLines(spec.logging);
    this.extensions = new ExtensionHub({ functionName: spec.functionName, functionVersion: spec.version, handler: spec.handler, accountId: this.accountId });
    const d = new Date();
    const day = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
    this.logStreamName = `${day}/[${spec.version}]${this.id}`;
  }

  get accountId(): string {
    return this.spec.accountId ?? '000000000000';
  }

  get state(): EnvironmentState {
    return this.stateValue;
  }

  private moveTo(next: EnvironmentState): void {
    checkTransition(this.stateValue, next);
    this.stateValue = next;
  }

  /** Hands an invocation to this environment; it must be fresh (init) or idle (ready). */
  run(invocation: Invocation): Promise<InvocationResult> {
    if (this.current) throw new Error('environment already has an invocation');
    this.currentWasWarm = this.stateValue === 'ready';
    if (this.stateValue === 'ready') this.moveTo('busy');
    else if (this.stateValue !== 'init') throw new Error(`cannot run an invocation on a ${this.stateValue} environment`);
    this.current = invocation;
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      void this.finishing.then(() => waiter.resolve(this.deliver(invocation)));
    }
    return invocation.result;
  }

  async start(): Promise<void> {
    this.api = await startRuntimeApi(this);
    if (this.stateValue === 'dead') return;
    const s = this.spec;
    const credentials = s.credentials ? await s.credentials() : undefined;
    if (credentials) {
      this.credentials = credentials;
      // Reused only in the first half of the credentials' life, so a function never holds keys about to expire.
      this.credentialsStaleAt = Date.now() + (credentials.expiresAt - Date.now()) / 2;
    }
    // Killed while the credentials were issued (TypeScript narrowed the state before the await).
    if ((this.stateValue as EnvironmentState) === 'dead') return;
    this.spawnedAt = performance.now();
    this.spec.telemetry?.initStarted(this.logStreamName, this.initContext);
    // Into the log stream only: an invocation's LogResult carries what AWS's would.
    if (credentials?.warning) this.spec.telemetry?.platform(this.logStreamName, this.lines.notice(credentials.warning));
    // The host's Node standing in for a runtime's own major: the stream says so at every start.
    if (s.launch.warning) this.spec.telemetry?.platform(this.logStreamName, this.lines.notice(s.launch.warning));
    this.extensions.telemetry.initStart(this.initContext.initializationType, this.initContext.phase);
    const sandboxed = await (s.sandbox ?? plainSandbox()).launch({
      id: this.id, launch: s.launch, codeDir: s.codeDir, layerArns: s.layers ?? [], memoryMb: s.memoryMb,
      ephemeralStorageMb: s.ephemeralStorageMb ?? 0, user: s.user, env: this.environmentVariables(),
      ...(s.image ? { image: s.image } : {}),
      ...(s.codeFromHostFolder ? { codeFromHostFolder: true } : {}),
      ...(s.debugger ? { debuggerPort: s.debugger.listenPort } : {}),
    });
    this.sandboxed = sandboxed;
    if (sandboxed.connectInside) this.extensions.telemetry.deliverInside(sandboxed.connectInside);
    if (sandboxed.runtimeApiListener) this.api?.acceptFrom(sandboxed.runtimeApiListener);
    this.extensions.expectExternal(sandboxed.extensions ?? []);
    const child = sandboxed.child;
    this.process = child;
    if (this.state === 'dead') return sandboxed.dispose(); // killed while the sandbox started
    child.stdout?.on('data', (chunk: Buffer) => this.captureLog(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.captureLog(chunk));
    sandboxed.onError((err) => this.launchError(err));
    sandboxed.onExit((code, signal) => this.exited(code, signal));
    sandboxed.onExtensionExit((_name, code, signal) => this.extensionExited(code, signal));
    if (this.spec.debugger) this.stopFollowingDebugger = this.spec.debugger.onChange((attached) => this.debuggerChanged(attached));
    // A runtime with its debugger on waits for the client before Init: no limit on that wait.
    else this.initTimer = setTimeout(() => this.initTimedOut(), this.spec.initTimeoutMs ?? INIT_TIMEOUT_MS);
  }

  /** Spec §3.2. Function variables cannot override the reserved ones (CreateFunction refuses them anyway). */
  private environmentVariables(): Record<string, string> {
    const s = this.spec;
    const env: Record<string, string> = {
      LANG: 'en_US.UTF-8',
      AWS_ENDPOINT_URL: s.endpointUrl,
      ...s.variables,
      _HANDLER: s.handler,
      AWS_REGION: s.region,
      AWS_DEFAULT_REGION: s.region,
      AWS_LAMBDA_FUNCTION_NAME: s.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: s.version,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(s.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: s.logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName,
      AWS_LAMBDA_INITIALIZATION_TYPE: s.initializationType ?? 'on-demand',
      AWS_LAMBDA_RUNTIME_API: this.api!.address,
      // The role session's keys (as AWS hands them to functions); the local pair only where no IAM is wired (engine tests).
      AWS_ACCESS_KEY_ID: this.credentials?.accessKeyId ?? 'test',
      AWS_SECRET_ACCESS_KEY: this.credentials?.secretAccessKey ?? 'test',
      AWS_SESSION_TOKEN: this.credentials?.sessionToken ?? 'lambkin-local-session',
      // Set on AWS for the X-Ray SDK; nothing listens there, which LOG_ERROR makes harmless.
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      AWS_XRAY_DAEMON_ADDRESS: '169.254.100.1:2000',
      _AWS_XRAY_DAEMON_ADDRESS: '169.254.100.1',
      _AWS_XRAY_DAEMON_PORT: '2000',
      TZ: ':UTC',
    };
    if (s.launch.executionEnv) env.AWS_EXECUTION_ENV = s.launch.executionEnv;
    // Only JSON sets them (spec §3.2); the runtime clients format and filter their output by them.
    if (s.logging) {
      env.AWS_LAMBDA_LOG_FORMAT = 'JSON';
      env.AWS_LAMBDA_LOG_LEVEL = s.logging.applicationLogLevel;
    }
    return env;
  }

  private captureLog(chunk: Buffer): void {
    this.spec.telemetry?.output(this.logStreamName, chunk);
    this.extensions.telemetry.functionOutput(chunk);
    if (this.logTarget) this.logTarget.appendLog(chunk);
    else this.orphanLog.push(chunk);
  }

  private deliver(invocation: Invocation): DeliveredInvocation {
    const now = Date.now();
    invocation.deliveredAt = performance.now();
    let allowedMs = this.spec.timeoutSeconds * 1000;
    // An Init retried inside the invocation (suppressed init) spends the invocation's own timeout, as on AWS.
    // Whole milliseconds: Lambda-Runtime-Deadline-Ms is an integer (Java's client parses it as a long).
    if (this.spec.initPhase === 'invoke' && !this.delivered) allowedMs = Math.max(0, Math.floor(allowedMs - (invocation.deliveredAt - this.spawnedAt)));
    this.delivered = true;
    invocation.deadlineMs = now + allowedMs;
    // Output printed between invocations (e.g. during init) belongs to this one.
    for (const chunk of this.orphanLog) invocation.appendLog(chunk);
    this.orphanLog = [];
    this.writeStart(invocation);
    this.logTarget = invocation;
    this.debuggedInvocation = this.spec.debugger?.attached ?? false;
    if (!this.debuggedInvocation) this.invokeTimer = setTimeout(() => this.invocationTimedOut(invocation), allowedMs);
    const { request } = invocation;
    this.extensions.telemetry.start(request.requestId, this.spec.version, request.traceId);
    this.extensions.invoke({
      deadlineMs: invocation.deadlineMs, requestId: request.requestId, invokedFunctionArn: request.invokedFunctionArn,
      tracing: { type: 'X-Amzn-Trace-Id', value: request.traceId },
    });
    return {
      requestId: request.requestId,
      payload: request.payload,
      deadlineMs: invocation.deadlineMs,
      invokedFunctionArn: request.invokedFunctionArn,
      traceId: request.traceId,
      clientContext: request.clientContext,
    };
  }

  // ── Runtime API host ────────────────────────────────────────────────────────────────────────

  nextInvocation(onHangUp: HangUpHook): Promise<DeliveredInvocation> {
    if (this.stateValue === 'init') {
      // Init ends when the runtime and every extension have asked for work (spec §3.3).
      if (!this.extensions.settled) return this.extensions.whenSettled().then(() => this.nextInvocation(onHangUp));
      if (this.initErrorBody) return Promise.reject(new Error('init failed'));
      clearTimeout(this.initTimer);
      this.initDurationMs = performance.now() - this.spawnedAt;
      // Pre-initialized environments report no Init Duration to their invocations, as on AWS.
      if (this.spec.initializationType === 'provisioned-concurrency') this.initReported = true;
      this.moveTo(this.current ? 'busy' : 'ready');
      this.resolveInitialized(true);
      this.sandboxed?.initDone();
      this.extensions.initDone();
      const init = this.initContext;
      this.extensions.telemetry.initDoneEvents(init.initializationType, init.phase, 'success', this.initDurationMs);
      const initDone = this.lines.initDone(init, this.initDurationMs);
      if (initDone) this.writeOrphan(initDone);
    }
    if (this.stateValue === 'dead') return Promise.reject(new Error('environment is dead'));
    const pending = this.current;
    if (pending && pending.deliveredAt === undefined) return this.finishing.then(() => this.deliver(pending));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      onHangUp(() => {
        if (this.waiter?.resolve === resolve) this.waiter = undefined;
        reject(new Error('runtime disconnected'));
      });
    });
  }

  invocationState(requestId: string): 'unknown' | 'current' | 'answered' {
    const cur = this.current;
    if (cur && cur.request.requestId === requestId && cur.deliveredAt !== undefined && !cur.settled) return 'current';
    return this.answered.has(requestId) ? 'answered' : 'unknown';
  }

  respond(requestId: string, body: Buffer): void {
    this.answer(requestId, { payload: body, functionError: false, status: 'success' });
  }

  responseStreamOf(requestId: string): ResponseStreamSink | undefined {
    const cur = this.current;
    return cur && cur.request.requestId === requestId ? cur.request.responseStream : undefined;
  }

  respondTooLarge(requestId: string): void {
    const error = responseTooLarge();
    this.answer(requestId, { payload: errorBody(error), functionError: true, status: 'error', errorType: error.errorType });
  }

  fail(requestId: string, body: Buffer, errorType: string | undefined): void {
    this.answer(requestId, { payload: body, functionError: true, status: 'error', errorType });
  }

  initError(body: Buffer, errorType: string | undefined): void {
    this.initErrorBody = { body, errorType };
    this.reportInit('error', errorType);
    this.resolveInitialized(false);
    const cur = this.current;
    if (cur) this.settleEarly(cur, { payload: body, functionError: true, status: 'error', errorType });
    // The runtime should exit by itself now; make sure it does.
    setTimeout(() => this.kill('failure'), INIT_ERROR_EXIT_GRACE_MS).unref();
  }

  takeAssignment(): Record<string, string> | undefined {
    return this.sandboxed?.takeAssignment?.();
  }

  // ── outcomes ────────────────────────────────────────────────────────────────────────────────

  private answer(requestId: string, outcome: InvocationOutcome): void {
    const cur = this.current;
    if (!cur || cur.request.requestId !== requestId || !cur.settle(outcome)) return;
    clearTimeout(this.invokeTimer);
    this.answered.add(requestId);
    if (this.answered.size > 16) this.answered.delete(this.answered.values().next().value as string);
    this.current = undefined;
    this.extensions.telemetry.runtimeDone(requestId, telemetryStatus(outcome), performance.now() - (cur.deliveredAt ?? performance.now()), outcome.payload.length, outcome.errorType);
    // The caller has its answer; the environment takes the next one once extensions are done too.
    if (this.extensions.settled) {
      if (this.extensions.hasExtensions) this.spec.telemetry?.extensionsDone?.(0);
      this.becomeReady();
    } else this.awaitExtensions(cur);
    this.finish(cur);
  }

  private becomeReady(): void {
    this.moveTo('ready');
    this.lastUsedAt = Date.now();
  }

  /** Extensions still handling INVOKE must call `next` before the deadline, else the environment resets. */
  private awaitExtensions(invocation: Invocation): void {
    const timer = setTimeout(() => this.kill('timeout'), Math.max(0, invocation.deadlineMs - Date.now()));
    const answeredAt = performance.now();
    this.extensions.whenSettled().then(
      () => {
        clearTimeout(timer);
        this.spec.telemetry?.extensionsDone?.(performance.now() - answeredAt);
        if (this.stateValue === 'busy' && !this.current) this.becomeReady();
      },
      () => clearTimeout(timer),
    );
  }

  /**
   * A debugger attached during an invocation lifts its timeout; one that leaves gives the
   * invocation the function's whole timeout again from then.
   */
  private debuggerChanged(attached: boolean): void {
    const cur = this.current;
    if (!cur || cur.settled || !this.delivered) return;
    clearTimeout(this.invokeTimer);
    if (attached) this.debuggedInvocation = true;
    else this.invokeTimer = setTimeout(() => this.invocationTimedOut(cur), this.spec.timeoutSeconds * 1000);
  }

  /** END/REPORT after letting output written just before the answer arrive through the pipes. */
  private finish(invocation: Invocation): void {
    const durationMs = performance.now() - (invocation.deliveredAt ?? performance.now());
    const initDurationMs = this.initReported ? undefined : this.initDurationMs;
    this.initReported = true;
    let finished!: () => void;
    this.finishing = new Promise((resolve) => {
      finished = resolve;
    });
    setImmediate(() => {
      void this.sampleMemory().then(() => {
        const { requestId } = invocation.request;
        const outcome = invocation.outcome;
        const report: ReportFields = {
          requestId,
          durationMs,
          memorySizeMb: this.spec.memoryMb,
          maxMemoryUsedMb: this.maxMemoryMb,
          initDurationMs,
          status: outcome?.status === 'timeout' ? 'timeout' : outcome?.status === 'error' && outcome.errorType?.startsWith('Runtime.') ? 'error' : undefined,
          errorType: outcome?.status === 'error' && outcome.errorType?.startsWith('Runtime.') ? outcome.errorType : undefined,
          ...(this.debuggedInvocation ? { debuggerAttached: true } : {}),
        };
        this.writeLine(invocation, this.lines.finish(report, outcome));
        this.extensions.telemetry.report(requestId, telemetryStatus(outcome), {
          durationMs, billedDurationMs: billedDurationMs(durationMs, initDurationMs), memorySizeMB: this.spec.memoryMb,
          maxMemoryUsedMB: this.maxMemoryMb, initDurationMs,
        }, outcome?.errorType);
        this.spec.telemetry?.invocationDone({
          requestId, durationMs, billedDurationMs: billedDurationMs(durationMs, initDurationMs), initDurationMs,
          maxMemoryUsedMb: this.maxMemoryMb, outcome: usageOutcome(outcome?.status, outcome?.errorType),
          provisioned: this.spec.initializationType === 'provisioned-concurrency',
        });
        if (this.logTarget === invocation) this.logTarget = undefined;
        invocation.complete({ durationMs, initDurationMs });
      }).finally(finished);
    });
  }

  private async sampleMemory(): Promise<void> {
    // The kernel's peak for the whole environment, when a cgroup measures it.
    const peak = await this.sandboxed?.peakMemoryMb().catch(() => undefined);
    if (peak !== undefined) {
      this.maxMemoryMb = Math.max(this.maxMemoryMb, peak);
      return;
    }
    const pid = this.process?.pid;
    if (!pid || this.stateValue === 'dead') return;
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      this.maxMemoryMb = Math.max(this.maxMemoryMb, Math.ceil(kb / 1024));
    } catch {
      // not Linux, or the process is gone
    }
  }

  private invocationTimedOut(invocation: Invocation): void {
    const { requestId } = invocation.request;
    const error = timedOut(requestId, this.spec.timeoutSeconds);
    if (!invocation.settle({ payload: errorBody(error), functionError: true, status: 'timeout', errorType: error.errorType })) return;
    this.writeLine(invocation, this.lines.timeout(requestId, this.spec.timeoutSeconds));
    this.current = undefined;
    this.kill('timeout');
    this.finish(invocation);
  }

  private initTimedOut(): void {
    if (this.stateValue !== 'init') return;
    this.reportInit('timeout');
    const cur = this.current;
    if (cur) this.settleWithPlatformError(cur, timedOut(cur.request.requestId, (this.spec.initTimeoutMs ?? INIT_TIMEOUT_MS) / 1000), 'timeout');
    this.kill('timeout');
  }

  private launchError(err: NodeJS.ErrnoException): void {
    const cur = this.current;
    if (cur) {
      const detail =
        this.spec.launch.family === 'provided' && err.code === 'ENOENT'
          ? // AWS looks in the code and then the layers, and names both as the function sees them.
            "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]"
          : this.spec.launch.family === 'image' && err.code === 'ENOENT'
            ? `fork/exec ${this.spec.launch.command}: no such file or directory`
            : `fork/exec ${this.spec.launch.command}: ${err.message}`;
      this.settleWithPlatformError(cur, launchFailed(cur.request.requestId, detail), 'error');
    }
    this.kill('failure');
  }

  /**
   * An external extension's process ended while the environment lived: on AWS that ends the
   * environment (`Extension.Crash`), failing Init or the invocation in progress. After SHUTDOWN
   * (the environment already dead) extensions exit as they should.
   */
  private extensionExited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stateValue === 'dead') return;
    this.handBackUndelivered();
    const cur = this.current;
    if (this.stateValue === 'init') this.reportInit('error', 'Extension.Crash');
    if (cur && !cur.settled) this.failWithLoggedError(cur, extensionCrashed(cur.request.requestId, code, signal));
    this.kill('failure');
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    this.handBackUndelivered();
    const cur = this.current;
    if (!cur && this.stateValue === 'init' && !this.initErrorBody) this.reportInit('error', 'Runtime.ExitError');
    if (cur && !cur.settled) {
      if (this.initErrorBody) {
        this.settleEarly(cur, { payload: this.initErrorBody.body, functionError: true, status: 'error', errorType: this.initErrorBody.errorType });
      } else {
        if (this.stateValue === 'init') this.reportInit('error', 'Runtime.ExitError');
        this.failWithLoggedError(cur, runtimeExited(cur.request.requestId, code, signal));
      }
    }
    this.kill('failure');
  }

  /** See `onUndelivered`: an idle environment's invocation that never reached the runtime goes elsewhere. */
  private handBackUndelivered(): void {
    const cur = this.current;
    if (!cur || cur.settled || cur.deliveredAt !== undefined || !this.currentWasWarm || !this.spec.onUndelivered) return;
    this.current = undefined;
    this.spec.onUndelivered(cur);
  }

  /** Fails the invocation with a platform error, logging it as AWS does (`RequestId: … Error: …` and the type). */
  private failWithLoggedError(invocation: Invocation, error: PlatformError): void {
    this.writeLine(invocation, this.lines.exit(invocation.request.requestId, error));
    this.settleWithPlatformError(invocation, error, 'error');
  }

  private settleWithPlatformError(invocation: Invocation, error: PlatformError, status: 'error' | 'timeout'): void {
    this.settleEarly(invocation, { payload: errorBody(error), functionError: true, status, errorType: error.errorType });
  }

  /** Settles an invocation the runtime never answered (init failure, crash, launch error). */
  private settleEarly(invocation: Invocation, outcome: InvocationOutcome): void {
    if (!invocation.settle(outcome)) return;
    clearTimeout(this.invokeTimer);
    if (invocation.deliveredAt === undefined) {
      invocation.deliveredAt = performance.now();
      for (const chunk of this.orphanLog) invocation.appendLog(chunk);
      this.orphanLog = [];
      this.writeStart(invocation);
    }
    this.logTarget = invocation;
    if (this.current === invocation) this.current = undefined;
    this.finish(invocation);
  }

  private get initContext(): InitContext {
    return { initializationType: this.spec.initializationType ?? 'on-demand', phase: this.spec.initPhase ?? 'init' };
  }

  private writeStart(invocation: Invocation): void {
    this.writeLine(invocation, this.lines.start(invocation.request.requestId, this.spec.version));
  }

  /** A platform line into the invocation's log and the durable stream; '' (the format writes none there) is skipped. */
  private writeLine(invocation: Invocation, line: string): void {
    if (!line) return;
    invocation.appendLog(line);
    this.spec.telemetry?.platform(this.logStreamName, line);
  }

  /** A platform line outside any invocation: the next one's tail gets it, as it gets Init's output. */
  private writeOrphan(line: string): void {
    this.orphanLog.push(Buffer.from(line));
    this.spec.telemetry?.platform(this.logStreamName, line);
  }

  private reportInit(status: 'error' | 'timeout', errorType?: string): void {
    if (this.initReported) return;
    const ms = performance.now() - this.spawnedAt;
    const init = this.initContext;
    const line = this.lines.initReport(init, ms, status, errorType);
    if (line) this.writeOrphan(line);
    this.extensions.telemetry.initDoneEvents(init.initializationType, init.phase, status === 'timeout' ? 'timeout' : 'error', ms, errorType);
  }

  extensionInitFailed(name: string, errorType: string): void {
    const body = Buffer.from(JSON.stringify({ errorMessage: `Extension ${name} failed to initialize: ${errorType}`, errorType: 'Extension.InitError' }));
    this.initError(body, 'Extension.InitError');
  }

  /** Output nobody received yet (e.g. a failed Init's INIT_REPORT), for the environment that retries. */
  takeOrphanLog(): Buffer[] {
    const log = this.orphanLog;
    this.orphanLog = [];
    return log;
  }

  /**
   * Retires the environment and stops the runtime (and everything it started). Extensions
   * registered for SHUTDOWN get the event and up to 2,000 ms before SIGKILL; meanwhile the
   * environment is already dead to the pool. Idempotent.
   */
  kill(reason: ShutdownReason = 'spindown'): void {
    if (this.stateValue === 'dead') return;
    this.moveTo('dead');
    this.resolveInitialized(false);
    clearTimeout(this.invokeTimer);
    clearTimeout(this.initTimer);
    this.stopFollowingDebugger?.();
    const alive = this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null;
    const grace = alive ? this.extensions.shutdown(reason) : null;
    if (!grace) this.stop();
    this.handBackUndelivered();
    const cur = this.current;
    this.current = undefined;
    if (cur && !cur.settled) this.settleWithPlatformError(cur, runtimeExited(cur.request.requestId, null, 'SIGKILL'), 'error');
    this.waiter?.reject(new Error('environment killed'));
    this.waiter = undefined;
    if (grace) void grace.then(() => this.stop());
    this.onDead(this);
  }

  private stop(): void {
    const pid = this.process?.pid;
    if (pid && this.process?.exitCode === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        this.process.kill('SIGKILL');
      }
    }
    this.extensions.close();
    void this.api?.close();
    this.sandboxed?.dispose();
  }
}

function errorBody(error: PlatformError): Buffer {
  return Buffer.from(JSON.stringify(error));
}
