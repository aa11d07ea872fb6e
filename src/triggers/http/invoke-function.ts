import type { ResponseStreamSink } from '../../engine/response-stream.js';
import { InvocationThrottled } from '../../engine/concurrency/throttle.js';
import { pickWeightedVersion } from '../../services/lambda/alias-routing.js';
import type { LambdaDeps } from '../../services/lambda/deps.js';
import { invokeTargetOf } from '../../services/lambda/invoke-target.js';
import type { Scope } from '../../services/lambda/model.js';
import { readAlias } from '../../services/lambda/tables/aliases-table.js';

export interface FunctionRef {
  scope: Scope;
  name: string;
  /** Version number or alias as configured on the door; null for the unqualified function. */
  qualifier: string | null;
}

export type DoorInvocation =
  | { kind: 'answered'; payload: Buffer; functionError: boolean; status: 'success' | 'error' | 'timeout' }
  | { kind: 'throttled' }
  | { kind: 'missing' };

/**
 * A synchronous invocation on behalf of a front door, exactly as the Invoke operation runs one:
 * the alias (weighted routing included) picks the version, the engine runs it.
 */
export async function invokeForDoor(
  deps: LambdaDeps,
  ref: FunctionRef,
  payload: Buffer,
  requestId: string,
  traceId?: string,
  responseStream?: ResponseStreamSink,
): Promise<DoorInvocation> {
  const { scope, name, qualifier } = ref;
  let version: string | null = qualifier ?? '$LATEST';
  if (qualifier && qualifier !== '$LATEST' && !/^\d+$/.test(qualifier)) {
    const alias = await readAlias(deps.db, scope, name, qualifier);
    version = alias ? pickWeightedVersion(alias.FunctionVersion, alias.RoutingConfig?.AdditionalVersionWeights) : null;
  }
  const row = version ? await deps.functions.getVersion(scope, name, version) : undefined;
  if (!version || !row || !row.codeHex || !deps.engine) return { kind: 'missing' };
  const state = row.config.State;
  if (state && state !== 'Active' && state !== 'Inactive') return { kind: 'missing' };
  try {
    const result = await deps.engine.invoke(invokeTargetOf(scope, name, qualifier, version, row), payload, { requestId, traceId, awaitLog: false, responseStream });
    return { kind: 'answered', payload: result.payload, functionError: result.functionError, status: result.status };
  } catch (err) {
    if (err instanceof InvocationThrottled) return { kind: 'throttled' };
    throw err;
  }
}
