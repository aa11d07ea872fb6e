/**
 * Platform lines with `LoggingConfig.LogFormat` JSON (spec §3.4): each is one
 * `{"time","type","record"}` object on a line of its own, with the record the Telemetry API
 * delivers for the same event, written only when its level passes the function's SystemLogLevel.
 * There is no JSON form of END, the timeout line or the exit line: platform.runtimeDone and
 * platform.report carry the outcome (`status`, `errorType`) instead.
 */
import { telemetryStatus } from './extensions/telemetry-status.js';
import { round2 } from './extensions/telemetry.js';
import type { InvocationOutcome } from './invocation.js';
import { billedDurationMs, runtimeVersionArn, runtimeVersionName, type ReportFields } from './log-lines.js';
import type { InitContext, PlatformLines } from './platform-line-format.js';

/** A function with `LogFormat` JSON: the levels of its LoggingConfig (the control plane fills in INFO). */
export interface JsonLogging {
  /** `AWS_LAMBDA_LOG_LEVEL`: the runtime client drops its own messages below it. */
  applicationLogLevel: string;
  /** DEBUG, INFO or WARN: which platform events are written. */
  systemLogLevel: string;
}

/**
 * AWS's event-to-level mapping has the lifecycle events at INFO and the `*RuntimeDone` ones at
 * DEBUG; nothing written here is WARN, so SystemLogLevel WARN leaves the log to the function.
 */
function levels(logging: JsonLogging): { debug: boolean; info: boolean } {
  const debug = logging.systemLogLevel === 'DEBUG';
  return { debug, info: debug || logging.systemLogLevel !== 'WARN' };
}

function event(type: string, record: Record<string, unknown>): string {
  return `${JSON.stringify({ time: new Date().toISOString(), type, record })}\n`;
}

export function jsonPlatformLines(logging: JsonLogging): PlatformLines {
  const { debug, info } = levels(logging);
  return {
    start: (requestId, version) => (info ? event('platform.start', { requestId, version }) : ''),
    // Shaped as the runtimes' own JSON records, so one parser reads the whole stream.
    notice: (message) => `${JSON.stringify({ timestamp: new Date().toISOString(), level: 'WARN', message })}\n`,
    finish(report: ReportFields, outcome: InvocationOutcome | undefined): string {
      const status = telemetryStatus(outcome);
      const errorType = status === 'success' ? undefined : outcome?.errorType;
      let out = '';
      if (debug) {
        out += event('platform.runtimeDone', {
          requestId: report.requestId, status, ...(errorType ? { errorType } : {}),
          metrics: { durationMs: round2(report.durationMs), producedBytes: outcome?.payload.length ?? 0 },
        });
      }
      if (info) {
        const metrics: Record<string, number> = {
          durationMs: round2(report.durationMs), billedDurationMs: billedDurationMs(report.durationMs, report.initDurationMs),
          memorySizeMB: report.memorySizeMb, maxMemoryUsedMB: report.maxMemoryUsedMb,
        };
        if (report.initDurationMs !== undefined) metrics.initDurationMs = round2(report.initDurationMs);
        out += event('platform.report', { requestId: report.requestId, metrics, status, ...(errorType ? { errorType } : {}) });
      }
      return out;
    },
    timeout: () => '',
    exit: () => '',
    initDone: (init: InitContext) => (debug ? event('platform.initRuntimeDone', { ...init, status: 'success' }) : ''),
    initReport(init: InitContext, durationMs: number, status: 'error' | 'timeout', errorType?: string): string {
      const failure = { ...init, status, ...(errorType ? { errorType } : {}) };
      return (
        (debug ? event('platform.initRuntimeDone', failure) : '') +
        (info ? event('platform.initReport', { ...failure, metrics: { durationMs: round2(durationMs) } }) : '')
      );
    },
  };
}

export interface InitStartFields extends InitContext {
  runtime: string;
  region: string;
  functionName: string;
  functionVersion: string;
  memoryMb: number;
  /** The environment's log stream, which AWS gives as `instanceId`. */
  streamName: string;
}

/** platform.initStart as AWS logs it: the instance is the log stream, its memory in bytes. */
export function initStartEvent(f: InitStartFields, logging: JsonLogging): string {
  if (!levels(logging).info) return '';
  return event('platform.initStart', {
    initializationType: f.initializationType,
    phase: f.phase,
    runtimeVersion: runtimeVersionName(f.runtime),
    runtimeVersionArn: runtimeVersionArn(f.region, f.runtime),
    functionName: f.functionName,
    functionVersion: f.functionVersion,
    instanceId: f.streamName,
    instanceMaxMemory: f.memoryMb * 1024 * 1024,
  });
}
