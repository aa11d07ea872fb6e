import type { RestJsonRequest } from '../../protocols/rest-json.js';
import { functionArn } from './arns.js';
import type { LambdaDeps } from './deps.js';
import { errors } from './errors.js';
import { resolveFunction, type ResolvedVersion } from './function-resolution.js';
import { readAlias } from './tables/aliases-table.js';

/**
 * The version one invocation of an alias runs: each additional version by its weight (0–1), the
 * alias's own version for the rest. Drawn per invocation, as AWS does.
 */
export function pickWeightedVersion(primary: string, weights: Record<string, number> | undefined, random: () => number = Math.random): string {
  if (!weights) return primary;
  let draw = random();
  for (const [version, weight] of Object.entries(weights)) {
    if (draw < weight) return version;
    draw -= weight;
  }
  return primary;
}

/**
 * `resolveVersion` for Invoke: an alias with a routing configuration picks its version per call
 * (reported back in `X-Amz-Executed-Version`). Reads the alias once.
 */
export async function resolveInvokedVersion(deps: LambdaDeps, req: RestJsonRequest, action: string): Promise<ResolvedVersion> {
  const resolved = await resolveFunction(deps, req, action);
  const { scope, name, qualifier } = resolved;
  let version: string | null = !qualifier ? '$LATEST' : qualifier;
  if (qualifier && qualifier !== '$LATEST' && !/^\d+$/.test(qualifier)) {
    const alias = await readAlias(deps.db, scope, name, qualifier);
    version = alias ? pickWeightedVersion(alias.FunctionVersion, alias.RoutingConfig?.AdditionalVersionWeights) : null;
  }
  const row = version ? await deps.functions.getVersion(scope, name, version) : undefined;
  if (!version || !row) throw errors.functionNotFound(functionArn(scope.region, scope.accountId, name, qualifier));
  return { ...resolved, version, row };
}
