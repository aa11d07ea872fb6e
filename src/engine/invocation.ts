import type { ResponseStreamSink } from './response-stream.js';
import { INVOCATION_LOG_MAX_BYTES } from './limits.js';

/** One event on its way through an environment. */
export interface InvocationRequest {
  requestId: string;
  payload: Buffer;
  /** ARN as the caller named it (qualified or not), for `Lambda-Runtime-Invoked-Function-Arn`. */
  invokedFunctionArn: string;
  traceId: string;
  /** Decoded client-context JSON text, sync invokes only. */
  clientContext?: string;
  /** Set when the caller takes a streamed response as the runtime writes it. */
  responseStream?: ResponseStreamSink;
}

export interface InvocationOutcome {
  payload: Buffer;
  /** True when the body is an error document (`X-Amz-Function-Error: Unhandled`). */
  functionError: boolean;
  status: 'success' | 'error' | 'timeout';
  errorType?: string;
}

export interface InvocationResult extends InvocationOutcome {
  requestId: string;
  /** START … END/REPORT plus everything the function printed meanwhile. */
  log: string;
  durationMs: number;
  initDurationMs?: number;
}

export class Invocation {
  deliveredAt: number | undefined;
  deadlineMs = 0;
  outcome: InvocationOutcome | undefined;
  private readonly chunks: Buffer[] = [];
  private logBytes = 0;
  private resolveResult!: (result: InvocationResult) => void;
  private resolveAnswered!: (outcome: InvocationOutcome) => void;
  readonly result: Promise<InvocationResult>;
  /** Resolves with the outcome as soon as there is one, before END/REPORT are written. */
  readonly answered: Promise<InvocationOutcome>;

  constructor(readonly request: InvocationRequest) {
    this.result = new Promise((resolve) => {
      this.resolveResult = resolve;
    });
    this.answered = new Promise((resolve) => {
      this.resolveAnswered = resolve;
    });
  }

  get settled(): boolean {
    return this.outcome !== undefined;
  }

  appendLog(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.chunks.push(buf);
    this.logBytes += buf.length;
    // Keep memory bounded for chatty functions: only the tail is ever returned.
    while (this.logBytes > INVOCATION_LOG_MAX_BYTES && this.chunks.length > 1) this.logBytes -= this.chunks.shift()!.length;
  }

  /** Records the outcome; returns false when one was already recorded (first answer wins). */
  settle(outcome: InvocationOutcome): boolean {
    if (this.outcome) return false;
    this.outcome = outcome;
    this.resolveAnswered(outcome);
    return true;
  }

  complete(extra: { durationMs: number; initDurationMs?: number }): void {
    if (!this.outcome) this.settle({ payload: Buffer.alloc(0), functionError: true, status: 'error' });
    this.resolveResult({
      ...(this.outcome ?? { payload: Buffer.alloc(0), functionError: true, status: 'error' }),
      requestId: this.request.requestId,
      log: Buffer.concat(this.chunks).toString('utf8'),
      ...extra,
    });
  }
}
