import * as limits from './limits.js';

/** What the poller saw during the last scaling tick (about a second). */
export interface ScalingTick {
  /** ScalingConfig.MaximumConcurrency, reserved concurrency and the 1,000-batch limit, whichever is least. */
  cap: number;
  workers: number;
  /** A batch came back full recently (within a tick, or two mean batch durations). */
  messagesRemain: boolean;
  messages: number;
  /** Workers that have not finished a batch yet (their environment may still be starting). */
  startingWorkers: number;
  /** Mean time a batch takes from receive to done, ms; null before the first one finished. */
  meanBatchMs: number | null;
}

/**
 * How many batches an SQS mapping runs at once. Lambda starts with 5 and adds *up to* 300 a minute
 * (5 a second) while messages remain.
 *
 * Batches that take a second or more (a slow, typically I/O-bound function) scale exactly so: the
 * gain of a step only shows after a batch's duration, and such functions are what the concurrency
 * is for. Batches shorter than a tick mean the machine, not the function, sets the pace; there each
 * step must also pay off: the next tick (or the one after, while new environments start) must show
 * at least half the proportional gain in messages a second, otherwise the step is taken back and
 * growth pauses before probing again. On a machine whose CPUs are already busy, more environments
 * only add cold starts and contention, and AWS's rate would overshoot the useful concurrency.
 */
export class SqsScaling {
  private target = 0;
  private probe: { baseline: number; previous: number; waited: boolean } | null = null;
  private holdTicks = 0;

  /** The first target: 5 batches (less under a smaller cap). */
  start(cap: number): number {
    this.target = Math.min(limits.SQS_INITIAL_CONCURRENT_BATCHES, cap);
    return this.target;
  }

  get current(): number {
    return this.target;
  }

  /** The target after one tick. */
  next(tick: ScalingTick): number {
    const floor = Math.min(limits.SQS_INITIAL_CONCURRENT_BATCHES, tick.cap);
    if (!tick.messagesRemain) {
      // Running dry: back towards the floor, and the next growth starts afresh.
      this.probe = null;
      this.holdTicks = 0;
      this.target = Math.max(floor, Math.min(tick.cap, this.target - limits.SQS_SCALE_UP_PER_SECOND));
      return this.target;
    }
    this.target = Math.min(tick.cap, Math.max(this.target, floor));
    if (tick.meanBatchMs !== null && tick.meanBatchMs >= limits.SQS_SLOW_BATCH_MS) {
      this.probe = null;
      this.holdTicks = 0;
      this.target = Math.min(tick.cap, this.target + limits.SQS_SCALE_UP_PER_SECOND);
      return this.target;
    }
    if (this.probe) {
      const { baseline, previous, waited } = this.probe;
      const added = this.target - previous;
      const needed = baseline * (1 + (limits.SQS_SCALE_MIN_GAIN * added) / Math.max(1, previous));
      if (added > 0 && tick.messages < needed) {
        if (!waited) {
          // New environments may still be in their Init: judge the step on the next tick.
          this.probe.waited = true;
          return this.target;
        }
        this.target = previous;
        this.probe = null;
        this.holdTicks = limits.SQS_SCALE_HOLD_TICKS;
        return this.target;
      }
      this.probe = null;
    }
    if (this.holdTicks > 0) {
      this.holdTicks--;
      return this.target;
    }
    // Grow only once every worker has finished a batch: workers still starting environments (cold
    // starts) are not yet capacity.
    if (tick.startingWorkers === 0 && this.target < tick.cap) {
      this.probe = { baseline: tick.messages, previous: this.target, waited: false };
      this.target = Math.min(tick.cap, this.target + limits.SQS_SCALE_UP_PER_SECOND);
    }
    return this.target;
  }
}
