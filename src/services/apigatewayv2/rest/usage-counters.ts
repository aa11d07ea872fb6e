import type { Transaction } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { Database } from '../../../store/schema.js';
import type { StoredUsagePlan } from './model.js';

/** One API key under one usage plan, in an account and region. */
export interface UsageSlot {
  accountId: string;
  region: string;
  planId: string;
  keyId: string;
}

export type UsageVerdict = 'allowed' | 'throttled' | 'quota-exceeded';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of the UTC day `ms` falls in. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first UTC day of the quota period `now` falls in: the day, the week from Sunday, or the month. */
export function quotaPeriodStart(period: string, now: number): string {
  const d = new Date(now);
  if (period === 'MONTH') return utcDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return utcDay(period === 'WEEK' ? day - d.getUTCDay() * DAY_MS : day);
}

/**
 * A key's quota limit in the period starting on `periodStart`: the plan's limit, less its `offset`
 * in the period the quota was set in, plus what UpdateUsage granted the key for that period.
 */
export function periodLimit(plan: StoredUsagePlan, keyId: string, periodStart: string): number {
  const quota = plan.doc.quota;
  if (!quota) return 0;
  let limit = quota.limit;
  if (quota.offset && plan.quotaSetAt !== undefined && quotaPeriodStart(quota.period, plan.quotaSetAt) === periodStart) limit -= quota.offset;
  const extension = plan.extensions?.[keyId];
  if (extension && extension.period === periodStart) limit += extension.extra;
  return limit;
}

/** Requests a key made under a plan from `from` (YYYY-MM-DD) on. */
export async function usedSince(db: Store | Transaction<Database>, slot: UsageSlot, from: string): Promise<number> {
  const row = await db
    .selectFrom('apigw_usage')
    .select((eb) => eb.fn.sum<number | string | null>('used').as('total'))
    .where('account_id', '=', slot.accountId).where('region', '=', slot.region).where('plan_id', '=', slot.planId).where('key_id', '=', slot.keyId)
    .where('day', '>=', from)
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

const slotFilter = (slot: UsageSlot) =>
  ({ account_id: slot.accountId, region: slot.region, plan_id: slot.planId, key_id: slot.keyId }) as const;

/**
 * Counts one request of a key under its plan, in one transaction of the store (so a restart keeps
 * the counts and the nodes of a cluster share them): the throttle's token bucket (burstLimit,
 * refilled at rateLimit per second) first, then the quota over its period; a request inside both
 * is added to the key's usage of the day.
 */
export async function countRequest(db: Store, slot: UsageSlot, plan: StoredUsagePlan, now: number): Promise<UsageVerdict> {
  return db.transaction().execute(async (trx) => {
    const { throttle, quota } = plan.doc;
    if (throttle && (throttle.rateLimit !== undefined || throttle.burstLimit !== undefined)) {
      if (!(await takeToken(trx, slot, throttle.rateLimit ?? 0, throttle.burstLimit ?? 0, now))) return 'throttled';
    }
    const today = utcDay(now);
    if (quota) {
      const start = quotaPeriodStart(quota.period, now);
      if ((await usedSince(trx, slot, start)) >= periodLimit(plan, slot.keyId, start)) return 'quota-exceeded';
    }
    await trx
      .insertInto('apigw_usage')
      .values({ ...slotFilter(slot), day: today, used: 1 })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'plan_id', 'key_id', 'day']).doUpdateSet((eb) => ({ used: eb('apigw_usage.used', '+', 1) })))
      .execute();
    return 'allowed';
  });
}

async function takeToken(trx: Transaction<Database>, slot: UsageSlot, rate: number, burstLimit: number, now: number): Promise<boolean> {
  const burst = Math.max(burstLimit, rate > 0 ? 1 : 0);
  const row = await trx
    .selectFrom('apigw_throttle').select(['tokens', 'at_ms'])
    .where('account_id', '=', slot.accountId).where('region', '=', slot.region).where('plan_id', '=', slot.planId).where('key_id', '=', slot.keyId)
    .executeTakeFirst();
  const refilled = row ? Math.min(burst, Number(row.tokens) + ((now - Number(row.at_ms)) / 1000) * rate) : burst;
  const allowed = refilled >= 1;
  const tokens = allowed ? refilled - 1 : refilled;
  await trx
    .insertInto('apigw_throttle')
    .values({ ...slotFilter(slot), tokens, at_ms: now })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'plan_id', 'key_id']).doUpdateSet({ tokens, at_ms: now }))
    .execute();
  return allowed;
}

/** A plan's usage per key and UTC day within [from, to] (YYYY-MM-DD), for GetUsage. */
export async function usageByDay(db: Store, scope: { accountId: string; region: string }, planId: string, from: string, to: string, keyId?: string): Promise<Array<{ key_id: string; day: string; used: number }>> {
  let query = db
    .selectFrom('apigw_usage').select(['key_id', 'day', 'used'])
    .where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('plan_id', '=', planId)
    .where('day', '>=', from).where('day', '<=', to);
  if (keyId !== undefined) query = query.where('key_id', '=', keyId);
  const rows = await query.execute();
  return rows.map((r) => ({ key_id: r.key_id, day: r.day, used: Number(r.used) }));
}

/** Forgets a plan's counters (the plan was deleted), or every plan's (a state reset). */
export async function deleteUsage(db: Store, planId?: string): Promise<void> {
  let usage = db.deleteFrom('apigw_usage');
  let buckets = db.deleteFrom('apigw_throttle');
  if (planId !== undefined) {
    usage = usage.where('plan_id', '=', planId);
    buckets = buckets.where('plan_id', '=', planId);
  }
  await usage.execute();
  await buckets.execute();
}
