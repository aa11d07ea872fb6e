import type { Store } from '../store/database.js';
import type { UsageRecordsTable } from '../store/schema.js';

// Past invocations from the usage records (the CLI opens the store: cli/read-store.ts).

/** The newest invocation of each function of an account and region. */
export async function lastInvocations(store: Store, where: { accountId: string; region: string }): Promise<Map<string, UsageRecordsTable>> {
  const newest = store
    .selectFrom('usage_records')
    .select((eb) => ['function_name', eb.fn.max('id').as('id')])
    .where('account_id', '=', where.accountId)
    .where('region', '=', where.region)
    .groupBy('function_name')
    .as('newest');
  const rows = await store.selectFrom('usage_records').innerJoin(newest, 'newest.id', 'usage_records.id').selectAll('usage_records').execute();
  return new Map(rows.map((r) => [r.function_name, r]));
}

/** A function's most recent invocations, newest first. */
export function recentInvocations(store: Store, where: { functionName: string; region: string; accountId?: string }, limit: number): Promise<UsageRecordsTable[]> {
  let query = store
    .selectFrom('usage_records')
    .selectAll()
    .where('function_name', '=', where.functionName)
    .where('region', '=', where.region);
  if (where.accountId) query = query.where('account_id', '=', where.accountId);
  return query.orderBy('id', 'desc').limit(limit).execute();
}
