/** Why an invocation was refused for lack of concurrency (TooManyRequestsException `Reason`). */
export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';

/**
 * Thrown by `Engine.invoke` before anything runs. The engine knows nothing of HTTP: the Invoke
 * operation turns this into AWS's 429.
 */
export class InvocationThrottled extends Error {
  constructor(readonly reason: ThrottleReason) {
    super(`invocation throttled: ${reason}`);
    this.name = 'InvocationThrottled';
  }
}
