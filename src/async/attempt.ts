import type { Clock } from '../clock.js';
import type { MetricRecorder } from '../contracts/metric-recorder.js';
import type { Logger } from '../logger.js';
import type { FunctionInvoker, InvokeOutcome } from '../services/lambda/function-invoker.js';
import type { AsyncEventQueue, LastResponse, QueuedEvent } from '../store/queue/async-event-queue.js';
import { transition, type EventTransition } from './event-states.js';
import type { OutcomeDelivery } from './outcome-delivery.js';
import { functionErrorRetryDelayMs, throttleBackoffMs } from './retry-schedule.js';

export interface AttemptDeps {
  invoker: FunctionInvoker;
  queue: AsyncEventQueue;
  outcomes: OutcomeDelivery;
  clock: Clock;
  logger: Logger;
  /** True while the server shuts down: an attempt cut short then is not the function's fault. */
  shuttingDown: () => boolean;
  /** `AWS/Lambda` AsyncEventAge (each attempt) and AsyncEventsDropped (each event given up on). */
  metrics?: MetricRecorder;
}

/**
 * Runs one leased event once and moves it on: acked after success or failure handling (the ack
 * commits after the attempt returns), back in the queue for a retry or a back-off. Returns the
 * transition taken (the worker pauses a throttled function). Settings are read now, so a config
 * changed meanwhile applies.
 */
export async function runAttempt(deps: AttemptDeps, event: QueuedEvent): Promise<EventTransition> {
  const state = transition('queued', 'lease');
  const resolution = await deps.invoker.resolve({ scope: { accountId: event.accountId, region: event.region }, name: event.functionName, qualifier: event.qualifier });
  if (resolution.kind !== 'resolved') {
    deps.logger.warn({ functionName: event.functionName, qualifier: event.qualifier, requestId: event.requestId }, 'asynchronous invocation dropped: the function no longer exists');
    transition(state, 'functionDeleted');
    ackUnawaited(deps, event);
    return 'functionDeleted';
  }
  const { invocation } = resolution;
  const settings = await deps.invoker.eventInvokeSettings(invocation);
  const startedAt = deps.clock.now();
  recordAsyncMetric(deps, event, 'AsyncEventAge', Math.max(0, startedAt - event.enqueuedAt), 'Milliseconds');
  const expiresAt = event.enqueuedAt + settings.maximumEventAgeSeconds * 1000;
  if (startedAt >= expiresAt) return fail(deps, event, settings.targets, 'ageExceeded');
  if (invocation.reservedConcurrency === 0) return fail(deps, event, settings.targets, 'zeroReservedConcurrency');

  let outcome: InvokeOutcome | undefined;
  try {
    outcome = await deps.invoker.invoke(invocation, event.payload, { requestId: event.requestId, traceId: event.traceId, awaitLog: false });
  } catch (err) {
    deps.logger.error({ err, requestId: event.requestId }, 'asynchronous invocation: service error, backing off');
  }
  if (outcome?.kind !== 'answered') {
    const throttleCount = event.throttleCount + 1;
    const at = Math.min(deps.clock.now() + throttleBackoffMs(throttleCount), Math.max(expiresAt, deps.clock.now()));
    const step = outcome?.kind === 'throttled' ? 'throttled' : 'serviceError';
    transition(state, step);
    await deps.queue.retryAt(event.id, at, { throttleCount });
    return step;
  }
  const { result } = outcome;
  const response: LastResponse = { statusCode: 200, executedVersion: invocation.version, payload: result.payload.toString('utf8') };
  if (result.functionError) {
    response.functionError = 'Unhandled';
    response.errorMessage = errorMessageOf(response.payload!);
  }

  if (deps.shuttingDown() && response.functionError) {
    // Its environment was killed by the shutdown: run it again after the restart, uncounted.
    transition(state, 'serviceError');
    await deps.queue.retryAt(event.id, event.enqueuedAt);
    return 'serviceError';
  }
  const done: QueuedEvent = { ...event, invokeCount: event.invokeCount + 1, throttleCount: 0, lastResponse: response };
  if (!response.functionError) {
    transition(state, 'success');
    await deps.outcomes.success(done, settings.targets, response);
    ackUnawaited(deps, event);
    return 'success';
  }
  done.errorCount = event.errorCount + 1;
  if (done.errorCount > settings.maximumRetryAttempts) return fail(deps, done, settings.targets, 'retriesExhausted');
  transition(state, 'functionError');
  await deps.queue.retryAt(event.id, deps.clock.now() + functionErrorRetryDelayMs(done.errorCount), {
    invokeCount: done.invokeCount,
    errorCount: done.errorCount,
    throttleCount: 0,
    lastResponse: response,
  });
  return 'functionError';
}

const CONDITIONS = {
  retriesExhausted: 'RetriesExhausted',
  ageExceeded: 'EventAgeExceeded',
  zeroReservedConcurrency: 'ZeroReservedConcurrency',
} as const;

async function fail(
  deps: AttemptDeps,
  event: QueuedEvent,
  targets: Parameters<OutcomeDelivery['failure']>[1],
  step: keyof typeof CONDITIONS,
): Promise<EventTransition> {
  transition('running', step);
  await deps.outcomes.failure(event, targets, CONDITIONS[step]);
  ackUnawaited(deps, event);
  // Dropped, as AWS counts it, even when a DLQ or OnFailure destination got it first.
  recordAsyncMetric(deps, event, 'AsyncEventsDropped', 1, 'Count');
  return step;
}

/**
 * The event is done; its DELETE joins the queue's next group commit, and the attempt's slot is
 * not held until then (the worker's stop waits for `queue.settled()`). A crash before the commit,
 * or a failed commit, leaves the event leased: it runs again after a restart or once the lease
 * runs out (at least once, as AWS delivers).
 */
function ackUnawaited(deps: AttemptDeps, event: QueuedEvent): void {
  deps.queue.ack(event.id).catch((err: unknown) => {
    deps.logger.error({ err, requestId: event.requestId }, 'asynchronous invocation: ack not committed; the event runs again when its lease runs out');
  });
}

function recordAsyncMetric(deps: AttemptDeps, event: QueuedEvent, metricName: string, value: number, unit: string): void {
  const base = { accountId: event.accountId, region: event.region, namespace: 'AWS/Lambda', metricName, value, unit };
  deps.metrics?.record({ ...base, dimensions: { FunctionName: event.functionName } });
  deps.metrics?.record(base);
}

function errorMessageOf(payload: string): string {
  try {
    const doc = JSON.parse(payload) as { errorMessage?: unknown };
    return typeof doc.errorMessage === 'string' ? doc.errorMessage : payload;
  } catch {
    return payload;
  }
}
