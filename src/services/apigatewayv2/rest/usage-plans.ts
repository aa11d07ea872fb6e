import { randomInt } from 'node:crypto';
import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import type { ServiceResponse } from '../../../contracts/request-context.js';
import { body, optionalString, scopeOf, stringMap } from '../request.js';
import { newId } from '../store.js';
import { invalidPatchPath, patchOperations } from './patch.js';
import { deleteUsage } from './usage-counters.js';
import { getUsage } from './usage-report.js';
import { nonNegative, QUOTA_PERIODS, updateUsage, updateUsagePlan } from './usage-plan-updates.js';
import { restErrors } from './errors.js';
import { epochSeconds, type RestDeps } from './lookup.js';
import type { ApiKeyDoc, RestApiDoc, StageDoc, StoredUsagePlan, UsagePlanDoc } from './model.js';

/** API keys and usage plans belong to an account and region, not to an API: stored under this api id. */
export const ACCOUNT_LEVEL = '~account';

export function usagePlanRoutes(deps: RestDeps): RestJsonRoute[] {
  const plan = '/usageplans/{usageplanId}';
  return [
    { operation: 'CreateApiKey', method: 'POST', path: '/apikeys', handler: (r) => createApiKey(deps, r) },
    { operation: 'GetApiKeys', method: 'GET', path: '/apikeys', handler: (r) => getApiKeys(deps, r) },
    { operation: 'GetApiKey', method: 'GET', path: '/apikeys/{api_Key}', handler: (r) => getApiKey(deps, r) },
    { operation: 'UpdateApiKey', method: 'PATCH', path: '/apikeys/{api_Key}', handler: (r) => updateApiKey(deps, r) },
    { operation: 'DeleteApiKey', method: 'DELETE', path: '/apikeys/{api_Key}', handler: (r) => deleteApiKey(deps, r) },
    { operation: 'CreateUsagePlan', method: 'POST', path: '/usageplans', handler: (r) => createUsagePlan(deps, r) },
    { operation: 'GetUsagePlans', method: 'GET', path: '/usageplans', handler: (r) => getUsagePlans(deps, r) },
    { operation: 'GetUsagePlan', method: 'GET', path: plan, handler: async (r) => jsonResponse(200, (await requirePlan(deps, r)).doc) },
    { operation: 'UpdateUsagePlan', method: 'PATCH', path: plan, handler: async (r) => {
      const target = await requirePlan(deps, r);
      const others = (await deps.store.listInScope<StoredUsagePlan>(scopeOf(r), ACCOUNT_LEVEL, 'usageplan')).filter((p) => p.doc.id !== target.doc.id);
      return updateUsagePlan(deps, r, target, others, savePlan(deps, r));
    } },
    { operation: 'DeleteUsagePlan', method: 'DELETE', path: plan, handler: (r) => deleteUsagePlan(deps, r) },
    { operation: 'UpdateUsage', method: 'PATCH', path: `${plan}/keys/{keyId}/usage`, handler: async (r) => updateUsage(deps, r, await requirePlan(deps, r), savePlan(deps, r)) },
    { operation: 'GetUsage', method: 'GET', path: `${plan}/usage`, handler: async (r) => getUsage(deps, r, await requirePlan(deps, r)) },
    { operation: 'CreateUsagePlanKey', method: 'POST', path: `${plan}/keys`, handler: (r) => createUsagePlanKey(deps, r) },
    { operation: 'GetUsagePlanKeys', method: 'GET', path: `${plan}/keys`, handler: (r) => getUsagePlanKeys(deps, r) },
    { operation: 'GetUsagePlanKey', method: 'GET', path: `${plan}/keys/{keyId}`, handler: (r) => getUsagePlanKey(deps, r) },
    { operation: 'DeleteUsagePlanKey', method: 'DELETE', path: `${plan}/keys/{keyId}`, handler: (r) => deleteUsagePlanKey(deps, r) },
  ];
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** What AWS returns for a key: the value only on create and with includeValue(s)=true. */
function keyView(key: ApiKeyDoc, includeValue: boolean): Partial<ApiKeyDoc> {
  if (includeValue) return key;
  const { value: _value, ...rest } = key;
  return rest;
}

async function createApiKey(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const input = body(req);
  const scope = scopeOf(req);
  let value = optionalString(input, 'value');
  if (value !== undefined && value.length < 20) throw restErrors.badRequest('API Key value should be at least 20 characters');
  const existing = await deps.store.listInScope<ApiKeyDoc>(scope, ACCOUNT_LEVEL, 'apikey');
  if (value !== undefined && existing.some((k) => k.value === value)) throw restErrors.conflict('API Key already exists');
  if (value === undefined) {
    value = '';
    for (let i = 0; i < 40; i++) value += KEY_ALPHABET[randomInt(KEY_ALPHABET.length)];
  }
  const now = deps.clock.now();
  const doc: ApiKeyDoc = {
    id: newId(10), value, name: optionalString(input, 'name') ?? '', enabled: input.enabled === true,
    createdDate: epochSeconds(now), lastUpdatedDate: epochSeconds(now), stageKeys: [], tags: stringMap(input, 'tags') ?? {},
  };
  const description = optionalString(input, 'description');
  if (description !== undefined) doc.description = description;
  const customerId = optionalString(input, 'customerId');
  if (customerId !== undefined) doc.customerId = customerId;
  await deps.store.put(scope, ACCOUNT_LEVEL, 'apikey', doc.id, doc, now);
  return jsonResponse(201, doc);
}

export async function requireKey(deps: RestDeps, req: RestJsonRequest, id: string): Promise<ApiKeyDoc> {
  const key = (await deps.store.listInScope<ApiKeyDoc>(scopeOf(req), ACCOUNT_LEVEL, 'apikey')).find((k) => k.id === id);
  if (!key) throw restErrors.notFound('Invalid API Key identifier specified');
  return key;
}

async function getApiKeys(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const nameQuery = req.query.get('name');
  const include = req.query.get('includeValues') === 'true';
  const keys = (await deps.store.listInScope<ApiKeyDoc>(scopeOf(req), ACCOUNT_LEVEL, 'apikey')).filter((k) => !nameQuery || k.name.startsWith(nameQuery));
  return jsonResponse(200, { item: keys.map((k) => keyView(k, include)) });
}

async function getApiKey(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const key = await requireKey(deps, req, req.params.api_Key ?? '');
  return jsonResponse(200, keyView(key, req.query.get('includeValue') === 'true'));
}

const UPDATABLE_KEY_PATHS = ['/name', '/description', '/enabled', '/customerId'];

/** UpdateApiKey: `replace` of the name, description, enabled flag or customer id. */
async function updateApiKey(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const key = await requireKey(deps, req, req.params.api_Key ?? '');
  for (const op of patchOperations(body(req))) {
    if (op.op !== 'replace' || !UPDATABLE_KEY_PATHS.includes(op.path)) throw invalidPatchPath(op, UPDATABLE_KEY_PATHS);
    const value = op.value ?? '';
    if (op.path === '/name') key.name = value;
    else if (op.path === '/enabled') {
      if (value !== 'true' && value !== 'false') throw restErrors.badRequest(`Invalid boolean value ${value} specified for /enabled`);
      key.enabled = value === 'true';
    } else if (op.path === '/description') key.description = value;
    else key.customerId = value;
  }
  key.lastUpdatedDate = epochSeconds(deps.clock.now());
  await deps.store.put(scopeOf(req), ACCOUNT_LEVEL, 'apikey', key.id, key, key.createdDate * 1000);
  return jsonResponse(200, keyView(key, false));
}

/** Deleting a key takes it out of every usage plan too, as on AWS. */
async function deleteApiKey(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const key = await requireKey(deps, req, req.params.api_Key ?? '');
  const scope = scopeOf(req);
  for (const plan of await deps.store.listInScope<StoredUsagePlan>(scope, ACCOUNT_LEVEL, 'usageplan')) {
    if (!plan.keyIds.includes(key.id)) continue;
    plan.keyIds = plan.keyIds.filter((id) => id !== key.id);
    await deps.store.put(scope, ACCOUNT_LEVEL, 'usageplan', plan.doc.id, plan, deps.clock.now());
  }
  await deps.store.delete(ACCOUNT_LEVEL, 'apikey', key.id);
  return emptyResponse(202);
}

async function createUsagePlan(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const input = body(req);
  const scope = scopeOf(req);
  const name = optionalString(input, 'name');
  if (!name) throw restErrors.badRequest('Invalid usage plan name specified');
  const doc: UsagePlanDoc = { id: newId(6), name, apiStages: [], tags: stringMap(input, 'tags') ?? {} };
  const description = optionalString(input, 'description');
  if (description !== undefined) doc.description = description;
  const stages = input.apiStages ?? [];
  if (!Array.isArray(stages)) throw restErrors.badRequest('Invalid input: apiStages must be a list');
  for (const s of stages as Array<Record<string, unknown>>) {
    const apiId = typeof s?.apiId === 'string' ? s.apiId : '';
    const stage = typeof s?.stage === 'string' ? s.stage : '';
    if (!(await deps.store.getApi<RestApiDoc>(scope, apiId, 'restapi'))) throw restErrors.notFound(`Invalid API identifier specified ${scope.accountId}:${apiId}`);
    if (!(await deps.store.get<StageDoc>(apiId, 'rest-stage', stage))) throw restErrors.notFound('Invalid stage identifier specified');
    doc.apiStages.push({ apiId, stage });
  }
  const throttle = input.throttle as Record<string, unknown> | undefined;
  if (throttle) {
    doc.throttle = {};
    const burstLimit = nonNegative(throttle.burstLimit, 'throttle burst limit', true);
    const rateLimit = nonNegative(throttle.rateLimit, 'throttle rate limit', false);
    if (burstLimit !== undefined) doc.throttle.burstLimit = burstLimit;
    if (rateLimit !== undefined) doc.throttle.rateLimit = rateLimit;
  }
  const quota = input.quota as Record<string, unknown> | undefined;
  if (quota) {
    const limit = nonNegative(quota.limit, 'quota limit', true);
    const period = typeof quota.period === 'string' ? quota.period : '';
    if (limit === undefined) throw restErrors.badRequest('Invalid quota limit specified');
    if (!QUOTA_PERIODS.includes(period)) throw restErrors.badRequest(`Invalid quota period specified. Valid options are ${QUOTA_PERIODS.join(',')}`);
    doc.quota = { limit, period, offset: nonNegative(quota.offset, 'quota offset', true) ?? 0 };
  }
  const now = deps.clock.now();
  const stored: StoredUsagePlan = { doc, keyIds: [], ...(doc.quota ? { quotaSetAt: now } : {}) };
  await deps.store.put(scope, ACCOUNT_LEVEL, 'usageplan', doc.id, stored, now);
  return jsonResponse(201, doc);
}

const savePlan = (deps: RestDeps, req: RestJsonRequest) => async (plan: StoredUsagePlan) => {
  await deps.store.put(scopeOf(req), ACCOUNT_LEVEL, 'usageplan', plan.doc.id, plan, deps.clock.now());
};

export async function requirePlan(deps: RestDeps, req: RestJsonRequest): Promise<StoredUsagePlan> {
  const id = req.params.usageplanId ?? '';
  const plan = (await deps.store.listInScope<StoredUsagePlan>(scopeOf(req), ACCOUNT_LEVEL, 'usageplan')).find((p) => p.doc.id === id);
  if (!plan) throw restErrors.notFound('Invalid Usage Plan ID specified');
  return plan;
}

async function getUsagePlans(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const keyId = req.query.get('keyId');
  const plans = (await deps.store.listInScope<StoredUsagePlan>(scopeOf(req), ACCOUNT_LEVEL, 'usageplan')).filter((p) => !keyId || p.keyIds.includes(keyId));
  return jsonResponse(200, { item: plans.map((p) => p.doc) });
}

async function deleteUsagePlan(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const plan = await requirePlan(deps, req);
  await deps.store.delete(ACCOUNT_LEVEL, 'usageplan', plan.doc.id);
  await deleteUsage(deps.store.db, plan.doc.id);
  return emptyResponse(202);
}

const planKeyView = (key: ApiKeyDoc) => ({ id: key.id, type: 'API_KEY', value: key.value, name: key.name });

/** A key may be in several plans, but not in two that share an API stage (which plan would meter it?). */
async function createUsagePlanKey(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const plan = await requirePlan(deps, req);
  const input = body(req);
  if (optionalString(input, 'keyType') !== 'API_KEY') throw restErrors.badRequest('Invalid key type specified. Valid options are API_KEY');
  const key = await requireKey(deps, req, optionalString(input, 'keyId') ?? '');
  if (plan.keyIds.includes(key.id)) throw restErrors.conflict('Usage plan key already exists');
  const scope = scopeOf(req);
  const sharing = (await deps.store.listInScope<StoredUsagePlan>(scope, ACCOUNT_LEVEL, 'usageplan')).find(
    (other) => other.keyIds.includes(key.id) && other.doc.apiStages.some((a) => plan.doc.apiStages.some((b) => a.apiId === b.apiId && a.stage === b.stage)),
  );
  if (sharing) throw restErrors.conflict(`Usage Plan ${plan.doc.id} cannot be added because API Key ${key.id} cannot reference multiple Usage Plans with the same API Stage`);
  plan.keyIds.push(key.id);
  await deps.store.put(scope, ACCOUNT_LEVEL, 'usageplan', plan.doc.id, plan, deps.clock.now());
  return jsonResponse(201, planKeyView(key));
}

async function getUsagePlanKeys(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const plan = await requirePlan(deps, req);
  const keys = await deps.store.listInScope<ApiKeyDoc>(scopeOf(req), ACCOUNT_LEVEL, 'apikey');
  return jsonResponse(200, { item: keys.filter((k) => plan.keyIds.includes(k.id)).map(planKeyView) });
}

async function getUsagePlanKey(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const plan = await requirePlan(deps, req);
  const keyId = req.params.keyId ?? '';
  if (!plan.keyIds.includes(keyId)) throw restErrors.notFound('Invalid Usage Plan Key identifier specified');
  return jsonResponse(200, planKeyView(await requireKey(deps, req, keyId)));
}

async function deleteUsagePlanKey(deps: RestDeps, req: RestJsonRequest): Promise<ServiceResponse> {
  const plan = await requirePlan(deps, req);
  const keyId = req.params.keyId ?? '';
  if (!plan.keyIds.includes(keyId)) throw restErrors.notFound('Invalid Usage Plan Key identifier specified');
  plan.keyIds = plan.keyIds.filter((id) => id !== keyId);
  await deps.store.put(scopeOf(req), ACCOUNT_LEVEL, 'usageplan', plan.doc.id, plan, deps.clock.now());
  return emptyResponse(202);
}
