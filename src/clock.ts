/** Time is injected so retries, schedules and state transitions are testable without sleeping. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

/**
 * A clock that runs with real time but can be moved forward: `advance(ms)` jumps, and every pending
 * timer whose due time has now passed fires at once (the others are re-armed for the remaining
 * time). Tests use it to reach the next `cron()` tick or a retry without sleeping, while the rest
 * of the server (provisioning delays, leases) keeps running normally.
 */
export class ShiftableClock implements Clock {
  private offsetMs = 0;
  private readonly pending = new Set<{ due: number; fn: () => void; handle: ReturnType<typeof setTimeout> }>();

  constructor(startMs?: number) {
    if (startMs !== undefined) this.offsetMs = startMs - Date.now();
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** How far this clock is ahead of the system clock (for SDK clients' `systemClockOffset`). */
  get offset(): number {
    return this.offsetMs;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { due: this.now() + ms, fn, handle: undefined as unknown as ReturnType<typeof setTimeout> };
    this.arm(timer);
    this.pending.add(timer);
    return {
      cancel: () => {
        clearTimeout(timer.handle);
        this.pending.delete(timer);
      },
    };
  }

  /** Moves time forward (or sets it, with `setTime`); due timers fire. */
  advance(ms: number): void {
    this.offsetMs += ms;
    for (const timer of this.pending) {
      clearTimeout(timer.handle);
      this.arm(timer);
    }
  }

  setTime(ms: number): void {
    this.advance(ms - this.now());
  }

  private arm(timer: { due: number; fn: () => void; handle: ReturnType<typeof setTimeout> }): void {
    timer.handle = setTimeout(() => {
      this.pending.delete(timer);
      timer.fn();
    }, Math.max(0, timer.due - this.now()));
    timer.handle.unref?.();
  }
}
