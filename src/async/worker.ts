import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { QueueDrain } from '../store/queue/drain.js';
import type { AsyncEventQueue, QueuedEvent } from '../store/queue/async-event-queue.js';
import type { EventTransition } from './event-states.js';
import { LEASE_MS, WORKER_MAX_IN_FLIGHT, WORKER_PREFETCH } from './limits.js';
import { throttleBackoffMs } from './retry-schedule.js';

export interface WorkerOptions {
  queue: AsyncEventQueue;
  clock: Clock;
  logger: Logger;
  attempt: (event: QueuedEvent) => Promise<EventTransition>;
  maxInFlight?: number;
}

/**
 * Drains the event queue through the durable queue's drain: woken by each enqueue commit, by
 * completions, and by a clock timer for the next due event (retries and back-offs), so an
 * injected clock drives the schedule. A function that throttled is not leased again until one of
 * its running events finishes or its back-off passes: its events wait in the queue rather than spin.
 */
export class AsyncWorker {
  /** Function key → time until which its events stay in the queue. */
  private readonly paused = new Map<string, number>();
  private readonly drain: QueueDrain<QueuedEvent>;

  constructor(private readonly options: WorkerOptions) {
    const { queue, clock } = options;
    this.drain = new QueueDrain<QueuedEvent>({
      name: 'asynchronous invocation worker',
      table: 'async_events',
      clock,
      logger: options.logger,
      maxInFlight: options.maxInFlight ?? WORKER_MAX_IN_FLIGHT,
      lease: (limit) => {
        const now = clock.now();
        for (const [key, until] of this.paused) if (until <= now) this.paused.delete(key);
        return queue.lease(limit, LEASE_MS, new Set(this.paused.keys()));
      },
      prefetch: {
        count: WORKER_PREFETCH,
        release: (event) => queue.release(event.id),
        // A function throttled since its events were leased ahead: they wait in the queue instead.
        startable: (event) => !this.isPaused(functionKey(event)),
      },
      idOf: (event) => event.id,
      nextVisibleAt: async () => {
        const at = await queue.nextDueAt();
        // Due but its function is paused: wake when the pause ends.
        if (at !== null && at <= clock.now() && this.paused.size > 0) return Math.min(...this.paused.values());
        return at;
      },
      handle: (event) => this.run(event),
    });
  }

  start(): void {
    this.options.queue.onCommitted = (functions) => {
      // Events for a paused (throttled) function wait for its pause to end; leasing on their commit
      // would only scan its backlog, on every commit, to skip it.
      if (functions.some((fn) => !this.isPaused(functionKey(fn)))) this.wake();
    };
    this.drain.start();
  }

  private isPaused(key: string): boolean {
    const until = this.paused.get(key);
    return until !== undefined && until > this.options.clock.now();
  }

  get stopping(): boolean {
    return this.drain.stopping;
  }

  /** No more leases; running attempts go on. */
  stopLeasing(): void {
    this.drain.stopLeasing();
    this.options.queue.onCommitted = undefined;
  }

  /**
   * Stops leasing; resolves once every running attempt has finished, or after `graceMs`: an
   * attempt still running then keeps its lease, which the next start recovers (at least once).
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.options.queue.onCommitted = undefined;
    const running = await this.drain.stop(graceMs);
    if (running > 0) this.options.logger.warn({ running }, 'asynchronous invocation: attempts still running at shutdown; they run again after the restart');
  }

  wake(): void {
    this.drain.wake();
  }

  private async run(event: QueuedEvent): Promise<void> {
    const key = functionKey(event);
    try {
      const step = await this.options.attempt(event);
      if (step === 'throttled') this.paused.set(key, this.options.clock.now() + throttleBackoffMs(event.throttleCount + 1));
      else this.paused.delete(key);
    } catch (err) {
      this.options.logger.error({ err, requestId: event.requestId }, 'asynchronous invocation attempt failed; the event stays queued');
    }
  }
}

function functionKey(event: { accountId: string; region: string; functionName: string }): string {
  return `${event.accountId}/${event.region}/${event.functionName}`;
}
