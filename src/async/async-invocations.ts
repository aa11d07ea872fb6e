import type { Clock } from '../clock.js';
import type { Engine } from '../engine/invoke.js';
import type { Logger } from '../logger.js';
import type { FunctionsTable } from '../services/lambda/tables/functions-table.js';
import type { Store } from '../store/database.js';
import { AsyncEventQueue } from '../store/queue/async-event-queue.js';
import { LambdaAsyncInvoker } from './async-invoker.js';
import { runAttempt } from './attempt.js';
import { DeliverySinks } from '../contracts/delivery-sinks.js';
import { DeliveryFailures } from './delivery-failures.js';
import { LambdaDeliverySink } from './lambda-sink.js';
import { OutcomeDelivery } from './outcome-delivery.js';
import { AsyncWorker } from './worker.js';

export interface AsyncInvocationsOptions {
  db: Store;
  functions: FunctionsTable;
  engine: Engine;
  clock: Clock;
  logger: Logger;
  /** Registry other services add their sinks to; the `lambda` sink is registered here. */
  sinks?: DeliverySinks;
}

/** Asynchronous invocation as one unit: the durable queue, the invoker, the worker and the sinks. */
export class AsyncInvocations {
  readonly queue: AsyncEventQueue;
  readonly invoker: LambdaAsyncInvoker;
  readonly sinks: DeliverySinks;
  readonly failures: DeliveryFailures;
  private readonly worker: AsyncWorker;

  constructor(options: AsyncInvocationsOptions) {
    this.queue = new AsyncEventQueue(options.db, options.clock);
    this.invoker = new LambdaAsyncInvoker(options, this.queue);
    this.sinks = options.sinks ?? new DeliverySinks();
    this.sinks.register(new LambdaDeliverySink(options.functions, this.invoker));
    this.failures = new DeliveryFailures(options.db, options.logger);
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
