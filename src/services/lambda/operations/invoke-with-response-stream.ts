import type { RestJsonRequest, RestJsonRoute } from '../../../protocols/rest-json.js';
import { emptyResponse } from '../../../protocols/rest-json.js';
import { eventMessage } from '../../../protocols/event-stream.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import type { InvocationResult } from '../../../engine/invocation.js';
import type { ResponseStreamSink } from '../../../engine/response-stream.js';
import type { LambdaDeps } from '../deps.js';
import { errors } from '../errors.js';
import type { InvokeOutcome } from '../function-invoker.js';
import { INVOKE_SYNC_PAYLOAD_MAX_BYTES } from '../limits.js';
import { ConstraintCheck } from '../validation.js';
import { clientContext, eventPayload, header, logTail, resolveInvocation, traceHeader } from './invoke.js';

const INVOCATION_TYPES = ['RequestResponse', 'DryRun'] as const;
const LOG_TYPES = ['None', 'Tail'] as const;

export function invokeWithResponseStreamRoutes(deps: LambdaDeps): RestJsonRoute[] {
  return [{
    operation: 'InvokeWithResponseStream', method: 'POST', path: '/2021-11-15/functions/{FunctionName}/response-streaming-invocations',
    handler: (r) => invokeWithResponseStream(deps, r),
  }];
}

/** Chunks from the runtime, handed to the HTTP response as they arrive. */
class ChunkQueue implements ResponseStreamSink {
  started = false;
  private readonly chunks: Buffer[] = [];
  private closed = false;
  private wake: (() => void) | undefined;
  private resolveStarted!: () => void;
  readonly whenStarted = new Promise<void>((resolve) => {
    this.resolveStarted = resolve;
  });

  start(): void {
    this.started = true;
    this.resolveStarted();
  }

  write(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.wake?.();
  }

  end(): void {
    // The invocation's outcome closes the queue (`close`), errors included.
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *drain(): AsyncGenerator<Buffer> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk) {
        yield chunk;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

/**
 * InvokeWithResponseStream (spec §1.3): `PayloadChunk` events as the function writes, then
 * `InvokeComplete` with `ErrorCode`/`ErrorDetails` on failure and `LogResult` for `Tail`.
 * A function that does not stream sends its whole answer as one chunk.
 */
async function invokeWithResponseStream(deps: LambdaDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  if (req.body.length > INVOKE_SYNC_PAYLOAD_MAX_BYTES) throw errors.requestTooLarge(INVOKE_SYNC_PAYLOAD_MAX_BYTES, 'InvokeWithResponseStream');
  const invocationType = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  const logType = header(req, 'x-amz-log-type') ?? 'None';
  new ConstraintCheck().oneOf(invocationType, 'invocationType', INVOCATION_TYPES).oneOf(logType, 'logType', LOG_TYPES).throwIfFailed();
  const invocation = await resolveInvocation(deps, req, 'InvokeWithResponseStream');
  const payload = eventPayload(req.body);
  if (invocationType === 'DryRun') return emptyResponse(204);
  if (!deps.engine) throw errors.internal();

  const queue = new ChunkQueue();
  const outcome = deps.invoker.invoke(invocation, payload, {
    requestId: req.requestId,
    traceId: traceHeader(req),
    clientContext: clientContext(req),
    awaitLog: logType === 'Tail',
    responseStream: queue,
  });
  // A throttle refuses before anything runs: answer it as Invoke does, before the stream opens.
  const first = await Promise.race([outcome, queue.whenStarted.then(() => 'started' as const)]);
  if (first !== 'started' && first.kind === 'throttled') throw errors.invocationThrottled(first.reason);
  const result: Promise<InvocationResult> = outcome.then((o: InvokeOutcome) => {
    if (o.kind !== 'answered') throw new Error('throttled after the stream started');
    return o.result;
  });
  void result.then(() => queue.close(), () => queue.close());

  async function* events(): AsyncGenerator<Uint8Array> {
    for await (const chunk of queue.drain()) yield eventMessage('PayloadChunk', 'application/octet-stream', chunk);
    const ended: InvocationResult = await result;
    const complete: Record<string, string> = {};
    if (ended.functionError) {
      complete.ErrorCode = ended.errorType ?? 'Unhandled';
      complete.ErrorDetails = ended.payload.toString('utf8');
    } else if (!queue.started && ended.payload.length > 0) {
      yield eventMessage('PayloadChunk', 'application/octet-stream', ended.payload);
    }
    if (logType === 'Tail') complete.LogResult = logTail(ended.log);
    yield eventMessage('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(complete)));
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/vnd.amazon.eventstream', 'X-Amz-Executed-Version': invocation.version },
    stream: events(),
  };
}
