import type { LambdaDeps } from './deps.js';
import { transition } from './esm-state.js';
import type { Scope } from './model.js';
import { EventSourceMappingsTable, type StoredMapping } from './tables/event-source-mappings-table.js';

/** The lock every read-modify-write of one mapping holds (shared with TagResource). */
export function mappingLockKey(uuid: string): string {
  return `esm:${uuid}`;
}

/** When a transitional state just entered should settle. */
export function settleTime(deps: LambdaDeps): number {
  return deps.clock.now() + deps.transitionDelayMs;
}

/**
 * Settles the mapping once its `settleAt` has passed. Reads call this too, so a lost timer (or a
 * restart) never leaves a mapping stuck in Creating/Updating/Deleting.
 */
export function scheduleSettle(deps: LambdaDeps, scope: Scope, uuid: string): void {
  deps.clock.setTimeout(() => {
    settleIfDue(deps, scope, uuid).catch((err: unknown) => deps.logger.warn({ err, uuid }, 'event source mapping did not settle'));
  }, deps.transitionDelayMs);
}

export async function settleIfDue(deps: LambdaDeps, scope: Scope, uuid: string, force = false): Promise<void> {
  const table = new EventSourceMappingsTable(deps.db);
  await deps.lock.run(mappingLockKey(uuid), async () => {
    const row = await table.get(scope, uuid);
    if (!row || row.settleAt === undefined) return;
    if (!force && row.settleAt > deps.clock.now()) return;
    if (row.mapping.State === 'Deleting') {
      await table.delete(uuid);
      return;
    }
    const settled: StoredMapping = {
      enabled: row.enabled,
      mapping: { ...row.mapping, State: transition(row.mapping.State, row.enabled ? 'settleEnabled' : 'settleDisabled') },
      createdAt: row.createdAt,
    };
    await table.update(uuid, row.functionName, settled);
  });
}

/** Finishes every transition a previous process left open; call once at startup. */
export async function recoverEventSourceMappings(deps: LambdaDeps): Promise<void> {
  const table = new EventSourceMappingsTable(deps.db);
  for (const row of await table.listUnsettled()) await settleIfDue(deps, row.scope, row.mapping.UUID, true);
}
