import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { AsyncEventQueue, QueuedEvent } from '../store/queue/async-event-queue.js';
import type { EventTransition } from './event-states.js';
import { LEASE_MS, WORKER_MAX_IN_FLIGHT } from './limits.js';
import { throttleBackoffMs } from './retry-schedule.js';

export interface WorkerOptions {
  queue: AsyncEventQueue;
  clock: Clock;
  logger: Logger;
  attempt: (event: QueuedEvent) => Promise<EventTransition>;
  maxInFlight?: number;
}

/**
 * Drains the event queue. Woken by each enqueue commit, by completions, and by a clock timer set
 * for the next due event (retries and back-offs), so an injected clock drives the schedule. A
 * function that throttled is not leased again until one of its running events finishes or its
 * back-off passes: its events wait in the queue rather than spin.
 */
export class AsyncWorker {
  private inFlight = 0;
  private readonly running = new Set<Promise<void>>();
  /** Function key → time until which its events stay in the queue. */
  private readonly paused = new Map<string, number>();
  private pumping = false;
  private pumpAgain = false;
  private timer: { cancel(): void } | undefined;
  private stopped = false;
  private readonly maxInFlight: number;

  constructor(private readonly options: WorkerOptions) {
    this.maxInFlight = options.maxInFlight ?? WORKER_MAX_IN_FLIGHT;
  }

  start(): void {
    this.options.queue.onCommitted = (functions) => {
      // Events for a paused (throttled) function wait for its pause to end; leasing on their commit
      // would only scan its backlog, on every commit, to skip it.
      if (functions.some((fn) => !this.isPaused(functionKey(fn)))) this.wake();
    };
    this.wake();
  }

  private isPaused(key: string): boolean {
    const until = this.paused.get(key);
    return until !== undefined && until > this.options.clock.now();
  }

  get stopping(): boolean {
    return this.stopped;
  }

  /** No more leases; running attempts go on. */
  stopLeasing(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.options.queue.onCommitted = undefined;
  }

  /**
   * Stops leasing; resolves once every running attempt has finished, or after `graceMs`: an
   * attempt still running then keeps its lease, which the next start recovers (at least once).
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopLeasing();
    const deadline = Date.now() + graceMs;
    while ((this.running.size > 0 || this.pumping) && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.running]), new Promise((resolve) => setTimeout(resolve, 50))]);
    }
    if (this.running.size > 0) this.options.logger.warn({ running: this.running.size }, 'asynchronous invocation: attempts still running at shutdown; they run again after the restart');
  }

  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    // Completions and commits of one turn of the event loop share a lease transaction: under
    // load each finished event otherwise paid a SELECT, an UPDATE and a commit of its own.
    setImmediate(() => this.pumpNow());
  }

  private pumpNow(): void {
    void this.pump()
      .catch((err: unknown) => this.options.logger.error({ err }, 'asynchronous invocation worker: pump failed'))
      .finally(() => {
        this.pumping = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.wake();
        }
      });
  }

  private async pump(): Promise<void> {
    const { queue, clock } = this.options;
    for (;;) {
      this.pumpAgain = false;
      const free = this.maxInFlight - this.inFlight;
      if (free <= 0 || this.stopped) return;
      const now = clock.now();
      for (const [key, until] of this.paused) if (until <= now) this.paused.delete(key);
      const events = await queue.lease(free, LEASE_MS, new Set(this.paused.keys()));
      // Stopped meanwhile: the engine may be closing. The leases are recovered at the next start.
      if (this.stopped) return;
      for (const event of events) this.begin(event);
      if (events.length < free) break;
    }
    if (!this.stopped) await this.scheduleNext();
  }

  private begin(event: QueuedEvent): void {
    const key = functionKey(event);
    this.inFlight++;
    const run = this.options
      .attempt(event)
      .then((step) => {
        if (step === 'throttled') this.paused.set(key, this.options.clock.now() + throttleBackoffMs(event.throttleCount + 1));
        else this.paused.delete(key);
      })
      .catch((err: unknown) => this.options.logger.error({ err, requestId: event.requestId }, 'asynchronous invocation attempt failed; the event stays queued'))
      .finally(() => {
        this.inFlight--;
        this.running.delete(run);
        this.wake();
      });
    this.running.add(run);
  }

  /** A clock timer for the next event that will become due, or the end of the earliest pause. */
  private async scheduleNext(): Promise<void> {
    const { queue, clock } = this.options;
    const now = clock.now();
    let at = await queue.nextDueAt();
    if (at !== null && at <= now) {
      // Due but not leased: it came due after the lease query (a timer may fire a millisecond before
      // the clock reads its time), so lease again; or every slot is busy (a completion wakes us); or
      // its function is paused (wake when the pause ends).
      if (this.inFlight < this.maxInFlight && this.paused.size === 0) return this.wake();
      at = this.paused.size > 0 ? Math.min(...this.paused.values()) : null;
    }
    this.timer?.cancel();
    this.timer = undefined;
    if (at === null || this.stopped) return;
    this.timer = clock.setTimeout(() => this.wake(), Math.max(0, at - clock.now()));
  }
}

function functionKey(event: { accountId: string; region: string; functionName: string }): string {
  return `${event.accountId}/${event.region}/${event.functionName}`;
}
