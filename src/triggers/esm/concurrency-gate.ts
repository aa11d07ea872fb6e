/**
 * Caps how many batches of one mapping run at once (ScalingConfig.MaximumConcurrency, the function's
 * reserved concurrency). The limit may change while batches wait; it never drops below one, so a
 * function with reserved concurrency 0 is throttled by the engine and retried, not starved here.
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  private limit = Number.POSITIVE_INFINITY;

  setLimit(limit: number): void {
    this.limit = Math.max(1, limit);
    this.pump();
  }

  /** Resolves true with a slot held, or false when `signal` aborts first. */
  acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.active < this.limit && this.waiters.length === 0) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const granted = () => {
        signal.removeEventListener('abort', aborted);
        resolve(true);
      };
      const aborted = () => {
        const at = this.waiters.indexOf(granted);
        if (at !== -1) this.waiters.splice(at, 1);
        resolve(false);
      };
      this.waiters.push(granted);
      signal.addEventListener('abort', aborted, { once: true });
    });
  }

  release(): void {
    this.active--;
    this.pump();
  }

  private pump(): void {
    while (this.active < this.limit && this.waiters.length > 0) {
      this.active++;
      this.waiters.shift()?.();
    }
  }
}
