/**
 * A token bucket over one environment's output bytes: `burstBytes` at once, then
 * `bytesPerSecond`. What does not fit is dropped and counted, so a function printing in a loop
 * cannot write faster than this into the log store (platform lines are never counted or dropped).
 */
export class OutputRate {
  private tokens: number;
  private at: number;
  /** Bytes dropped since the last report. */
  dropped = 0;

  constructor(
    readonly bytesPerSecond: number,
    private readonly burstBytes: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burstBytes;
    this.at = now();
  }

  /** Whether `bytes` may be logged now; if not they are counted as dropped. */
  admit(bytes: number): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burstBytes, this.tokens + ((now - this.at) * this.bytesPerSecond) / 1000);
    this.at = now;
    if (bytes <= this.tokens) {
      this.tokens -= bytes;
      return true;
    }
    this.dropped += bytes;
    return false;
  }

  /** The notice for what was dropped since the last one, or null; resets the count. */
  takeDropNotice(): string | null {
    if (this.dropped === 0) return null;
    const line = `[lambkin] ${this.dropped} bytes of function output were dropped: the environment wrote faster than ${this.bytesPerSecond} bytes/s (LAMBKIN_LOG_RATE_BYTES_PER_SECOND)\n`;
    this.dropped = 0;
    return line;
  }
}
