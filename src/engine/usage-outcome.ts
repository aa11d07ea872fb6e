/** How an invocation ended, as usage records count it. */
export type UsageOutcome = 'success' | 'error' | 'timeout' | 'crash' | 'throttle';

/** Outcome for metering: a dead runtime (exit, kill, out of memory, failed launch) is a crash. */
export function usageOutcome(status: 'success' | 'error' | 'timeout' | undefined, errorType?: string): UsageOutcome {
  if (status === 'success') return 'success';
  if (status === 'timeout') return 'timeout';
  if (errorType === 'Runtime.ExitError' || errorType === 'Runtime.OutOfMemory' || errorType === 'Runtime.InvalidEntrypoint') return 'crash';
  return 'error';
}
