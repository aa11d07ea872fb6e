import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import { functionArn, resolveFunctionRef } from '../arns.js';
import { concurrencyLockKey, concurrencyUsage, unreservedConcurrency } from '../concurrency-accounting.js';
import type { LambdaDeps } from '../deps.js';
import { errors } from '../errors.js';
import { resolveFunction, versionForQualifier } from '../function-resolution.js';
import * as limits from '../limits.js';
import { lambdaTimestamp, type Scope } from '../model.js';
import { applyProvisionedConcurrency } from '../provisioned-environments.js';
import { jsonBody, paginate, scopeOf } from '../request.js';
import { ProvisionedConcurrencyTable, type ProvisionedConcurrencyConfig } from '../tables/provisioned-concurrency-table.js';
import { ConstraintCheck, PATTERNS } from '../validation.js';

const PATH = '/2019-09-30/functions/{FunctionName}/provisioned-concurrency';
const QUALIFIER_MAX_CHARS = 128;

/**
 * Provisioned-concurrency configs. Only the control plane is modelled so far: a config reports
 * IN_PROGRESS, then READY after a short delay; nothing is pre-warmed yet.
 */
export function provisionedConcurrencyRoutes(deps: LambdaDeps): RestJsonRoute[] {
  const table = new ProvisionedConcurrencyTable(deps.db);
  return [
    { operation: 'PutProvisionedConcurrencyConfig', method: 'PUT', path: PATH, handler: (r) => putConfig(deps, table, r) },
    // Get and List share method and path; List is told apart by its `List` query parameter.
    {
      operation: 'GetProvisionedConcurrencyConfig',
      method: 'GET',
      path: PATH,
      handler: (r) => (r.query.has('List') ? listConfigs(deps, table, r) : getConfig(deps, table, r)),
    },
    { operation: 'DeleteProvisionedConcurrencyConfig', method: 'DELETE', path: PATH, handler: (r) => deleteConfig(deps, table, r) },
  ];
}

interface Target {
  scope: Scope;
  name: string;
  qualifier: string;
  /** The published version the qualifier stands for (`$LATEST` when an alias points there). */
  version: string;
  isAlias: boolean;
  reservedConcurrency: number | null;
}

/** Resolves `{FunctionName}` + the required `Qualifier` with AWS's messages for each miss. */
async function resolveTarget(deps: LambdaDeps, req: RestJsonRequest, action: string, mode: 'put' | 'read'): Promise<Target> {
  const scope = scopeOf(req);
  const param = req.query.get('Qualifier') ?? undefined;
  new ConstraintCheck()
    .required(param, 'qualifier')
    .length(param, 'qualifier', 1, QUALIFIER_MAX_CHARS)
    .pattern(param, 'qualifier', PATTERNS.qualifier)
    .throwIfFailed();
  const ref = resolveFunctionRef(req.params.FunctionName ?? '', param, scope, action);
  const qualifier = ref.qualifier ?? param ?? '';
  const qualifiedArn = functionArn(scope.region, scope.accountId, ref.name, qualifier);
  const isAlias = qualifier !== '$LATEST' && !/^\d+$/.test(qualifier);
  const fn = await deps.functions.getFunction(scope, ref.name);
  if (!fn) throw isAlias ? errors.aliasNotFound(qualifiedArn) : errors.functionNotFound(qualifiedArn);
  if (qualifier === '$LATEST') throw mode === 'put' ? errors.provisionedOnUnpublished() : errors.provisionedNeedsPublished();
  const version = await versionForQualifier(deps, scope, ref.name, qualifier);
  if (!version) throw errors.aliasNotFound(qualifiedArn);
  if (version !== '$LATEST' && !(await deps.functions.getVersion(scope, ref.name, version))) throw errors.functionNotFound(qualifiedArn);
  return { scope, name: ref.name, qualifier, version, isAlias, reservedConcurrency: fn.reservedConcurrency };
}

async function putConfig(deps: LambdaDeps, table: ProvisionedConcurrencyTable, req: RestJsonRequest) {
  const body = jsonBody(req);
  const requested = body.ProvisionedConcurrentExecutions;
  if (requested !== undefined && requested !== null && (typeof requested !== 'number' || !Number.isInteger(requested))) {
    throw errors.invalidJson('member ProvisionedConcurrentExecutions must be an integer');
  }
  new ConstraintCheck()
    .required(requested, 'provisionedConcurrentExecutions')
    .range(requested as number | undefined, 'provisionedConcurrentExecutions', 1, null)
    .throwIfFailed();
  const target = await resolveTarget(deps, req, 'PutProvisionedConcurrencyConfig', 'put');
  if (target.version === '$LATEST') throw errors.provisionedOnUnpublished();
  const { scope, name, qualifier } = target;
  return deps.lock.run(concurrencyLockKey(scope), async () => {
    await assertNoDoubleProvisioning(deps, table, target);
    await assertWithinLimits(deps, table, target, requested as number);
    const prior = await table.get(scope, name, qualifier);
    const config: ProvisionedConcurrencyConfig = {
      RequestedProvisionedConcurrentExecutions: requested as number,
      AvailableProvisionedConcurrentExecutions: Math.min(prior?.AvailableProvisionedConcurrentExecutions ?? 0, requested as number),
      AllocatedProvisionedConcurrentExecutions: Math.min(prior?.AllocatedProvisionedConcurrentExecutions ?? 0, requested as number),
      Status: 'IN_PROGRESS',
      LastModified: lambdaTimestamp(deps.clock.now()),
    };
    await table.put(scope, name, qualifier, config);
    // With an engine, READY follows the environments' Init; without one a timer stands in.
    if (deps.provisionedPlacement) deps.provisionedPlacement.kick();
    else if (deps.engine) void applyProvisionedConcurrency(deps, scope, name, qualifier, target.version);
    else scheduleReady(deps, table, scope, name, qualifier);
    return jsonResponse(202, config);
  });
}

/** A version can carry provisioned concurrency directly or through one alias, never both. */
async function assertNoDoubleProvisioning(deps: LambdaDeps, table: ProvisionedConcurrencyTable, target: Target): Promise<void> {
  const { scope, name, qualifier, version } = target;
  if (target.isAlias) {
    if (await table.get(scope, name, version)) throw errors.provisionedAliasOnProvisionedVersion();
    return;
  }
  for (const pc of await table.list(scope, name)) {
    if (pc.qualifier === qualifier || /^\d+$/.test(pc.qualifier)) continue;
    if ((await versionForQualifier(deps, scope, name, pc.qualifier)) === version) throw errors.provisionedVersionUnderAlias();
  }
}

async function assertWithinLimits(deps: LambdaDeps, table: ProvisionedConcurrencyTable, target: Target, requested: number): Promise<void> {
  const { scope, name, qualifier } = target;
  const siblings = (await table.list(scope, name))
    .filter((pc) => pc.qualifier !== qualifier)
    .reduce((sum, pc) => sum + pc.config.RequestedProvisionedConcurrentExecutions, 0);
  if (target.reservedConcurrency !== null) {
    if (siblings + requested > target.reservedConcurrency) throw errors.provisionedAboveReserved();
    return;
  }
  const available = unreservedConcurrency(await concurrencyUsage(deps.db, scope, deps.accountConcurrencyLimit), name) - siblings;
  if (requested > available) throw errors.provisionedAboveUnreserved(available);
  if (available - requested < limits.UNRESERVED_CONCURRENCY_MIN) throw errors.provisionedBelowUnreservedMin(limits.UNRESERVED_CONCURRENCY_MIN);
}

function scheduleReady(deps: LambdaDeps, table: ProvisionedConcurrencyTable, scope: Scope, name: string, qualifier: string): void {
  deps.clock.setTimeout(() => {
    deps.lock
      .run(concurrencyLockKey(scope), async () => {
        const config = await table.get(scope, name, qualifier);
        if (config?.Status === 'IN_PROGRESS') await table.put(scope, name, qualifier, ready(config));
      })
      .catch((err: unknown) => deps.logger.error({ err, name, qualifier }, 'provisioned concurrency did not settle'));
  }, limits.PROVISIONED_CONCURRENCY_READY_DELAY_MS);
}

function ready(config: ProvisionedConcurrencyConfig): ProvisionedConcurrencyConfig {
  const n = config.RequestedProvisionedConcurrentExecutions;
  return { ...config, Status: 'READY', AvailableProvisionedConcurrentExecutions: n, AllocatedProvisionedConcurrentExecutions: n };
}

/** A config whose settle timer died with a previous process is READY once its delay has passed. */
function current(deps: LambdaDeps, config: ProvisionedConcurrencyConfig): ProvisionedConcurrencyConfig {
  if (config.Status !== 'IN_PROGRESS' || deps.engine) return config;
  const since = deps.clock.now() - Date.parse(config.LastModified);
  return since >= limits.PROVISIONED_CONCURRENCY_READY_DELAY_MS ? ready(config) : config;
}

async function getConfig(deps: LambdaDeps, table: ProvisionedConcurrencyTable, req: RestJsonRequest) {
  const { scope, name, qualifier, version } = await resolveTarget(deps, req, 'GetProvisionedConcurrencyConfig', 'read');
  const config = await table.get(scope, name, qualifier);
  if (!config) throw errors.provisionedConfigNotFound();
  return jsonResponse(200, deps.provisionedPlacement ? deps.provisionedPlacement.clusterView(version, scope, name, config) : current(deps, config));
}

async function deleteConfig(deps: LambdaDeps, table: ProvisionedConcurrencyTable, req: RestJsonRequest) {
  const { scope, name, qualifier, version } = await resolveTarget(deps, req, 'DeleteProvisionedConcurrencyConfig', 'read');
  await deps.lock.run(concurrencyLockKey(scope), () => table.delete(scope, name, qualifier));
  if (deps.provisionedPlacement) deps.provisionedPlacement.kick();
  else void applyProvisionedConcurrency(deps, scope, name, qualifier, version);
  return emptyResponse(204);
}

async function listConfigs(deps: LambdaDeps, table: ProvisionedConcurrencyTable, req: RestJsonRequest) {
  const { scope, name } = await resolveFunction(deps, req, 'ListProvisionedConcurrencyConfigs', null);
  const items = [];
  for (const pc of await table.list(scope, name)) {
    const placement = deps.provisionedPlacement;
    const version = placement ? await versionForQualifier(deps, scope, name, pc.qualifier) : null;
    const config = placement && version ? placement.clusterView(version, scope, name, pc.config) : current(deps, pc.config);
    items.push({ FunctionArn: functionArn(scope.region, scope.accountId, name, pc.qualifier), ...config });
  }
  const { page, nextMarker } = paginate(req, items, (item) => item.FunctionArn, {
    maxItemsLimit: limits.LIST_PROVISIONED_CONCURRENCY_MAX_ITEMS,
    pageCap: limits.LIST_PROVISIONED_CONCURRENCY_MAX_ITEMS,
  });
  return jsonResponse(200, { ProvisionedConcurrencyConfigs: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) });
}
