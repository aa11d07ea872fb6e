import { RESPONSE_PAYLOAD_MAX_BYTES } from './limits.js';

/** Error payloads the platform itself produces (spec §1.3, §3.3); the caller sees them with `Unhandled`. */
export interface PlatformError {
  errorType: string;
  errorMessage: string;
}

export function timedOut(requestId: string, timeoutSeconds: number): PlatformError {
  return { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds` };
}

export function runtimeExited(requestId: string, code: number | null, signal: NodeJS.Signals | null): PlatformError {
  const reason =
    signal !== null
      ? `Runtime exited with error: signal: ${signal === 'SIGKILL' ? 'killed' : signal.replace(/^SIG/, '').toLowerCase()}`
      : code !== null && code !== 0
        ? `Runtime exited with error: exit status ${code}`
        : 'Runtime exited without providing a reason';
  return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

export function responseTooLarge(size: number | null): PlatformError {
  return {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage:
      size !== null
        ? `Response payload size (${size} bytes) exceeded maximum allowed payload size (${RESPONSE_PAYLOAD_MAX_BYTES} bytes).`
        : `Response payload size exceeded maximum allowed payload size (${RESPONSE_PAYLOAD_MAX_BYTES} bytes).`,
  };
}

export function runtimeUnavailable(requestId: string, reason: string): PlatformError {
  return { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `RequestId: ${requestId} Error: ${reason}` };
}

export function launchFailed(requestId: string, detail: string): PlatformError {
  return { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `RequestId: ${requestId} Error: ${detail}` };
}
