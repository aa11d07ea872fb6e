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
 * A clock for tests that runs with real time but can be moved forward: `advance(ms)` (or
 * `setTime`) jumps, and every pending timer whose due time has now passed fires at once (the
 * others are re-armed for the remaining time). Tests reach the next `cron()` tick or a retry
 * 1–2 minutes away without sleeping, while short timers (provisioning delays, leases) keep
 * running in real time.
 */
export class ShiftableClock implements Clock {
  private offsetMs = 0;
  private readonly pending = new Set<{ due: number; fn: () => void; handle: ReturnType<typeof setTimeout> | undefined }>();

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
    const timer = { due: this.now() + Math.max(0, ms), fn, handle: undefined as ReturnType<typeof setTimeout> | undefined };
    this.pending.add(timer);
    this.arm(timer);
    return {
      cancel: () => {
        clearTimeout(timer.handle);
        this.pending.delete(timer);
      },
    };
  }

  /** Moves time forward; due timers fire. */
  advance(ms: number): void {
    this.offsetMs += ms;
    for (const timer of [...this.pending]) {
      clearTimeout(timer.handle);
      this.arm(timer);
    }
  }

  setTime(ms: number): void {
    this.advance(ms - this.now());
  }

  private arm(timer: { due: number; fn: () => void; handle: ReturnType<typeof setTimeout> | undefined }): void {
    const fire = () => {
      if (!this.pending.delete(timer)) return;
      timer.fn();
    };
    const wait = timer.due - this.now();
    if (wait <= 0) {
      timer.handle = undefined;
      queueMicrotask(fire);
      return;
    }
    timer.handle = setTimeout(fire, wait);
    timer.handle.unref?.();
  }
}
