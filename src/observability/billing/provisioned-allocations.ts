import type { TelemetryTarget } from '../../engine/telemetry-sink.js';
import type { Store } from '../../store/database.js';

/**
 * Closes the version's open allocation of provisioned concurrency at `at` and, for a count above
 * zero, opens the next one: the bill charges each for the time it was open. A restart that
 * provisions again closes the allocation left open before it.
 */
export async function recordAllocation(db: Store, target: TelemetryTarget, count: number, at: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('provisioned_concurrency_usage')
      .set({ ended_at: at })
      .where('account_id', '=', target.accountId)
      .where('region', '=', target.region)
      .where('function_name', '=', target.functionName)
      .where('version', '=', target.version)
      .where('ended_at', 'is', null)
      .execute();
    if (count <= 0) return;
    await trx
      .insertInto('provisioned_concurrency_usage')
      .values({
        account_id: target.accountId,
        region: target.region,
        function_name: target.functionName,
        version: target.version,
        memory_mb: target.memoryMb,
        architecture: target.architecture ?? 'x86_64',
        concurrency: count,
        started_at: at,
        ended_at: null,
      })
      .execute();
  });
}
