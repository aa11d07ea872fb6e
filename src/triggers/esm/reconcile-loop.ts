import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { RECONCILE_INTERVAL_MS } from './limits.js';

/**
 * Runs a mapping reconciliation now and then every `RECONCILE_INTERVAL_MS` after the previous one
 * ends (never two at once); a failed pass is logged and the next one tries again. `passNow` runs
 * one at once for callers that have just changed the mappings and must not return before the
 * pollers follow (a reset).
 */
export class ReconcileLoop {
  private timer: { cancel(): void } | undefined;
  private stoppedFlag = false;
  /** The pass under way, if any: a pass asked for now waits for it, as it may have read the rows before the change. */
  private current: Promise<void> | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly reconcile: () => Promise<void>,
    private readonly failure: { message: string; context?: Record<string, unknown> },
  ) {}

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  start(): void {
    void this.pass();
  }

  stop(): void {
    this.stoppedFlag = true;
    this.timer?.cancel();
  }

  /** Runs a pass that starts after this call (the one under way may predate the caller's change). */
  async passNow(): Promise<void> {
    while (this.current) await this.current;
    await this.pass();
  }

  private pass(): Promise<void> {
    if (this.stoppedFlag) return Promise.resolve();
    this.timer?.cancel();
    const run = this.runOnce().finally(() => {
      if (this.current === run) this.current = undefined;
      if (!this.stoppedFlag && !this.current) this.timer = this.clock.setTimeout(() => void this.pass(), RECONCILE_INTERVAL_MS);
    });
    this.current = run;
    return run;
  }

  private async runOnce(): Promise<void> {
    try {
      await this.reconcile();
    } catch (err) {
      this.logger.warn({ err, ...this.failure.context }, this.failure.message);
    }
  }
}
