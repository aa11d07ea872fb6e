import type { Store } from '../../../store/database.js';
import type { EventsBusesTable } from '../../../store/schema.js';
import { DEFAULT_BUS, type Scope } from '../arns.js';

export type BusRow = EventsBusesTable;

/** The bus, or undefined. The default bus always exists: it is written on first use. */
export async function findBus(db: Store, scope: Scope, name: string, now: number): Promise<BusRow | undefined> {
  const row = await db.selectFrom('events_buses').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name).executeTakeFirst();
  if (row || name !== DEFAULT_BUS) return row;
  await ensureDefaultBus(db, scope, now);
  return findBus(db, scope, name, now);
}

export async function ensureDefaultBus(db: Store, scope: Scope, now: number): Promise<void> {
  await db
    .insertInto('events_buses')
    .values({ account_id: scope.accountId, region: scope.region, name: DEFAULT_BUS, description: null, tags: '{}', created_at: now, last_modified_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function listBuses(db: Store, scope: Scope, prefix: string | undefined): Promise<BusRow[]> {
  let q = db.selectFrom('events_buses').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  if (prefix) q = q.where('name', '>=', prefix).where('name', '<', `${prefix}\uffff`);
  return q.orderBy('name').execute();
}
