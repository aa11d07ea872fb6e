/** Platform log lines as Lambda writes them (spec §3.4): tab-separated, REPORT ends with a tab. */

/** Lambkin's own build of each managed runtime; AWS numbers its builds `…v<n>` the same way. */
const RUNTIME_BUILD = 1;

/**
 * `nodejs:22.v1`, `python:3.12.v1`, `provided:al2023.v1`: the `Runtime Version` AWS prints in
 * INIT_START (family, colon, version, build number).
 */
export function runtimeVersionName(runtime: string): string {
  const m = /^([a-z]+?)(\d+(?:\.\d+)*)(?:\.x)?$/.exec(runtime);
  if (m) return `${m[1]}:${m[2]}.v${RUNTIME_BUILD}`;
  const [family, variant] = runtime.split('.');
  return `${family}:${variant ?? '1'}.v${RUNTIME_BUILD}`;
}

/** The same ARN the control plane reports as `RuntimeVersionConfig.RuntimeVersionArn`. */
export function runtimeVersionArn(region: string, runtime: string): string {
  const hash = Buffer.from(runtime).toString('hex').padEnd(64, '0').slice(0, 64);
  return `arn:aws:lambda:${region}::runtime:${hash}`;
}

/** Written once per environment, when its Init phase begins (never part of an invocation's tail). */
export function initStartLine(runtime: string, region: string): string {
  return `INIT_START Runtime Version: ${runtimeVersionName(runtime)}\tRuntime Version ARN: ${runtimeVersionArn(region, runtime)}\n`;
}

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}\n`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}\n`;
}

/**
 * Milliseconds billed: the printed Duration (plus the printed Init Duration on a cold start,
 * billed since Aug 2025) rounded up to 1 ms, at least 1 ms. Computed in hundredths so the
 * figures in REPORT always add up to what is billed.
 */
export function billedDurationMs(durationMs: number, initDurationMs?: number): number {
  const hundredths = Math.round(durationMs * 100) + (initDurationMs === undefined ? 0 : Math.round(initDurationMs * 100));
  return Math.max(1, Math.ceil(hundredths / 100));
}

export interface ReportFields {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  status?: 'timeout' | 'error';
  errorType?: string;
  /** Lambkin's own: a debugger was attached, and the timeout lifted, during the invocation. */
  debuggerAttached?: boolean;
}

export function reportLine(f: ReportFields): string {
  const billed = billedDurationMs(f.durationMs, f.initDurationMs);
  let line =
    `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\tBilled Duration: ${billed} ms\t` +
    `Memory Size: ${f.memorySizeMb} MB\tMax Memory Used: ${f.maxMemoryUsedMb} MB\t`;
  if (f.initDurationMs !== undefined) line += `Init Duration: ${f.initDurationMs.toFixed(2)} ms\t`;
  if (f.status) line += `Status: ${f.status}\t`;
  if (f.errorType) line += `Error Type: ${f.errorType}\t`;
  if (f.debuggerAttached) line += 'Debugger: attached, timeout lifted\t';
  return `${line}\n`;
}

/**
 * A failed Init. `phase` is `init` for the environment's own Init and `invoke` when Init is
 * re-run inside the first invocation (the suppressed-init retry).
 */
export function initReportLine(durationMs: number, phase: 'init' | 'invoke', status: 'error' | 'timeout', errorType?: string): string {
  return `INIT_REPORT Init Duration: ${durationMs.toFixed(2)} ms\tPhase: ${phase}\tStatus: ${status}${errorType ? `\tError Type: ${errorType}` : ''}\n`;
}

export function timeoutLine(requestId: string, timeoutSeconds: number): string {
  return `${new Date().toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds\n`;
}

/** A runtime that died mid-invocation: the platform's message without its request id, then the error type. */
export function exitLine(requestId: string, error: { errorType: string; errorMessage: string }): string {
  return `RequestId: ${requestId} ${error.errorMessage.replace(/^RequestId: \S+ /, '')}\n${error.errorType}\n`;
}
