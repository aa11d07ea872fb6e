import { emptyResponse, jsonResponse, type RestJsonRequest, type RestJsonRoute } from '../../../protocols/rest-json.js';
import { functionArn, resolveFunctionRef } from '../arns.js';
import { concurrencyLockKey, concurrencyUsage, unreservedConcurrency } from '../concurrency-accounting.js';
import type { LambdaDeps } from '../deps.js';
import { errors } from '../errors.js';
import { UNRESERVED_CONCURRENCY_MIN } from '../limits.js';
import type { Scope } from '../model.js';
import { jsonBody, scopeOf } from '../request.js';
import { ConstraintCheck } from '../validation.js';

export function concurrencyRoutes(deps: LambdaDeps): RestJsonRoute[] {
  const path = (date: string) => `/${date}/functions/{FunctionName}/concurrency`;
  return [
    { operation: 'PutFunctionConcurrency', method: 'PUT', path: path('2017-10-31'), handler: (r) => putFunctionConcurrency(deps, r) },
    { operation: 'GetFunctionConcurrency', method: 'GET', path: path('2019-09-30'), handler: (r) => getFunctionConcurrency(deps, r) },
    { operation: 'DeleteFunctionConcurrency', method: 'DELETE', path: path('2017-10-31'), handler: (r) => deleteFunctionConcurrency(deps, r) },
  ];
}

/**
 * Reserved concurrency belongs to the function, not to a version or alias. AWS names `$LATEST` in
 * the not-found message of the put (recorded), the bare function elsewhere.
 */
async function unqualifiedFunction(deps: LambdaDeps, req: RestJsonRequest, action: string, notFoundQualifier?: string) {
  const scope = scopeOf(req);
  const ref = resolveFunctionRef(req.params.FunctionName ?? '', null, scope, action);
  if (ref.qualifier !== null) throw errors.concurrencyOnQualified();
  const fn = await deps.functions.getFunction(scope, ref.name);
  if (!fn) throw errors.functionNotFound(functionArn(scope.region, scope.accountId, ref.name, notFoundQualifier));
  return { scope, name: ref.name, fn };
}

async function putFunctionConcurrency(deps: LambdaDeps, req: RestJsonRequest) {
  const body = jsonBody(req);
  const { scope, name } = await unqualifiedFunction(deps, req, 'PutFunctionConcurrency', '$LATEST');
  const value = body.ReservedConcurrentExecutions;
  const check = new ConstraintCheck().required(value, 'reservedConcurrentExecutions');
  if (value !== undefined && value !== null && (typeof value !== 'number' || !Number.isInteger(value))) {
    throw errors.invalidJson('member ReservedConcurrentExecutions must be an integer');
  }
  check.range(value as number | undefined, 'reservedConcurrentExecutions', 0, null).throwIfFailed();
  const reserved = value as number;
  return deps.lock.run(concurrencyLockKey(scope), async () => {
    await assertReservationFits(deps, scope, name, reserved);
    await deps.functions.updateFunction(scope, name, { reservedConcurrency: reserved });
    deps.engine?.concurrencyChanged(scope.accountId, scope.region);
    return jsonResponse(200, { ReservedConcurrentExecutions: reserved });
  });
}

async function assertReservationFits(deps: LambdaDeps, scope: Scope, name: string, reserved: number): Promise<void> {
  const usage = await concurrencyUsage(deps.db, scope, deps.accountConcurrencyLimit);
  const provisioned = usage.provisioned.get(name) ?? 0;
  if (reserved < provisioned) throw errors.reservedBelowProvisioned(reserved, provisioned);
  if (unreservedConcurrency(usage, name) - reserved < UNRESERVED_CONCURRENCY_MIN) {
    throw errors.reservedBelowUnreservedMin(UNRESERVED_CONCURRENCY_MIN);
  }
}

async function getFunctionConcurrency(deps: LambdaDeps, req: RestJsonRequest) {
  const { fn } = await unqualifiedFunction(deps, req, 'GetFunctionConcurrency');
  return jsonResponse(200, fn.reservedConcurrency === null ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency });
}

async function deleteFunctionConcurrency(deps: LambdaDeps, req: RestJsonRequest) {
  const { scope, name } = await unqualifiedFunction(deps, req, 'DeleteFunctionConcurrency');
  await deps.lock.run(concurrencyLockKey(scope), () => deps.functions.updateFunction(scope, name, { reservedConcurrency: null }));
  deps.engine?.concurrencyChanged(scope.accountId, scope.region);
  return emptyResponse(204);
}
