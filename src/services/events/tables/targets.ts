import type { Store } from '../../../store/database.js';
import type { Scope } from '../arns.js';
import type { Target } from '../model.js';

export async function listTargets(db: Store, scope: Scope, busName: string, ruleName: string): Promise<Target[]> {
  const rows = await db
    .selectFrom('events_targets')
    .select(['config'])
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('bus_name', '=', busName)
    .where('rule_name', '=', ruleName)
    .orderBy('created_at')
    .orderBy('target_id')
    .execute();
  return rows.map((r) => JSON.parse(r.config) as Target);
}

export async function countTargets(db: Store, scope: Scope, busName: string, ruleName: string): Promise<number> {
  const row = await db
    .selectFrom('events_targets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('bus_name', '=', busName)
    .where('rule_name', '=', ruleName)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
