import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { functionRefOfArn, type FunctionInvoker } from '../../services/lambda/function-invoker.js';

/** Which invocation answered (a stream mapping's OnFailure record names it). */
export interface InvokedAs {
  requestId: string;
  executedVersion: string;
}

export type InvokeOutcome =
  | { kind: 'ok'; payload: Buffer; invoked?: InvokedAs }
  | { kind: 'function-error'; payload: Buffer; invoked?: InvokedAs }
  | { kind: 'throttled' }
  | { kind: 'unavailable'; reason: string };

/** How long an alias's routing is reused before it is read again (keeps per-batch store reads off the hot path). */
const ROUTING_REUSE_MS = 1000;

/**
 * Runs a mapping's function synchronously with one batch, as Lambda's pollers do, through the
 * invoker every caller uses: the (possibly qualified) function ARN is resolved for each batch, so
 * new versions, alias moves and deletions apply live.
 */
export class MappingFunctionInvoker {
  constructor(private readonly deps: { invoker: FunctionInvoker; clock: Clock }) {}

  async invoke(functionArn: string, payload: Buffer): Promise<InvokeOutcome> {
    return this.invokeWith(functionArn, () => payload);
  }

  /**
   * Like `invoke`, with the payload built once the version that runs is known: stream records
   * carry the function's role as `invokeIdentityArn`.
   */
  async invokeWith(functionArn: string, build: (fn: { roleArn: string }) => Buffer): Promise<InvokeOutcome> {
    const ref = functionRefOfArn(functionArn);
    if (!ref) return { kind: 'unavailable', reason: 'function not resolvable' };
    const resolution = await this.deps.invoker.resolve(ref, { reuseRoutingForMs: ROUTING_REUSE_MS, now: this.deps.clock.now() });
    if (resolution.kind !== 'resolved') return { kind: 'unavailable', reason: 'function not found' };
    const { invocation } = resolution;
    if (!invocation.runnable) return { kind: 'unavailable', reason: `function ${invocation.state}` };
    const payload = build({ roleArn: invocation.row.config.Role ?? '' });
    const requestId = randomUUID();
    try {
      const outcome = await this.deps.invoker.invoke(invocation, payload, { requestId });
      if (outcome.kind === 'throttled') return { kind: 'throttled' };
      const { result } = outcome;
      const invoked = { requestId, executedVersion: invocation.version };
      return result.functionError ? { kind: 'function-error', payload: result.payload, invoked } : { kind: 'ok', payload: result.payload, invoked };
    } catch (err) {
      return { kind: 'unavailable', reason: err instanceof Error ? err.message : String(err) };
    }
  }

  /** The function's reserved concurrency (caps the poller's scaling), or null. */
  async reservedConcurrency(functionArn: string): Promise<number | null> {
    const ref = functionRefOfArn(functionArn);
    return ref ? this.deps.invoker.reservedConcurrency(ref) : null;
  }

  /** The function's timeout in seconds, for the effective visibility timeout. */
  async timeoutSeconds(functionArn: string): Promise<number> {
    const ref = functionRefOfArn(functionArn);
    return (ref ? await this.deps.invoker.timeoutSeconds(ref) : undefined) ?? 3;
  }
}
