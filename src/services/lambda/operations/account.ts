import { jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import { concurrencyUsage, unreservedConcurrency } from '../concurrency-accounting.js';
import type { LambdaDeps } from '../deps.js';
import * as limits from '../limits.js';
import { scopeOf } from '../request.js';

export function accountRoutes(deps: LambdaDeps): RestJsonRoute[] {
  return [{ operation: 'GetAccountSettings', method: 'GET', path: '/2016-08-19/account-settings', handler: (r) => getAccountSettings(deps, r) }];
}

async function getAccountSettings(deps: LambdaDeps, req: RestJsonRequest) {
  const scope = scopeOf(req);
  const usage = await concurrencyUsage(deps.db, scope, deps.accountConcurrencyLimit);
  return jsonResponse(200, {
    AccountLimit: {
      TotalCodeSize: limits.TOTAL_CODE_SIZE_BYTES,
      CodeSizeUnzipped: limits.UNZIPPED_MAX_BYTES,
      CodeSizeZipped: limits.ZIP_MAX_BYTES_DIRECT,
      ConcurrentExecutions: deps.accountConcurrencyLimit,
      UnreservedConcurrentExecutions: unreservedConcurrency(usage),
    },
    AccountUsage: {
      TotalCodeSize: (await functionCodeBytes(deps, req)) + (await layerCodeBytes(deps, req)),
      FunctionCount: await deps.functions.countFunctions(scope),
    },
  });
}

/** Every stored version counts, `$LATEST` included, as AWS bills code storage per version. */
async function functionCodeBytes(deps: LambdaDeps, req: RestJsonRequest): Promise<number> {
  const versions = await deps.functions.listAllVersions(scopeOf(req));
  return versions.reduce((sum, v) => sum + (v.config.CodeSize ?? 0), 0);
}

async function layerCodeBytes(deps: LambdaDeps, req: RestJsonRequest): Promise<number> {
  const rows = await deps.db
    .selectFrom('lambda_layer_versions')
    .select('data')
    .where('account_id', '=', req.accountId)
    .where('region', '=', req.region)
    .execute();
  return rows.reduce((sum, r) => sum + ((JSON.parse(r.data) as { Content?: { CodeSize?: number } }).Content?.CodeSize ?? 0), 0);
}
