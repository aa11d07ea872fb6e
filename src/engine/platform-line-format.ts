import type { InvocationOutcome } from './invocation.js';
import type { ReportFields } from './log-lines.js';
import type { PlatformError } from './platform-errors.js';

// Apart from platform-lines.ts so the JSON format (json-log-lines.ts) can implement it without the
// two files importing each other.

/** How and when an environment's Init ran, as platform events name it. */
export interface InitContext {
  initializationType: string;
  phase: 'init' | 'invoke';
}

/**
 * The platform's own lines in one environment's log, in the function's `LogFormat`. Each returns
 * what to write, or '' when that format (or its SystemLogLevel) writes nothing there.
 */
export interface PlatformLines {
  start(requestId: string, version: string): string;
  /** What closes an invocation: END and REPORT, or their JSON events. */
  finish(report: ReportFields, outcome: InvocationOutcome | undefined): string;
  timeout(requestId: string, timeoutSeconds: number): string;
  /** A runtime that died mid-invocation. */
  exit(requestId: string, error: PlatformError): string;
  /** Init finished well (Text writes nothing then). */
  initDone(init: InitContext, durationMs: number): string;
  initReport(init: InitContext, durationMs: number, status: 'error' | 'timeout', errorType?: string): string;
  /** A warning of Lambkin's own about the environment (not an AWS event): a text line, or a WARN record in JSON. */
  notice(message: string): string;
}
