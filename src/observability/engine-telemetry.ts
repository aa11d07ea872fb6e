import type { Logger } from '../logger.js';
import { initStartEvent } from '../engine/json-log-lines.js';
import { initStartLine } from '../engine/log-lines.js';
import type { InitContext } from '../engine/platform-line-format.js';
import { UsageRecords } from './usage-records.js';
import { recordAllocation } from './billing/provisioned-allocations.js';
import type { MetricRecorder } from '../contracts/metric-recorder.js';
import { LambdaMetrics, type FunctionCountsObserver, type ReservedFunctions } from './metrics/lambda-metrics.js';
import type { Store } from '../store/database.js';
import { FunctionLogs } from './function-logs.js';
import { LogStoreCap } from './log-store-cap.js';
import { OutputRate } from './output-rate.js';
import type { EnvironmentTelemetry, InvocationUsage, TelemetrySink, TelemetryTarget } from '../engine/telemetry-sink.js';

/**
 * CloudWatch's largest event is 256 KB including 26 bytes of overhead; longer lines become
 * several events.
 */
export const LOG_EVENT_MAX_BYTES = 262_144 - 26;

export interface StoreTelemetryOptions {
  flushIntervalMs?: number;
  maxBatch?: number;
  /** Each environment's output rate into the store (LAMBKIN_LOG_RATE_BYTES_PER_SECOND); unlimited when absent. */
  outputBytesPerSecond?: number;
  /** The log store's size cap (LAMBKIN_LOG_STORE_MAX_MB); unbounded when absent. */
  logStoreMaxBytes?: number;
  /** Where the `AWS/Lambda` metrics of every invocation go; none recorded when absent. */
  metrics?: MetricRecorder;
  /** Told each function's invocation counts once a second (Prometheus). */
  functionCounts?: FunctionCountsObserver;
  /** Functions with reserved concurrency (UnreservedConcurrentExecutions leaves them out). */
  reservedFunctions?: ReservedFunctions;
}

/** An environment may write this many seconds' worth at once (a burst at Init, a big stack trace). */
const OUTPUT_BURST_SECONDS = 5;

/** The engine's telemetry sink backed by the store: durable function logs plus usage records. */
export class StoreTelemetry implements TelemetrySink {
  readonly logs: FunctionLogs;
  readonly usage: UsageRecords;
  private readonly lambdaMetrics: LambdaMetrics | undefined;

  private allocations: Promise<void> = Promise.resolve();

  constructor(private readonly db: Store, private readonly logger: Logger, private readonly options: StoreTelemetryOptions = {}) {
    const cap = options.logStoreMaxBytes ? new LogStoreCap(db, logger, options.logStoreMaxBytes) : undefined;
    this.logs = new FunctionLogs(db, logger, options, cap);
    this.usage = new UsageRecords(db, logger, options);
    this.lambdaMetrics = options.metrics ? new LambdaMetrics(options.metrics, options.functionCounts, undefined, options.reservedFunctions) : undefined;
  }

  forEnvironment(target: TelemetryTarget): EnvironmentTelemetry {
    const perSecond = this.options.outputBytesPerSecond;
    return new EnvironmentLog(target, this, perSecond ? new OutputRate(perSecond, perSecond * OUTPUT_BURST_SECONDS) : null);
  }

  invocationThrottled(target: TelemetryTarget, requestId: string): void {
    this.record(target, { requestId, durationMs: 0, billedDurationMs: 0, maxMemoryUsedMb: 0, outcome: 'throttle' });
  }

  record(target: TelemetryTarget, usage: InvocationUsage): void {
    const now = Date.now();
    this.lambdaMetrics?.invocation(target, usage, now);
    this.usage.add({
      request_id: usage.requestId,
      account_id: target.accountId,
      region: target.region,
      function_name: target.functionName,
      version: target.version,
      memory_mb: target.memoryMb,
      duration_ms: Math.round(usage.durationMs * 100) / 100,
      billed_ms: usage.billedDurationMs,
      init_ms: usage.initDurationMs === undefined ? null : Math.round(usage.initDurationMs * 100) / 100,
      max_memory_used_mb: usage.maxMemoryUsedMb,
      outcome: usage.outcome,
      timestamp: now,
      architecture: target.architecture ?? null,
      ephemeral_storage_mb: target.ephemeralStorageMb ?? null,
      provisioned: usage.provisioned ? 1 : null,
    });
  }

  postRuntimeExtensions(target: TelemetryTarget, durationMs: number): void {
    this.lambdaMetrics?.postRuntimeExtensions(target, durationMs, Date.now());
  }

  provisionedConcurrency(target: TelemetryTarget, count: number): void {
    this.lambdaMetrics?.provisionedConcurrency(target, count);
    const at = Date.now();
    // In order, one at a time: each closes the allocation the one before opened.
    this.allocations = this.allocations.then(() => recordAllocation(this.db, target, count, at)).catch((err: unknown) => {
      this.logger.error({ err, function: target.functionName }, 'could not record a provisioned concurrency allocation');
    });
  }

  /** Writes everything buffered so far (tests, shutdown). */
  async flush(): Promise<void> {
    this.lambdaMetrics?.flush();
    await Promise.all([this.logs.flush(), this.usage.flush()]);
  }

  async close(): Promise<void> {
    // Environments killed just before report their END/REPORT on the next turn of the loop.
    await new Promise((resolve) => setImmediate(resolve));
    this.lambdaMetrics?.flush();
    await Promise.all([this.logs.close(), this.usage.close(), this.allocations]);
  }
}

/**
 * One environment's log stream: runtime output is cut into one event per line, as Lambda does
 * for stdout and stderr; a line still being written is held until its newline or the next
 * platform line.
 */
class EnvironmentLog implements EnvironmentTelemetry {
  private partial = '';
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly target: TelemetryTarget,
    private readonly sink: StoreTelemetry,
    private readonly rate: OutputRate | null,
  ) {}

  initStarted(streamName: string, init: InitContext): void {
    const t = this.target;
    if (!t.runtime) return;
    const line = t.logging
      ? initStartEvent({ ...init, runtime: t.runtime, region: t.region, functionName: t.functionName, functionVersion: t.version, memoryMb: t.memoryMb, streamName }, t.logging)
      : initStartLine(t.runtime, t.region);
    if (line) this.platform(streamName, line);
  }

  output(streamName: string, chunk: Buffer): void {
    if (this.rate && !this.rate.admit(chunk.length)) {
      // A dropped chunk ends the line before it, so its neighbours never merge into one event.
      if (this.partial) this.event(streamName, this.partial);
      this.partial = '';
      return;
    }
    const notice = this.rate?.takeDropNotice();
    if (notice) this.event(streamName, notice);
    let text = this.partial + this.decoder.decode(chunk, { stream: true });
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      this.event(streamName, text.slice(0, newline + 1));
      text = text.slice(newline + 1);
      newline = text.indexOf('\n');
    }
    if (Buffer.byteLength(text) > LOG_EVENT_MAX_BYTES) {
      this.event(streamName, text);
      text = '';
    }
    this.partial = text;
  }

  platform(streamName: string, line: string): void {
    if (this.partial) {
      this.event(streamName, this.partial);
      this.partial = '';
    }
    const notice = this.rate?.takeDropNotice();
    if (notice) this.event(streamName, notice);
    for (const l of line.split(/(?<=\n)/)) this.event(streamName, l);
  }

  invocationDone(usage: InvocationUsage): void {
    this.sink.record(this.target, usage);
  }

  extensionsDone(durationMs: number): void {
    this.sink.postRuntimeExtensions(this.target, durationMs);
  }

  private event(streamName: string, message: string): void {
    if (message === '') return;
    const timestamp = Date.now();
    for (const part of splitBytes(message, LOG_EVENT_MAX_BYTES)) {
      this.sink.logs.append({
        accountId: this.target.accountId,
        region: this.target.region,
        group: this.target.logGroupName,
        stream: streamName,
        timestamp,
        message: part,
      });
    }
  }
}

function splitBytes(text: string, max: number): string[] {
  if (text.length * 3 <= max || Buffer.byteLength(text) <= max) return [text];
  const parts: string[] = [];
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += max) parts.push(bytes.subarray(i, i + max).toString('utf8'));
  return parts;
}
