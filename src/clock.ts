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
 * A clock for tests that runs with real time and can be moved forward: `advance(ms)` jumps ahead
 * and fires every timer that has come due, so minute-scale retries are tested without waiting,
 * while short timers still fire in real time.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  private readonly timers = new Set<{ due: number; fn: () => void; handle: ReturnType<typeof setTimeout> | undefined }>();

  now(): number {
    return Date.now() + this.offsetMs;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { due: this.now() + Math.max(0, ms), fn, handle: undefined as ReturnType<typeof setTimeout> | undefined };
    this.timers.add(timer);
    this.arm(timer);
    return {
      cancel: () => {
        clearTimeout(timer.handle);
        this.timers.delete(timer);
      },
    };
  }

  advance(ms: number): void {
    this.offsetMs += ms;
    for (const timer of [...this.timers]) {
      clearTimeout(timer.handle);
      this.arm(timer);
    }
  }

  private arm(timer: { due: number; fn: () => void; handle: ReturnType<typeof setTimeout> | undefined }): void {
    const fire = () => {
      if (!this.timers.delete(timer)) return;
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
