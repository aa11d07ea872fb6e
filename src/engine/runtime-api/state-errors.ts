import type { RuntimeApiHost } from './host.js';

/** 400 for an id this environment never issued, 403 for one already answered (RIE router.go). */
export function invocationStateError(
  host: RuntimeApiHost,
  requestId: string,
): { status: number; errorType: string; errorMessage: string } | null {
  const state = host.invocationState(requestId);
  if (state === 'unknown') return { status: 400, errorType: 'InvalidRequestID', errorMessage: 'Invalid request ID' };
  if (state === 'answered') {
    return { status: 403, errorType: 'InvalidStateTransition', errorMessage: 'State transition from Ready to InvocationResponse failed for runtime. Error: Invalid state transition' };
  }
  return null;
}
