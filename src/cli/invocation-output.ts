import type { Paint } from './terminal.js';

/** One synchronous invocation as the commands print it. */
export interface InvocationReport {
  statusCode: number;
  executedVersion?: string;
  /** `Unhandled` (or `Handled`) when the function failed. */
  functionError?: string;
  /** The function's answer as text (its JSON, or an error document). */
  payload: string;
  /** The log tail (`X-Amz-Log-Result`, decoded): START … REPORT. */
  log: string;
  /** REPORT's figures, milliseconds and MB, when the tail has them. */
  report?: ReportFigures;
}

export interface ReportFigures {
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  /** A REPORT of a failed invocation (`timeout`, `error`). */
  status?: string;
  /** Lambkin's note that the timeout was lifted for an attached debugger. */
  debugger?: boolean;
}

/** REPORT from a Text log, or platform.report from a JSON one. */
export function reportFigures(log: string): ReportFigures | undefined {
  const text = /^REPORT RequestId: \S+\t(.*)$/m.exec(log);
  if (text) {
    const field = (name: string) => {
      const m = new RegExp(`${name}: ([\\d.]+)`).exec(text[1]!);
      return m ? Number(m[1]) : undefined;
    };
    const status = /Status: (\w+)/.exec(text[1]!)?.[1];
    return {
      durationMs: field('Duration') ?? 0,
      billedDurationMs: field('Billed Duration') ?? 0,
      memorySizeMb: field('Memory Size') ?? 0,
      maxMemoryUsedMb: field('Max Memory Used') ?? 0,
      ...(field('Init Duration') !== undefined ? { initDurationMs: field('Init Duration') } : {}),
      ...(status ? { status } : {}),
      ...(/Debugger: attached/.test(text[1]!) ? { debugger: true } : {}),
    };
  }
  for (const line of log.split('\n')) {
    if (!line.includes('"platform.report"')) continue;
    try {
      const record = JSON.parse(line) as { record?: { metrics?: Record<string, number>; status?: string } };
      const m = record.record?.metrics ?? {};
      return {
        durationMs: m.durationMs ?? 0,
        billedDurationMs: m.billedDurationMs ?? 0,
        memorySizeMb: m.memorySizeMB ?? 0,
        maxMemoryUsedMb: m.maxMemoryUsedMB ?? 0,
        ...(m.initDurationMs !== undefined ? { initDurationMs: m.initDurationMs } : {}),
        ...(record.record?.status && record.record.status !== 'success' ? { status: record.record.status } : {}),
      };
    } catch {
      // a truncated first line of the 4 KB tail
    }
  }
  return undefined;
}

/** `errorType: errorMessage` of a function error document, else the payload itself. */
export function errorSummary(payload: string): string {
  try {
    const doc = JSON.parse(payload) as { errorType?: string; errorMessage?: string };
    if (doc && typeof doc === 'object' && (doc.errorType || doc.errorMessage)) return `${doc.errorType ?? 'Error'}: ${doc.errorMessage ?? ''}`;
  } catch {
    // not JSON: shown as it is
  }
  return payload;
}

/** The log's lines between START and END: what the function itself wrote. */
export function functionLines(log: string): string[] {
  return log.split('\n').filter((l) => l !== '' && !/^(START|END|REPORT|INIT_START|INIT_REPORT) /.test(l) && !l.includes('"type":"platform.'));
}

export function reportText(report: ReportFigures, paint: Paint): string {
  const parts = [`Duration ${report.durationMs.toFixed(2)} ms`, `Billed ${report.billedDurationMs} ms`, `Memory ${report.maxMemoryUsedMb}/${report.memorySizeMb} MB`];
  if (report.initDurationMs !== undefined) parts.push(paint.yellow(`Init ${report.initDurationMs.toFixed(2)} ms (cold start)`));
  if (report.status) parts.push(paint.red(`Status ${report.status}`));
  if (report.debugger) parts.push(paint.cyan('debugger attached: timeout lifted'));
  return paint.dim('REPORT ') + parts.join(paint.dim(' · '));
}

/**
 * The answer on `out` (so it pipes into jq), the function's log lines (all of the tail with
 * `fullLog`) and the REPORT figures on `err`.
 */
export function printInvocation(result: InvocationReport, io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream; paint: Paint; fullLog: boolean }): void {
  const { paint } = io;
  const lines = io.fullLog ? result.log.split('\n').filter(Boolean) : functionLines(result.log);
  if (lines.length > 0) io.err.write(lines.map((l) => paint.dim(l)).join('\n') + '\n');
  if (result.functionError) {
    io.err.write(`${paint.red(`${result.functionError} error`)} ${paint.bold(errorSummary(result.payload))}\n`);
  }
  io.out.write(result.payload.endsWith('\n') ? result.payload : `${result.payload}\n`);
  if (result.report) io.err.write(`${reportText(result.report, paint)}\n`);
}
