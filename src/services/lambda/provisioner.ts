import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { transitionState, transitionUpdateStatus, type FunctionState, type UpdateStatus } from './function-state.js';
import type { KeyedLock } from './keyed-lock.js';
import type { Scope } from './model.js';
import type { FunctionsTable } from './tables/functions-table.js';

/**
 * Moves a version from `Pending`/`InProgress` to `Active`/`Successful` after a short delay, as AWS
 * does once it has prepared the code, so SDK waiters see the same sequence of states.
 */
export class Provisioner {
  private readonly timers = new Set<{ cancel(): void }>();

  constructor(
    private readonly functions: FunctionsTable,
    private readonly lock: KeyedLock,
    private readonly clock: Clock,
    private readonly delayMs: number,
    private readonly logger: Logger,
  ) {}

  schedule(scope: Scope, name: string, version: string): void {
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.settle(scope, name, version).catch((err: unknown) => this.logger.error({ err, name, version }, 'provisioning failed'));
    }, this.delayMs);
    this.timers.add(timer);
  }

  async settle(scope: Scope, name: string, version: string): Promise<void> {
    await this.lock.run(functionLockKey(scope, name), async () => {
      const row = await this.functions.getVersion(scope, name, version);
      if (!row) return;
      const config = { ...row.config };
      let changed = false;
      if (config.State === 'Pending') {
        config.State = transitionState(config.State as FunctionState, 'provisioned');
        delete config.StateReason;
        delete config.StateReasonCode;
        if (config.LastUpdateStatus === undefined) config.LastUpdateStatus = 'Successful';
        changed = true;
      }
      if (config.LastUpdateStatus === 'InProgress') {
        config.LastUpdateStatus = transitionUpdateStatus(config.LastUpdateStatus as UpdateStatus, 'updateSucceeded');
        delete config.LastUpdateStatusReason;
        delete config.LastUpdateStatusReasonCode;
        changed = true;
      }
      if (!changed) return;
      config.RevisionId = randomUUID();
      await this.functions.putVersion(scope, name, version, config, row.codeHex, this.clock.now());
    });
  }

  /** Finishes what a previous process left Pending or InProgress. */
  async recover(): Promise<void> {
    for (const item of await this.functions.listUnsettled()) await this.settle(item.scope, item.name, item.version);
  }

  close(): void {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }
}

export function functionLockKey(scope: Scope, name: string): string {
  return `${scope.accountId}/${scope.region}/${name}`;
}
