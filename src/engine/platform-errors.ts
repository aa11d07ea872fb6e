import { RESPONSE_PAYLOAD_MAX_BYTES } from './limits.js';

/** Error payloads the platform itself produces (spec §1.3, §3.3); the caller sees them with `Unhandled`. */
export interface PlatformError {
  errorType: string;
  errorMessage: string;
}

export function timedOut(requestId: string, timeoutSeconds: number): PlatformError {
  return { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds` };
}

/**
 * How AWS's platform (written in Go) names the signal that ended a runtime: Go's own descriptions,
 * as in `signal: segmentation fault`.
 */
const SIGNAL_DESCRIPTIONS: Partial<Record<NodeJS.Signals, string>> = {
  SIGHUP: 'hangup', SIGINT: 'interrupt', SIGQUIT: 'quit', SIGILL: 'illegal instruction', SIGTRAP: 'trace/breakpoint trap',
  SIGABRT: 'aborted', SIGBUS: 'bus error', SIGFPE: 'floating point exception', SIGKILL: 'killed', SIGUSR1: 'user defined signal 1',
  SIGSEGV: 'segmentation fault', SIGUSR2: 'user defined signal 2', SIGPIPE: 'broken pipe', SIGALRM: 'alarm clock', SIGTERM: 'terminated',
  SIGSTKFLT: 'stack fault', SIGXCPU: 'CPU time limit exceeded', SIGXFSZ: 'file size limit exceeded', SIGVTALRM: 'virtual timer expired',
  SIGPROF: 'profiling timer expired', SIGIO: 'I/O possible', SIGPWR: 'power failure', SIGSYS: 'bad system call',
};

export function signalDescription(signal: NodeJS.Signals): string {
  return SIGNAL_DESCRIPTIONS[signal] ?? signal;
}

/**
 * An external extension's process ended, which ends the environment: AWS names the exit as Go
 * prints a process state (`exit status 1`, `signal: killed`), and a clean exit `exit code 0`.
 */
export function extensionCrashed(requestId: string, code: number | null, signal: NodeJS.Signals | null): PlatformError {
  const reason = signal !== null ? `signal: ${signalDescription(signal)}` : code === 0 ? 'exit code 0' : `exit status ${code ?? 'unknown'}`;
  return { errorType: 'Extension.Crash', errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

export function runtimeExited(requestId: string, code: number | null, signal: NodeJS.Signals | null): PlatformError {
  const reason =
    signal !== null
      ? `Runtime exited with error: signal: ${signalDescription(signal)}`
      : code !== null && code !== 0
        ? `Runtime exited with error: exit status ${code}`
        : 'Runtime exited without providing a reason';
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

/** AWS's message names only the limit (the emulator's adds the size; recorded AWS responses do not). */
export function responseTooLarge(): PlatformError {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `Response payload size exceeded maximum allowed payload size (${RESPONSE_PAYLOAD_MAX_BYTES} bytes).`,
  };
}

export function runtimeUnavailable(requestId: string, reason: string): PlatformError {
  return { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

export function launchFailed(requestId: string, detail: string): PlatformError {
  return { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `RequestId: ${requestId} Error: ${detail}` };
}
