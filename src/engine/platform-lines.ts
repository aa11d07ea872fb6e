import { jsonPlatformLines, type JsonLogging } from './json-log-lines.js';
import { endLine, exitLine, initReportLine, reportLine, startLine, timeoutLine } from './log-lines.js';
import type { PlatformLines } from './platform-line-format.js';

const textPlatformLines: PlatformLines = {
  start: startLine,
  finish: (report) => endLine(report.requestId) + reportLine(report),
  timeout: timeoutLine,
  exit: exitLine,
  initDone: () => '',
  notice: (message) => `${message}\n`,
  initReport: (init, durationMs, status, errorType) => initReportLine(durationMs, init.phase, status, errorType),
};

/** Chosen once per environment, so writing a line never asks which format is in use. */
export function platformLines(logging: JsonLogging | undefined): PlatformLines {
  return logging ? jsonPlatformLines(logging) : textPlatformLines;
}
