import type { Store } from '../../store/database.js';
import { ACCOUNT_CONCURRENCY_LIMIT } from './limits.js';
import type { Scope } from './model.js';
import { ProvisionedConcurrencyTable } from './tables/provisioned-concurrency-table.js';

/** Reserved and provisioned concurrency per function of one account and region. */
export interface ConcurrencyUsage {
  reserved: Map<string, number>;
  provisioned: Map<string, number>;
  /** The account's concurrency limit (`LAMBKIN_ACCOUNT_CONCURRENCY`, default AWS's 1000). */
  accountLimit: number;
}

export async function concurrencyUsage(db: Store, scope: Scope, accountLimit: number = ACCOUNT_CONCURRENCY_LIMIT): Promise<ConcurrencyUsage> {
  const rows = await db
    .selectFrom('lambda_functions')
    .select(['name', 'reserved_concurrency'])
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('reserved_concurrency', 'is not', null)
    .execute();
  const reserved = new Map(rows.map((r) => [r.name, Number(r.reserved_concurrency)]));
  const provisioned = new Map<string, number>();
  for (const pc of await new ProvisionedConcurrencyTable(db).list(scope)) {
    provisioned.set(pc.functionName, (provisioned.get(pc.functionName) ?? 0) + pc.config.RequestedProvisionedConcurrentExecutions);
  }
  return { reserved, provisioned, accountLimit };
}

/**
 * The account's unreserved concurrency: the limit minus every function's reserved concurrency, and
 * minus the provisioned concurrency of functions without a reservation (that comes out of the
 * unreserved pool, which is why AWS refuses provisioned concurrency that would drain it).
 * `excluding` leaves one function out, to evaluate a change to it.
 */
export function unreservedConcurrency(usage: ConcurrencyUsage, excluding?: string): number {
  let committed = 0;
  for (const name of new Set([...usage.reserved.keys(), ...usage.provisioned.keys()])) {
    if (name === excluding) continue;
    committed += usage.reserved.get(name) ?? usage.provisioned.get(name) ?? 0;
  }
  return usage.accountLimit - committed;
}

/** Serializes every change that moves the account's concurrency accounting. */
export function concurrencyLockKey(scope: Scope): string {
  return `concurrency:${scope.accountId}/${scope.region}`;
}
