import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { onQueuedWork } from './wakes.js';

/** Node runs a longer timer at once (2^31 − 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

export interface DrainOptions<Item> {
  /** Names the consumer in log lines ("sns delivery"). */
  name: string;
  clock: Clock;
  logger: Logger;
  /** The queue table: a drain is woken when another node queues work in it (wakes.ts). */
  table?: string;
  /** Items handled at once, at most. */
  maxInFlight: number;
  /** Items one lease takes for free slots, at most (default: every free slot). */
  batch?: number;
  /**
   * Items leased ahead, beyond the free slots, and started in order as slots free up (default
   * none): under load each finished item otherwise paid a lease of its own, a SELECT and an UPDATE
   * that each cost more than the rest of its bookkeeping. An item leased ahead stays leased
   * meanwhile; one not started when the drain stops is handed back through `release`, and after a
   * crash lease recovery brings it back as it does an item under way.
   */
  prefetch?: {
    count: number;
    /** Makes an item leased ahead visible again, not attempted. */
    release(item: Item): Promise<void>;
    /** Whether an item leased ahead may start now (default: yes); one refused is released. */
    startable?(item: Item): boolean;
  };
  /** Runs once, before the first lease (e.g. releasing what a previous process left leased). */
  onStart?: () => Promise<unknown>;
  /** Leases up to `limit` visible items, with the consumer's lease timeout and filters. */
  lease(limit: number): Promise<Item[]>;
  /** The item's queue id. */
  idOf(item: Item): number | string;
  /** When the next item the consumer would lease becomes visible (null: none); the timer's time. */
  nextVisibleAt(): Promise<number | null>;
  /**
   * Runs one leased item through to its ack, retry-at or dead. A rejection is logged; the item
   * keeps its lease until it runs out (or a restart releases it), then it is leased again.
   */
  handle(item: Item): Promise<void>;
  /** A pass at least this often, whether or not anything is due (work stored by another process). */
  pollMs?: number;
}

/**
 * Drains one queue without polling: a pass leases what is due (up to the free slots) and starts
 * each item; it runs when an enqueue commits (`wake`), when an item finishes, and when a clock
 * timer set for the next visible item fires, so an injected clock drives retries. Wakes of one
 * turn of the event loop share one pass (one lease transaction).
 */
export class QueueDrain<Item> {
  /** Items under way, by queue id. */
  private readonly running = new Map<number | string, Promise<void>>();
  private pass: Promise<void> | undefined;
  private again = false;
  private timer: { cancel(): void } | undefined;
  private stopped = false;
  private starting: Promise<unknown> | undefined;
  private readonly batch: number;
  /** Leased and not started yet, oldest first: the items leased ahead (`prefetch`). */
  private leased: Item[] = [];
  private unregister: (() => void) | undefined;

  constructor(private readonly options: DrainOptions<Item>) {
    this.batch = options.batch ?? options.maxInFlight;
  }

  start(): void {
    if (this.options.table) this.unregister = onQueuedWork(this.options.table, () => this.wake());
    this.wake();
  }

  get stopping(): boolean {
    return this.stopped;
  }

  get inFlight(): number {
    return this.running.size;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    // Under load each finished item otherwise paid a SELECT, an UPDATE and a commit of its own.
    this.pass = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.leaseDue())
      .catch((err: unknown) => {
        if (!this.stopped) this.options.logger.error({ err }, `${this.options.name}: drain pass failed`);
      })
      .finally(() => {
        this.pass = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** No more leases; items under way go on. */
  stopLeasing(): void {
    this.unregister?.();
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /**
   * Stops leasing; resolves once every item under way has finished, or after `graceMs` (real
   * time), with how many were still running: those keep their lease, which the next start
   * releases or which runs out (at least once).
   */
  async stop(graceMs: number): Promise<number> {
    this.stopLeasing();
    const deadline = Date.now() + graceMs;
    while ((this.running.size > 0 || this.pass) && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise((resolve) => (timer = setTimeout(resolve, Math.min(50, deadline - Date.now()))));
      await Promise.race([Promise.allSettled([this.pass, ...this.running.values()]), tick]);
      clearTimeout(timer);
    }
    await this.releaseLeased();
    return this.running.size;
  }

  /**
   * Hands back what was leased ahead and not started (the drain stops). Without `prefetch` only a
   * lease that returned after the stop leaves items here: those are released at the next start.
   */
  private async releaseLeased(): Promise<void> {
    const items = this.leased;
    this.leased = [];
    const prefetch = this.options.prefetch;
    if (!prefetch) return;
    const released = await Promise.allSettled(items.map((item) => prefetch.release(item)));
    const failed = released.filter((r) => r.status === 'rejected').length;
    if (failed > 0) this.options.logger.warn({ failed }, `${this.options.name}: items leased ahead kept their lease; they come back when it runs out or at the next start`);
  }

  /** Resolves once no pass is running and no item is under way (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pass || this.running.size > 0) await Promise.allSettled([this.pass, ...this.running.values()]);
  }

  private async leaseDue(): Promise<void> {
    if (this.options.onStart) {
      this.starting ??= this.options.onStart().catch((err: unknown) => {
        this.starting = undefined;
        throw err;
      });
      await this.starting;
    }
    for (;;) {
      this.again = false;
      if (this.stopped) return;
      this.startLeased();
      const free = this.options.maxInFlight - this.running.size;
      if (free <= 0) return;
      const limit = Math.min(free, this.batch) + (this.options.prefetch?.count ?? 0);
      const items = await this.options.lease(limit);
      this.leased.push(...items);
      // Stopped meanwhile (the store may be closing): `stop` hands back what it leased ahead.
      if (this.stopped) return;
      this.startLeased();
      if (items.length < limit) break;
    }
    await this.scheduleNext();
  }

  /** Starts leased items while slots are free; one `startable` refuses is released instead. */
  private startLeased(): void {
    const prefetch = this.options.prefetch;
    while (this.leased.length > 0 && this.running.size < this.options.maxInFlight) {
      const item = this.leased.shift()!;
      if (prefetch?.startable?.(item) === false) this.track(this.options.idOf(item), prefetch.release(item), 'release failed; the item comes back when its lease runs out');
      else this.begin(item);
    }
  }

  private begin(item: Item): void {
    const id = this.options.idOf(item);
    // Still under way, its lease ran out (a slow attempt, or a clock moved past it) and this lease
    // renewed it: one attempt at a time.
    if (this.running.has(id)) return;
    this.track(id, this.options.handle(item), 'attempt failed; the item stays queued');
  }

  /** Holds a slot until `work` settles, then looks for more. */
  private track(id: number | string, work: Promise<void>, failure: string): void {
    const run: Promise<void> = work
      .catch((err: unknown) => {
        if (!this.stopped) this.options.logger.error({ err }, `${this.options.name}: ${failure}`);
      })
      .finally(() => {
        this.running.delete(id);
        this.wake();
      });
    this.running.set(id, run);
  }

  /** A clock timer for the next item that becomes visible (and at least every `pollMs`). */
  private async scheduleNext(): Promise<void> {
    const { clock, maxInFlight, pollMs } = this.options;
    let at = await this.options.nextVisibleAt();
    if (this.stopped) return;
    const now = clock.now();
    if (at !== null && at <= now) {
      // Visible but not leased: it came due after the lease query (a timer may fire a millisecond
      // before the clock reads its time), so lease again; or every slot is busy (a completion wakes us).
      if (this.running.size < maxInFlight) return this.wake();
      at = null;
    }
    if (pollMs !== undefined) at = Math.min(at ?? Number.POSITIVE_INFINITY, now + pollMs);
    this.timer?.cancel();
    this.timer = undefined;
    if (at === null) return;
    this.timer = clock.setTimeout(() => this.wake(), Math.min(MAX_TIMER_MS, Math.max(0, at - clock.now())));
  }
}
