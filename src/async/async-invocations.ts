import type { MetricRecorder } from '../contracts/metric-recorder.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { FunctionInvoker } from '../services/lambda/function-invoker.js';
import type { Store } from '../store/database.js';
import type { AsyncEventQueue } from '../store/queue/async-event-queue.js';
import { runAttempt } from './attempt.js';
import type { DeliverySinks } from '../contracts/delivery-sinks.js';
import { DeliveryFailures } from './delivery-failures.js';
import { OutcomeDelivery } from './outcome-delivery.js';
import { AsyncWorker } from './worker.js';

export interface AsyncInvocationsOptions {
  db: Store;
  /** The durable queue Lambda's `AsyncInvoker` fills (`Invoke` with `Event`, SNS, S3, EventBridge …). */
  queue: AsyncEventQueue;
  /** Runs each attempt: the same invoker the synchronous paths use. */
  invoker: FunctionInvoker;
  clock: Clock;
  logger: Logger;
  /** Where DLQ and destination deliveries go. */
  sinks: DeliverySinks;
  /** Where `AWS/Lambda` AsyncEventAge and AsyncEventsDropped go; none recorded when absent. */
  metrics?: MetricRecorder;
}

/** The consumer side of asynchronous invocation: the worker draining the queue, attempts, retries, DLQ and destinations. */
export class AsyncInvocations {
  readonly queue: AsyncEventQueue;
  readonly sinks: DeliverySinks;
  readonly failures: DeliveryFailures;
  private readonly worker: AsyncWorker;

  constructor(options: AsyncInvocationsOptions) {
    this.queue = options.queue;
    this.sinks = options.sinks;
    this.failures = new DeliveryFailures(options.db, options.logger, options.metrics);
    const outcomes = new OutcomeDelivery(this.sinks, this.failures, options.clock);
    const attemptDeps = { ...options, queue: this.queue, outcomes, shuttingDown: () => this.worker.stopping };
    this.worker = new AsyncWorker({ queue: this.queue, clock: options.clock, logger: options.logger, attempt: (event) => runAttempt(attemptDeps, event) });
  }

  /** Before the server accepts requests: recovers the leases of a previous process. */
  async open(logger: Logger): Promise<void> {
    const { recovered, queued } = await this.queue.open();
    if (queued > 0) logger.info({ queued, recovered }, 'asynchronous invocation: resuming queued events');
  }

  /** Once functions can reach the server: starts draining. */
  startWorker(): void {
    this.worker.start();
  }

  /** First step of shutdown: no new attempts start. */
  stopLeasing(): void {
    this.worker.stopLeasing();
  }

  /** Waits for running attempts and pending enqueues (after the engine has stopped the environments). */
  async stop(): Promise<void> {
    await this.worker.stop();
    await this.queue.settled();
  }
}
