import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';

/**
 * One timer for the earliest due time of rows that end on their own (a table's CREATING, a
 * stream's DELETING): `run` does what is due and answers the next due time it finds in the store,
 * so a restart picks up where the last server left off (`start` runs everything overdue).
 */
export class DueTimer {
  private timer: { cancel(): void } | null = null;
  private dueAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly options: {
      clock: Clock;
      logger: Logger;
      /** Named in the log line when a run fails. */
      what: string;
      /** Does what is due now; answers the next due time, if any. */
      run(now: number): Promise<number | undefined>;
    },
  ) {}

  start(): void {
    this.arm(this.options.clock.now());
  }

  /** Something new is due at `at`. */
  schedule(at: number): void {
    if (at < this.dueAt) this.arm(at);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    await this.running;
  }

  private arm(at: number): void {
    if (this.closed) return;
    const { clock, logger, what } = this.options;
    this.timer?.cancel();
    this.dueAt = at;
    this.timer = clock.setTimeout(() => {
      this.dueAt = Number.POSITIVE_INFINITY;
      this.running = this.options
        .run(clock.now())
        .then((next) => {
          if (next !== undefined) this.schedule(next);
        })
        .catch((err: unknown) => logger.error({ err }, `${what} failed`))
        .finally(() => (this.running = null));
    }, Math.max(0, at - clock.now()));
  }
}
