import type { RestJsonRequest } from '../../protocols/rest-json.js';
import { functionArn, resolveFunctionRef } from './arns.js';
import type { LambdaDeps } from './deps.js';
import { errors } from './errors.js';
import type { Scope } from './model.js';
import { scopeOf } from './request.js';
import { readAlias } from './tables/aliases-table.js';
import type { FunctionRow, VersionRow } from './tables/functions-table.js';

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
export async function resolveFunction(deps: LambdaDeps, req: RestJsonRequest, action: string, qualifierParam?: string | null): Promise<ResolvedFunction> {
  const scope = scopeOf(req);
  const ref = resolveFunctionRef(req.params.FunctionName ?? '', qualifierParam === undefined ? req.query.get('Qualifier') : qualifierParam, scope, action);
  const fn = await deps.functions.getFunction(scope, ref.name);
  if (!fn) throw errors.functionNotFound(functionArn(scope.region, scope.accountId, ref.name));
  return { scope, name: ref.name, qualifier: ref.qualifier, fn };
}

/** Resolves the qualifier too, following an alias to its version. */
export async function resolveVersion(deps: LambdaDeps, req: RestJsonRequest, action: string, qualifierParam?: string | null): Promise<ResolvedVersion> {
  const resolved = await resolveFunction(deps, req, action, qualifierParam);
  const { scope, name, qualifier } = resolved;
  const version = await versionForQualifier(deps, scope, name, qualifier);
  const row = version ? await deps.functions.getVersion(scope, name, version) : undefined;
  if (!version || !row) throw errors.functionNotFound(functionArn(scope.region, scope.accountId, name, qualifier));
  return { ...resolved, version, row };
}

/** `$LATEST`, a version number, or an alias name → the version; null when nothing matches. */
export async function versionForQualifier(deps: LambdaDeps, scope: Scope, name: string, qualifier: string | null): Promise<string | null> {
  if (!qualifier || qualifier === '$LATEST') return '$LATEST';
  if (/^\d+$/.test(qualifier)) return qualifier;
  const alias = await readAlias(deps.db, scope, name, qualifier);
  return alias ? alias.FunctionVersion : null;
}
