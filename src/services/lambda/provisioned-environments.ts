import { concurrencyLockKey } from './concurrency-accounting.js';
import type { LambdaDeps } from './deps.js';
import { versionForQualifier } from './function-resolution.js';
import { invokeTargetOf } from './invoke-target.js';
import type { Scope } from './model.js';
import { ProvisionedConcurrencyTable, type ProvisionedConcurrencyConfig } from './tables/provisioned-concurrency-table.js';

/**
 * Makes the engine hold as many pre-initialized environments for `version` as the stored config on
 * `qualifier` asks (none once it is deleted), then records what happened: READY when every
 * environment finished Init, FAILED (`FUNCTION_ERROR_INIT_FAILURE`) when one could not, as AWS reports.
 * Runs in the background of Put/DeleteProvisionedConcurrencyConfig and at startup.
 */
export async function applyProvisionedConcurrency(deps: LambdaDeps, scope: Scope, name: string, qualifier: string, version: string): Promise<void> {
  const engine = deps.engine;
  if (!engine) return;
  engine.concurrencyChanged(scope.accountId, scope.region);
  const table = new ProvisionedConcurrencyTable(deps.db);
  try {
    const config = await table.get(scope, name, qualifier);
    const row = await deps.functions.getVersion(scope, name, version);
    if (!row?.codeHex) return;
    const target = invokeTargetOf(scope, name, qualifier, version, row);
    if (!config) {
      await engine.provision(target, 0);
      return;
    }
    const ok = await engine.provision(target, config.RequestedProvisionedConcurrentExecutions);
    if (!ok) await engine.provision(target, 0);
    await deps.lock.run(concurrencyLockKey(scope), async () => {
      const now = await table.get(scope, name, qualifier);
      // A newer put (or a delete) owns the outcome now.
      if (!now || now.LastModified !== config.LastModified || now.RequestedProvisionedConcurrentExecutions !== config.RequestedProvisionedConcurrentExecutions) return;
      await table.put(scope, name, qualifier, ok ? ready(now) : failed(now));
    });
  } catch (err) {
    deps.logger.error({ err, function: name, qualifier }, 'provisioned concurrency could not be applied');
  }
}

/** Re-creates the environments of every stored config (they died with the previous process). */
export async function recoverProvisionedConcurrency(deps: LambdaDeps): Promise<void> {
  if (!deps.engine) return;
  const scopes = await deps.db
    .selectFrom('lambda_qualified_configs')
    .select(['account_id', 'region'])
    .distinct()
    .where('kind', '=', 'provisioned-concurrency')
    .execute();
  const table = new ProvisionedConcurrencyTable(deps.db);
  for (const { account_id: accountId, region } of scopes) {
    const scope = { accountId, region };
    for (const pc of await table.list(scope)) {
      const version = /^\d+$/.test(pc.qualifier) ? pc.qualifier : await versionForQualifier(deps, scope, pc.functionName, pc.qualifier);
      if (version) void applyProvisionedConcurrency(deps, scope, pc.functionName, pc.qualifier, version);
    }
  }
}

function ready(config: ProvisionedConcurrencyConfig): ProvisionedConcurrencyConfig {
  const n = config.RequestedProvisionedConcurrentExecutions;
  const { StatusReason: _reason, ...rest } = config;
  return { ...rest, Status: 'READY', AvailableProvisionedConcurrentExecutions: n, AllocatedProvisionedConcurrentExecutions: n };
}

function failed(config: ProvisionedConcurrencyConfig): ProvisionedConcurrencyConfig {
  return {
    ...config,
    Status: 'FAILED',
    StatusReason: 'FUNCTION_ERROR_INIT_FAILURE',
    AvailableProvisionedConcurrentExecutions: 0,
    AllocatedProvisionedConcurrentExecutions: 0,
  };
}
