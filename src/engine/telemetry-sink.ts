import type { JsonLogging } from './json-log-lines.js';
import type { InitContext } from './platform-line-format.js';
import type { UsageOutcome } from './usage-outcome.js';

/**
 * What the engine reports about each execution environment, for durable logs and metering.
 * The engine only calls these; storage, batching and formatting of records live behind them.
 * Every method must return at once: they are called on the invoke path.
 */

/** The function version an environment runs, as far as logs and metering care. */
export interface TelemetryTarget {
  accountId: string;
  region: string;
  functionName: string;
  version: string;
  runtime: string | undefined;
  memoryMb: number;
  /** `Architectures[0]`: `x86_64` (the default) or `arm64`; priced differently. */
  architecture?: string;
  /** `EphemeralStorage.Size` in MB; 512 when absent. */
  ephemeralStorageMb?: number;
  logGroupName: string;
  /** Set for `LogFormat` JSON; Text otherwise. */
  logging?: JsonLogging;
}

export interface InvocationUsage {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  /** Only on the first invocation of an environment (a cold start). */
  initDurationMs?: number;
  maxMemoryUsedMb: number;
  outcome: UsageOutcome;
  /** A provisioned-concurrency environment ran it (billed at the lower duration price). */
  provisioned?: boolean;
}

/** One environment's reporter; `streamName` is the environment's log stream. */
export interface EnvironmentTelemetry {
  /** The environment's Init phase began (INIT_START). */
  initStarted(streamName: string, init: InitContext): void;
  /** Raw stdout/stderr of the runtime, in arrival order; split into events per line. */
  output(streamName: string, chunk: Buffer): void;
  /** One complete platform line (START, END, REPORT, INIT_REPORT, timeouts, exits). */
  platform(streamName: string, line: string): void;
  /** An invocation finished; one usage record each. */
  invocationDone(usage: InvocationUsage): void;
  /** The environment's extensions were done `durationMs` after the runtime's response (only with extensions). */
  extensionsDone?(durationMs: number): void;
}

export interface TelemetrySink {
  forEnvironment(target: TelemetryTarget): EnvironmentTelemetry;
  /** An invocation refused for concurrency (429): metered with zero duration, never logged. */
  invocationThrottled(target: TelemetryTarget, requestId: string): void;
  /** Provisioned concurrency of this version is now `count` (0: none), billed while allocated. */
  provisionedConcurrency?(target: TelemetryTarget, count: number): void;
}
