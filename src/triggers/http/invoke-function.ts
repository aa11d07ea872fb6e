import type { ResponseStreamSink } from '../../engine/response-stream.js';
import type { FunctionInvoker, FunctionRef } from '../../services/lambda/function-invoker.js';

export type DoorInvocation =
  | { kind: 'answered'; payload: Buffer; functionError: boolean; status: 'success' | 'error' | 'timeout' }
  | { kind: 'throttled' }
  | { kind: 'missing' };

/**
 * A synchronous invocation on behalf of a front door, through the invoker the Invoke operation
 * uses: a function that is missing or cannot run yet is one answer (the door's own error page).
 */
export async function invokeForDoor(
  invoker: FunctionInvoker,
  ref: FunctionRef,
  payload: Buffer,
  requestId: string,
  traceId?: string,
  responseStream?: ResponseStreamSink,
): Promise<DoorInvocation> {
  const resolution = await invoker.resolve(ref);
  if (resolution.kind !== 'resolved' || !resolution.invocation.runnable) return { kind: 'missing' };
  const outcome = await invoker.invoke(resolution.invocation, payload, { requestId, traceId, awaitLog: false, responseStream });
  if (outcome.kind === 'throttled') return { kind: 'throttled' };
  const { result } = outcome;
  return { kind: 'answered', payload: result.payload, functionError: result.functionError, status: result.status };
}
