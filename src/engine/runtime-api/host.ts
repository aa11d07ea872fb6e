import type { ExtensionHub } from '../extensions/extension-hub.js';
import type { ResponseStreamSink } from '../response-stream.js';

/** What the Runtime API endpoints need from the environment behind them. */
export interface RuntimeApiHost {
  /** Extensions API and Telemetry API state of this environment. */
  readonly extensions: ExtensionHub;
  /** For `Lambda-Extension-Accept-Feature: accountId`. */
  readonly accountId: string;
  /** An extension posted `init/error` during Init: the environment fails its Init. */
  extensionInitFailed(name: string, errorType: string): void;
  /** Resolves when an invocation is handed to the runtime (long-poll; never times out), rejects if the runtime hangs up first. */
  nextInvocation(onHangUp: HangUpHook): Promise<DeliveredInvocation>;
  /** Where an invocation id stands for this environment. */
  invocationState(requestId: string): 'unknown' | 'current' | 'answered';
  respond(requestId: string, body: Buffer): void;
  /** Where the current invocation's streamed response goes, when its caller asked for a stream. */
  responseStreamOf?(requestId: string): ResponseStreamSink | undefined;
  respondTooLarge(requestId: string, size: number | null): void;
  fail(requestId: string, body: Buffer, errorType: string | undefined): void;
  initError(body: Buffer, errorType: string | undefined): void;
  /**
   * The function's variables, once, for a runtime started as a spare before its function was known;
   * undefined for every other runtime (and after the first ask).
   */
  takeAssignment?(): Record<string, string> | undefined;
}

/**
 * Registers what to do if the runtime's connection closes before it got an answer. A hook rather
 * than an AbortSignal: `next` runs once per invocation, and a signal costs an AbortController per
 * poll plus a DOMException whenever it fires.
 */
export type HangUpHook = (onHangUp: () => void) => void;

export interface DeliveredInvocation {
  requestId: string;
  payload: Buffer;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  clientContext?: string;
  cognitoIdentity?: string;
}
