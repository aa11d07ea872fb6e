import type { LambdaDeps } from './deps.js';
import { functionLockKey } from './provisioner.js';

/** Lambda tables that outlive a function's DeleteFunction, emptied by a reset after the functions go. */
const ACCOUNT_WIDE_TABLES = ['lambda_event_source_mappings', 'lambda_layer_versions', 'lambda_layers', 'lambda_code_signing_configs'] as const;

/**
 * `POST /_lambkin/reset?service=lambda`: every function of every account goes as DeleteFunction
 * takes it (versions, aliases, policies, URLs, provisioned concurrency and the rest of its
 * qualified configs, under its lock, its environments retired and its host folder unwatched),
 * then event source mappings (their pollers stop as when a mapping is deleted, and drop their
 * stream checkpoints; the server has this node's stop before the reset answers), layers and code
 * signing configs. Invocation records (the bill) stay.
 */
export async function resetLambda(deps: LambdaDeps): Promise<void> {
  const functions = await deps.db.selectFrom('lambda_functions').select(['account_id', 'region', 'name']).execute();
  for (const row of functions) {
    const scope = { accountId: row.account_id, region: row.region };
    await deps.lock.run(functionLockKey(scope, row.name), () => deps.functions.deleteFunction(scope, row.name));
    deps.engine?.retireFunction({ accountId: scope.accountId, region: scope.region, functionName: row.name });
    await deps.hostFolders?.follow(scope, row.name);
  }
  const layers = await deps.db.selectFrom('lambda_layer_versions').select(['account_id', 'region', 'layer_name', 'version']).execute();
  for (const table of ACCOUNT_WIDE_TABLES) await deps.db.deleteFrom(table).execute();
  for (const l of layers) deps.hostFolderLayers?.forget({ scope: { accountId: l.account_id, region: l.region }, name: l.layer_name, version: Number(l.version) });
  // A read that ran while the rows went may have cached one.
  deps.functions.forgetAll();
}
