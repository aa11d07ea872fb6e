import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { FunctionLogs } from '../../observability/function-logs.js';
import { RETENTION_SWEEP_INTERVAL_MS } from './limits.js';

/**
 * Deletes events past their group's RetentionInDays every RETENTION_SWEEP_INTERVAL_MS of the
 * injected clock (AWS deletes them within a few days; readers here see them until the sweep).
 */
export class RetentionSweep {
  private timer: { cancel(): void } | null = null;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly deps: { logs: FunctionLogs; clock: Clock; logger: Logger }) {}

  start(): void {
    if (this.closed) return;
    this.timer = this.deps.clock.setTimeout(() => {
      void this.sweepNow().finally(() => this.start());
    }, RETENTION_SWEEP_INTERVAL_MS);
  }

  /** One sweep now (also what the timer runs). */
  sweepNow(): Promise<void> {
    this.running ??= this.deps.logs
      .expire(this.deps.clock.now())
      .then((batches) => {
        if (batches > 0) this.deps.logger.debug({ batches }, 'log events past retention deleted');
      })
      .catch((err: unknown) => this.deps.logger.error({ err }, 'log retention sweep failed'))
      .finally(() => (this.running = null));
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    await this.running;
  }
}
