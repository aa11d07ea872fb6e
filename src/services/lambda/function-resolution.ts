import type { RestJsonRequest } from '../../protocols/rest-json.js';
import type { Store } from '../../store/database.js';
import { functionArn, resolveFunctionRef } from './arns.js';
import { errors } from './errors.js';
import type { Scope } from './model.js';
import { scopeOf } from './request.js';
import { readAlias } from './tables/aliases-table.js';
import type { FunctionRow, FunctionsTable, VersionRow } from './tables/functions-table.js';

type ResolutionDeps = { db: Store; functions: FunctionsTable };

/**
 * The one place a qualifier becomes a version: `$LATEST`, a version number, or an alias (its own
 * version, or for an invocation a draw by its routing weights). Everything that resolves a
 * function — the API operations, and the `FunctionInvoker` every trigger uses — comes through here.
 */

export interface ResolvedFunction {
  scope: Scope;
  name: string;
  /** The qualifier the caller named (version, alias or `$LATEST`), or null. */
  qualifier: string | null;
  fn: FunctionRow;
}

export interface ResolvedVersion extends ResolvedFunction {
  /** The version the qualifier points at (`$LATEST` when none was given). */
  version: string;
  row: VersionRow;
}

/** Finds the function named by `{FunctionName}` (+ `?Qualifier`) or throws AWS's not-found error. */
export async function resolveFunction(deps: ResolutionDeps, req: RestJsonRequest, action: string, qualifierParam?: string | null): Promise<ResolvedFunction> {
  const scope = scopeOf(req);
  const ref = resolveFunctionRef(req.params.FunctionName ?? '', qualifierParam === undefined ? req.query.get('Qualifier') : qualifierParam, scope, action);
  const fn = await deps.functions.getFunction(scope, ref.name);
  if (!fn) throw errors.functionNotFound(functionArn(scope.region, scope.accountId, ref.name));
  return { scope, name: ref.name, qualifier: ref.qualifier, fn };
}

/** Resolves the qualifier too, following an alias to its version. */
export async function resolveVersion(deps: ResolutionDeps, req: RestJsonRequest, action: string, qualifierParam?: string | null): Promise<ResolvedVersion> {
  const resolved = await resolveFunction(deps, req, action, qualifierParam);
  const { scope, name, qualifier } = resolved;
  const version = await versionForQualifier(deps, scope, name, qualifier);
  const row = version ? await deps.functions.getVersion(scope, name, version) : undefined;
  if (!version || !row) throw errors.functionNotFound(functionArn(scope.region, scope.accountId, name, qualifier));
  return { ...resolved, version, row };
}

/** `$LATEST`, a version number, or an alias name → the version (an alias's own); null when nothing matches. */
export async function versionForQualifier(deps: { db: Store }, scope: Scope, name: string, qualifier: string | null): Promise<string | null> {
  return (await qualifierRouting(deps.db, scope, name, qualifier))?.version ?? null;
}

/** How a qualifier routes: its version, and an alias's additional versions by weight (0–1). */
export interface QualifierRouting {
  version: string;
  weights?: Record<string, number>;
}

export async function qualifierRouting(db: Store, scope: Scope, name: string, qualifier: string | null): Promise<QualifierRouting | null> {
  if (!qualifier || qualifier === '$LATEST') return { version: '$LATEST' };
  if (/^\d+$/.test(qualifier)) return { version: qualifier };
  const alias = await readAlias(db, scope, name, qualifier);
  return alias ? { version: alias.FunctionVersion, weights: alias.RoutingConfig?.AdditionalVersionWeights } : null;
}

/**
 * The version one invocation runs: for an alias, each additional version by its weight (0–1) and
 * the alias's own version for the rest. Drawn per invocation, as AWS does.
 */
export function versionForInvocation(routing: QualifierRouting, random: () => number = Math.random): string {
  return pickWeightedVersion(routing.version, routing.weights, random);
}

function pickWeightedVersion(primary: string, weights: Record<string, number> | undefined, random: () => number = Math.random): string {
  if (!weights) return primary;
  let draw = random();
  for (const [version, weight] of Object.entries(weights)) {
    if (draw < weight) return version;
    draw -= weight;
  }
  return primary;
}
