import type { ServiceResponse } from '../../../contracts/request-context.js';
import { jsonResponse, type RestJsonRequest } from '../../../protocols/rest-json.js';
import { scopeOf } from '../request.js';
import { restErrors } from './errors.js';
import type { RestDeps } from './lookup.js';
import type { StoredUsagePlan } from './model.js';
import { periodLimit, quotaPeriodStart, usageByDay, utcDay } from './usage-counters.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
const KEYS_PER_PAGE_DEFAULT = 25;
const KEYS_PER_PAGE_MAX = 500;

function dayOf(text: string | null, what: string): number {
  const ms = text !== null && DATE.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw restErrors.badRequest(`Invalid ${what} date specified`);
  return ms;
}

/**
 * GetUsage: each key's requests per UTC day from startDate to endDate, as `[used, remaining]` —
 * remaining being what the plan's quota leaves in that day's period after it (0 without a quota).
 * Keys are paged (`limit`, default 25, and `position`).
 */
export async function getUsage(deps: RestDeps, req: RestJsonRequest, plan: StoredUsagePlan): Promise<ServiceResponse> {
  const start = dayOf(req.query.get('startDate'), 'start');
  const end = dayOf(req.query.get('endDate'), 'end');
  if (end < start) throw restErrors.badRequest('The end date must not be before the start date');
  const limitText = req.query.get('limit');
  const limit = limitText === null ? KEYS_PER_PAGE_DEFAULT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > KEYS_PER_PAGE_MAX) throw restErrors.badRequest(`Invalid limit specified: must be between 1 and ${KEYS_PER_PAGE_MAX}`);
  const offset = Number(req.query.get('position') ?? '0');
  const keyId = req.query.get('keyId') ?? undefined;
  const keys = plan.keyIds.filter((id) => keyId === undefined || id === keyId);
  const page = keys.slice(offset, offset + limit);

  const quota = plan.doc.quota;
  // Remaining quota on the first day counts what was used earlier in that day's period.
  const from = quota ? quotaPeriodStart(quota.period, start) : utcDay(start);
  const rows = await usageByDay(deps.store.db, scopeOf(req), plan.doc.id, from, utcDay(end), keyId);
  const used = new Map(rows.map((r) => [`${r.key_id}/${r.day}`, r.used]));
  const values: Record<string, Array<[number, number]>> = {};
  for (const id of page) {
    const days: Array<[number, number]> = [];
    for (let day = start; day <= end; day += DAY_MS) {
      const today = used.get(`${id}/${utcDay(day)}`) ?? 0;
      let remaining = 0;
      if (quota) {
        let inPeriod = 0;
        for (let d = Date.parse(`${quotaPeriodStart(quota.period, day)}T00:00:00Z`); d <= day; d += DAY_MS) inPeriod += used.get(`${id}/${utcDay(d)}`) ?? 0;
        remaining = Math.max(0, periodLimit(plan, id, quotaPeriodStart(quota.period, day)) - inPeriod);
      }
      days.push([today, remaining]);
    }
    values[id] = days;
  }
  const next = offset + limit < keys.length ? String(offset + limit) : undefined;
  return jsonResponse(200, { usagePlanId: plan.doc.id, startDate: utcDay(start), endDate: utcDay(end), values, ...(next ? { position: next } : {}) });
}
