import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { RECONCILE_INTERVAL_MS } from './limits.js';

/**
 * Runs a mapping reconciliation now and then every `RECONCILE_INTERVAL_MS` after the previous one
 * ends (never two at once); a failed pass is logged and the next one tries again.
 */
export class ReconcileLoop {
  private timer: { cancel(): void } | undefined;
  private stoppedFlag = false;

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

  private async pass(): Promise<void> {
    if (this.stoppedFlag) return;
    try {
      await this.reconcile();
    } catch (err) {
      this.logger.warn({ err, ...this.failure.context }, this.failure.message);
    }
    if (!this.stoppedFlag) this.timer = this.clock.setTimeout(() => void this.pass(), RECONCILE_INTERVAL_MS);
  }
}
