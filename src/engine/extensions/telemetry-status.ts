import type { InvocationOutcome } from '../invocation.js';
import { usageOutcome } from '../usage-outcome.js';
import type { TelemetryStatus } from './telemetry.js';

/** `success`, `timeout`, `failure` for a runtime that died or failed to start, else `error`. */
export function telemetryStatus(outcome: InvocationOutcome | undefined): TelemetryStatus {
  if (!outcome) return 'failure';
  const usage = usageOutcome(outcome.status, outcome.errorType);
  return usage === 'crash' ? 'failure' : usage === 'success' || usage === 'timeout' ? usage : 'error';
}
