import { sql } from 'kysely';
import type { Store } from '../../store/database.js';
import { utcDayOfMs } from '../../store/dialect-sql.js';

export type BillGrouping = 'function' | 'day' | 'version';

/** Invocations of one row of the bill with one price: same architecture, memory, storage and kind. */
export interface UsageGroup {
  /** The row's name: a function, a day (`YYYY-MM-DD`) or `function:version`. */
  key: string;
  architecture: string | null;
  memoryMb: number;
  ephemeralStorageMb: number | null;
  provisioned: boolean;
  requests: number;
  billedMs: number;
}

/** One provisioned-concurrency allocation's share of the month. */
export interface ProvisionedAllocation {
  key: string;
  architecture: string;
  memoryMb: number;
  concurrency: number;
  seconds: number;
}

/** `YYYY-MM` → [first ms, first ms of the next month) in UTC. */
export function monthRange(month: string): { startMs: number; endMs: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new Error(`month must be YYYY-MM, not ${JSON.stringify(month)}`);
  return { startMs: Date.UTC(Number(m[1]), Number(m[2]) - 1, 1), endMs: Date.UTC(Number(m[1]), Number(m[2]), 1) };
}

export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/**
 * The month's usage records summed per row and price (throttled invocations are never billed),
 * and the provisioned-concurrency allocations that overlap it.
 */
export async function monthlyUsage(
  db: Store,
  scope: { accountId: string; region?: string },
  month: string,
  by: BillGrouping,
  nowMs: number,
): Promise<{ invocations: UsageGroup[]; allocations: ProvisionedAllocation[] }> {
  const { startMs, endMs } = monthRange(month);
  let q = db
    .selectFrom('usage_records')
    .select([
      'function_name', 'version', 'architecture', 'memory_mb', 'ephemeral_storage_mb', 'provisioned',
      utcDayOfMs(db, 'timestamp').as('day'),
      (eb) => eb.fn.countAll<number>().as('requests'),
      (eb) => eb.fn.sum<number>('billed_ms').as('billed_ms'),
    ])
    .where('account_id', '=', scope.accountId)
    .where('timestamp', '>=', startMs)
    .where('timestamp', '<', endMs)
    .where('outcome', '!=', 'throttle');
  if (scope.region) q = q.where('region', '=', scope.region);
  const rows = await q.groupBy(['function_name', 'version', 'architecture', 'memory_mb', 'ephemeral_storage_mb', 'provisioned', 'day']).execute();
  const keyOf = (r: { function_name: string; version: string; day: string }) => (by === 'function' ? r.function_name : by === 'day' ? r.day : `${r.function_name}:${r.version}`);
  const invocations = rows.map((r) => ({
    key: keyOf(r),
    architecture: r.architecture,
    memoryMb: r.memory_mb,
    ephemeralStorageMb: r.ephemeral_storage_mb,
    provisioned: r.provisioned === 1,
    requests: Number(r.requests),
    billedMs: Number(r.billed_ms),
  }));
  let a = db
    .selectFrom('provisioned_concurrency_usage')
    .selectAll()
    .where('account_id', '=', scope.accountId)
    .where('started_at', '<', endMs)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', startMs)]));
  if (scope.region) a = a.where('region', '=', scope.region);
  const allocations: ProvisionedAllocation[] = [];
  for (const r of await a.execute()) {
    const from = Math.max(r.started_at, startMs);
    const to = Math.min(r.ended_at ?? nowMs, endMs, nowMs);
    if (to <= from) continue;
    const key = by === 'function' ? r.function_name : by === 'version' ? `${r.function_name}:${r.version}` : new Date(from).toISOString().slice(0, 10);
    // A day-by-day bill puts an allocation on the day it started within the month.
    allocations.push({ key, architecture: r.architecture, memoryMb: r.memory_mb, concurrency: r.concurrency, seconds: (to - from) / 1000 });
  }
  return { invocations, allocations };
}
