import type { Store } from '../../../store/database.js';
import type { EventsRulesTable } from '../../../store/schema.js';
import type { Scope } from '../arns.js';

export type RuleRow = EventsRulesTable;

export async function findRule(db: Store, scope: Scope, busName: string, name: string): Promise<RuleRow | undefined> {
  return db
    .selectFrom('events_rules')
    .selectAll()
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('bus_name', '=', busName)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function listRules(db: Store, scope: Scope, busName: string, prefix?: string): Promise<RuleRow[]> {
  let q = db.selectFrom('events_rules').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('bus_name', '=', busName);
  if (prefix) q = q.where('name', '>=', prefix).where('name', '<', `${prefix}\uffff`);
  return q.orderBy('name').execute();
}

/** Enabled pattern rules of a bus: the ones PutEvents matches. */
export async function patternRules(db: Store, scope: Scope, busName: string): Promise<RuleRow[]> {
  return db
    .selectFrom('events_rules')
    .selectAll()
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('bus_name', '=', busName)
    .where('state', '!=', 'DISABLED')
    .where('event_pattern', 'is not', null)
    .execute();
}

/** Enabled schedule rules in every account and region: the scheduler's work list. */
export async function scheduleRules(db: Store): Promise<RuleRow[]> {
  return db.selectFrom('events_rules').selectAll().where('state', '!=', 'DISABLED').where('schedule_expression', 'is not', null).execute();
}
