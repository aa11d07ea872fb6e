import { randomUUID } from 'node:crypto';
import type { MetricRecorder } from '../../contracts/metric-recorder.js';
import { AsyncInvokeRefused, type AsyncInvokeRequest, type AsyncInvoker } from '../../contracts/async-invoker.js';
import type { AsyncEventQueue, NewAsyncEvent } from '../../store/queue/async-event-queue.js';
import { functionArn, parseFunctionName } from './arns.js';
import type { FunctionInvoker } from './function-invoker.js';
import { INVOKE_ASYNC_MAX_PAYLOAD_BYTES } from './limits.js';

/**
 * Lambda's side of the `AsyncInvoker` contract other services use (SNS, S3, EventBridge,
 * destinations): checks the function and the caller's permission, then queues the event durably.
 */
export class LambdaAsyncInvoker implements AsyncInvoker {
  constructor(
    private readonly invoker: FunctionInvoker,
    private readonly queue: AsyncEventQueue,
    /** `AWS/Lambda` AsyncEventsReceived, per function and for the account, once an event is queued. */
    private readonly metrics?: MetricRecorder,
  ) {}

  async enqueue(request: AsyncInvokeRequest): Promise<{ requestId: string }> {
    if (request.payload.length > INVOKE_ASYNC_MAX_PAYLOAD_BYTES) {
      throw new AsyncInvokeRefused('PayloadTooLarge', `Request must be smaller than ${INVOKE_ASYNC_MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`);
    }
    const payload = request.payload.length === 0 ? Buffer.from('{}') : request.payload;
    try {
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
    } catch (err) {
      throw new AsyncInvokeRefused('InvalidPayload', `Could not parse request body into json: ${err instanceof Error ? err.message : String(err)}`);
    }
    const scope = { accountId: request.accountId, region: request.region };
    const parts = parseFunctionName(request.functionName);
    const name = parts?.name ?? request.functionName;
    const qualifier = parts?.qualifier ?? request.qualifier ?? null;
    const notFound = () => new AsyncInvokeRefused('FunctionNotFound', `Function not found: ${functionArn(scope.region, scope.accountId, name, qualifier ?? '$LATEST')}`);
    if (!parts || (parts.accountId && parts.accountId !== scope.accountId) || (parts.region && parts.region !== scope.region)) throw notFound();
    const ref = { scope, name, qualifier };
    if ((await this.invoker.resolve(ref)).kind !== 'resolved') throw notFound();
    if (request.caller) {
      const allowed = await this.invoker.isAllowed(ref, {
        action: 'lambda:InvokeFunction',
        principalService: request.caller.principalService,
        sourceArn: request.caller.sourceArn,
        sourceAccount: request.caller.sourceAccount,
      });
      if (!allowed) {
        throw new AsyncInvokeRefused(
          'AccessDenied',
          `${request.caller.principalService} is not authorized to perform: lambda:InvokeFunction on resource: ${functionArn(scope.region, scope.accountId, name, qualifier)}`,
        );
      }
    }
    const requestId = request.requestId ?? randomUUID();
    await this.store({ ...scope, functionName: name, qualifier, requestId, traceId: request.traceId, payload });
    return { requestId };
  }

  /** Queues an event already checked by the caller (the Invoke operation). */
  async store(event: NewAsyncEvent): Promise<void> {
    await this.queue.enqueue(event);
    const base = { accountId: event.accountId, region: event.region, namespace: 'AWS/Lambda', metricName: 'AsyncEventsReceived', value: 1, unit: 'Count' };
    this.metrics?.record({ ...base, dimensions: { FunctionName: event.functionName } });
    this.metrics?.record(base);
  }
}
