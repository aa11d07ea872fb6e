import type { ServiceResponse } from '../../../contracts/request-context.js';
import { jsonResponse, type RestJsonRequest } from '../../../protocols/rest-json.js';
import { body, scopeOf } from '../request.js';
import { restErrors } from './errors.js';
import type { RestDeps } from './lookup.js';
import type { RestApiDoc, StageDoc, StoredUsagePlan } from './model.js';
import { invalidPatchPath, patchNumber, patchOperations, type PatchOperation } from './patch.js';
import { periodLimit, quotaPeriodStart, usedSince, utcDay } from './usage-counters.js';

export const QUOTA_PERIODS = ['DAY', 'WEEK', 'MONTH'];

export function nonNegative(value: unknown, what: string, integer: boolean): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || value < 0 || (integer && !Number.isInteger(value))) throw restErrors.badRequest(`Invalid ${what} specified`);
  return value;
}

/** A patch value that must be a number (patch values are strings). */
function numberValue(op: PatchOperation, what: string, integer: boolean): number {
  const n = patchNumber(op);
  return nonNegative(Number.isNaN(n) ? op.value : n, what, integer) ?? 0;
}

const PLAN_PATHS = [
  '/name', '/description', '/productCode', '/apiStages', '/throttle', '/throttle/burstLimit', '/throttle/rateLimit',
  '/quota', '/quota/limit', '/quota/offset', '/quota/period',
];

export type SavePlan = (plan: StoredUsagePlan) => Promise<void>;

/**
 * UpdateUsagePlan: `replace` of the name, description, product code, throttle and quota members;
 * `add`/`remove` of `/apiStages` (`<apiId>:<stage>`); `remove` of `/throttle` or `/quota`. A new
 * quota, offset or period takes the offset off the period of the change and drops UpdateUsage's
 * extensions.
 */
export async function updateUsagePlan(deps: RestDeps, req: RestJsonRequest, plan: StoredUsagePlan, others: StoredUsagePlan[], save: SavePlan): Promise<ServiceResponse> {
  const doc = plan.doc;
  const scope = scopeOf(req);
  let quotaChanged = false;
  for (const op of patchOperations(body(req))) {
    const allowed = op.path === '/apiStages' ? ['add', 'remove'] : op.path === '/throttle' || op.path === '/quota' ? ['remove'] : ['replace'];
    if (!PLAN_PATHS.includes(op.path) || !allowed.includes(op.op)) throw invalidPatchPath(op, PLAN_PATHS);
    switch (op.path) {
      case '/name':
        if (!op.value) throw restErrors.badRequest('Invalid usage plan name specified');
        doc.name = op.value;
        break;
      case '/description':
        doc.description = op.value ?? '';
        break;
      case '/productCode':
        doc.productCode = op.value ?? '';
        break;
      case '/apiStages': {
        const [apiId = '', stage = ''] = (op.value ?? '').split(':');
        const index = doc.apiStages.findIndex((s) => s.apiId === apiId && s.stage === stage);
        if (op.op === 'remove') {
          if (index < 0) throw restErrors.notFound(`Invalid API Stage ${apiId}:${stage} specified`);
          doc.apiStages.splice(index, 1);
          break;
        }
        if (!(await deps.store.getApi<RestApiDoc>(scope, apiId, 'restapi'))) throw restErrors.notFound(`Invalid API identifier specified ${scope.accountId}:${apiId}`);
        if (!(await deps.store.get<StageDoc>(apiId, 'rest-stage', stage))) throw restErrors.notFound('Invalid stage identifier specified');
        if (index >= 0) throw restErrors.conflict(`API Stage ${apiId}:${stage} already exists in the usage plan`);
        // A key cannot be metered by two plans on one stage (as CreateUsagePlanKey checks).
        const clash = others.find((o) => o.doc.apiStages.some((s) => s.apiId === apiId && s.stage === stage) && o.keyIds.some((k) => plan.keyIds.includes(k)));
        if (clash) throw restErrors.conflict(`Usage Plan ${doc.id} cannot be added because API Key ${clash.keyIds.find((k) => plan.keyIds.includes(k))} cannot reference multiple Usage Plans with the same API Stage`);
        doc.apiStages.push({ apiId, stage });
        break;
      }
      case '/throttle':
        delete doc.throttle;
        break;
      case '/throttle/burstLimit':
        doc.throttle = { ...doc.throttle, burstLimit: numberValue(op, 'throttle burst limit', true) };
        break;
      case '/throttle/rateLimit':
        doc.throttle = { ...doc.throttle, rateLimit: numberValue(op, 'throttle rate limit', false) };
        break;
      case '/quota':
        delete doc.quota;
        quotaChanged = true;
        break;
      default: {
        // /quota/limit, /quota/offset, /quota/period: a plan without a quota gets one (all three are sent).
        // A new quota, offset or period starts over from this period; a new limit keeps the period's state.
        if (!doc.quota || op.path !== '/quota/limit') quotaChanged = true;
        const quota = doc.quota ?? { limit: 0, offset: 0, period: '' };
        if (op.path === '/quota/limit') quota.limit = numberValue(op, 'quota limit', true);
        else if (op.path === '/quota/offset') quota.offset = numberValue(op, 'quota offset', true);
        else quota.period = op.value ?? '';
        doc.quota = quota;
      }
    }
  }
  if (doc.quota && !QUOTA_PERIODS.includes(doc.quota.period)) throw restErrors.badRequest(`Invalid quota period specified. Valid options are ${QUOTA_PERIODS.join(',')}`);
  if (quotaChanged) {
    plan.quotaSetAt = deps.clock.now();
    delete plan.extensions;
  }
  await save(plan);
  return jsonResponse(200, doc);
}

/**
 * UpdateUsage: `replace /remaining` sets what a key of the plan may still use in the quota's
 * current period (a temporary extension, or a cut); the next period starts from the plan's limit.
 * Answers the key's usage today as GetUsage does.
 */
export async function updateUsage(deps: RestDeps, req: RestJsonRequest, plan: StoredUsagePlan, save: SavePlan): Promise<ServiceResponse> {
  const keyId = req.params.keyId ?? '';
  if (!plan.keyIds.includes(keyId)) throw restErrors.notFound('Invalid Usage Plan Key identifier specified');
  const quota = plan.doc.quota;
  const now = deps.clock.now();
  const slot = { ...scopeOf(req), planId: plan.doc.id, keyId };
  for (const op of patchOperations(body(req))) {
    if (op.op !== 'replace' || op.path !== '/remaining') throw invalidPatchPath(op, ['/remaining']);
    if (!quota) throw restErrors.badRequest(`Usage plan ${plan.doc.id} has no quota to extend`);
    const remaining = numberValue(op, 'remaining quota', true);
    const start = quotaPeriodStart(quota.period, now);
    const used = await usedSince(deps.store.db, slot, start);
    const current = plan.extensions?.[keyId]?.period === start ? plan.extensions[keyId]!.extra : 0;
    // periodLimit already includes any earlier extension of this period: replace it, do not add to it.
    const extra = remaining - (periodLimit(plan, keyId, start) - current - used);
    plan.extensions = { ...plan.extensions, [keyId]: { period: start, extra } };
  }
  await save(plan);
  const today = utcDay(now);
  const usedToday = await usedSince(deps.store.db, slot, today);
  const left = quota ? Math.max(0, periodLimit(plan, keyId, quotaPeriodStart(quota.period, now)) - (await usedSince(deps.store.db, slot, quotaPeriodStart(quota.period, now)))) : 0;
  return jsonResponse(200, { usagePlanId: plan.doc.id, startDate: today, endDate: today, values: { [keyId]: [[usedToday, left]] } });
}
