import type { Store } from '../../store/database.js';
import { mappingLockKey } from './esm-transitions.js';
import type { KeyedLock } from '../../keyed-lock.js';
import type { StoredMapping } from './tables/event-source-mappings-table.js';

/** What a stream mapping reports in `LastProcessingResult` (spec §6). */
export type ProcessingResult = 'OK' | 'No records processed' | `PROBLEM: ${string}`;

/**
 * Lambda's exported write of a stream mapping's `LastProcessingResult`, for the pollers in
 * `triggers/esm/`: under the mapping's lock, as every read-modify-write of a mapping is, so it
 * never undoes a concurrent Update. A mapping deleted meanwhile is left alone.
 */
export async function recordProcessingResult(deps: { db: Store; lock: KeyedLock }, uuid: string, result: ProcessingResult): Promise<void> {
  await deps.lock.run(mappingLockKey(uuid), async () => {
    const row = await deps.db.selectFrom('lambda_event_source_mappings').select('config').where('uuid', '=', uuid).executeTakeFirst();
    if (!row) return;
    const stored = JSON.parse(row.config) as StoredMapping;
    if (stored.mapping.LastProcessingResult === result || stored.mapping.State === 'Deleting') return;
    stored.mapping.LastProcessingResult = result;
    await deps.db.updateTable('lambda_event_source_mappings').set({ config: JSON.stringify(stored) }).where('uuid', '=', uuid).execute();
  });
}
