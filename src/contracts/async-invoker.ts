/**
 * How a service hands an event to Lambda for asynchronous invocation (SNS, S3, EventBridge,
 * `Invoke` with `Event`): the durable queue behind it is Lambda's; callers see only this.
 */

/** Who is asking Lambda to run the function, for the resource-policy check AWS makes. */
export interface AsyncInvokeCaller {
  /** e.g. `sns.amazonaws.com`, `s3.amazonaws.com`, `events.amazonaws.com`. */
  principalService: string;
  sourceArn?: string;
  sourceAccount?: string;
}

export interface AsyncInvokeRequest {
  accountId: string;
  region: string;
  /** Function name, partial or full ARN, optionally qualified (`fn:alias`). */
  functionName: string;
  qualifier?: string;
  /** The event: any JSON value, as bytes. */
  payload: Buffer;
  /** Kept across retries; generated when absent. */
  requestId?: string;
  traceId?: string;
  /** Absent for the account's own `Invoke`; AWS services invoking on their own behalf set it. */
  caller?: AsyncInvokeCaller;
}

/** Why an event could not be queued; `code`/`message` are what AWS reports to the sender. */
export class AsyncInvokeRefused extends Error {
  constructor(
    readonly reason: 'FunctionNotFound' | 'AccessDenied' | 'PayloadTooLarge' | 'InvalidPayload',
    message: string,
  ) {
    super(message);
  }
}

export interface AsyncInvoker {
  /**
   * Stores the event durably and resolves once it is safe to acknowledge the sender (202).
   * Rejects with `AsyncInvokeRefused` when the function does not exist or the caller may not
   * invoke it.
   */
  enqueue(request: AsyncInvokeRequest): Promise<{ requestId: string }>;
}
