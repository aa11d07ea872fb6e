import type { Logger } from '../logger.js';

export interface BatchWriterOptions<T> {
  /** Writes one batch, in one transaction; items arrive in the order they were added. */
  write: (items: T[]) => Promise<void>;
  logger: Logger;
  /** What the items are, for the warning when some are dropped. */
  what: string;
  flushIntervalMs?: number;
  /** A batch this size is written without waiting for the timer. */
  maxBatch?: number;
  /** Items held while the store is slow or failing; beyond this the newest are dropped. */
  maxPending?: number;
}

/**
 * Keeps store writes off the invoke path: items are buffered in memory and written in batches,
 * every `flushIntervalMs` or as soon as `maxBatch` are waiting, one batch at a time.
 */
export class BatchWriter<T> {
  private pending: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private closed = false;
  private dropped = 0;
  private readonly flushIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;

  constructor(private readonly options: BatchWriterOptions<T>) {
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.maxBatch = options.maxBatch ?? 500;
    this.maxPending = options.maxPending ?? 200_000;
  }

  add(item: T): void {
    if (this.closed) return;
    if (this.pending.length >= this.maxPending) {
      this.dropped += 1;
      return;
    }
    this.pending.push(item);
    if (this.pending.length >= this.maxBatch && !this.inFlight) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes everything added so far; resolves once it is in the store. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight) await this.inFlight;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.inFlight = this.writeBatch(batch);
      await this.inFlight;
      this.inFlight = undefined;
    }
    if (this.dropped > 0) {
      this.options.logger.warn({ dropped: this.dropped }, `${this.options.what} dropped: the store could not keep up`);
      this.dropped = 0;
    }
  }

  private async writeBatch(batch: T[]): Promise<void> {
    try {
      await this.options.write(batch);
    } catch (err) {
      // Losing a batch beats failing invocations or growing without bound.
      this.options.logger.error({ err, count: batch.length }, `could not store ${this.options.what}`);
    }
  }

  /** Writes what is left and accepts nothing more. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
