import type { Selectable } from 'kysely';
import type { Store } from '../../store/database.js';
import type { LogsGroupsTable, LogsStreamsTable } from '../../store/schema.js';
import type { GroupKey } from './arns.js';
import { errors } from './errors.js';

export type GroupRow = Selectable<LogsGroupsTable>;
export type StreamRow = Selectable<LogsStreamsTable>;

export function findGroup(db: Store, g: GroupKey): Promise<GroupRow | undefined> {
  return db.selectFrom('logs_groups').selectAll().where('account_id', '=', g.accountId).where('region', '=', g.region).where('name', '=', g.name).executeTakeFirst();
}

export async function requireGroup(db: Store, g: GroupKey): Promise<GroupRow> {
  const row = await findGroup(db, g);
  if (!row) throw errors.groupNotFound();
  return row;
}

export function findStream(db: Store, g: GroupKey, name: string): Promise<StreamRow | undefined> {
  return db
    .selectFrom('logs_streams')
    .selectAll()
    .where('account_id', '=', g.accountId)
    .where('region', '=', g.region)
    .where('group_name', '=', g.name)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function requireStream(db: Store, g: GroupKey, name: string): Promise<StreamRow> {
  const row = await findStream(db, g, name);
  if (!row) throw errors.streamNotFound();
  return row;
}

/** The group's streams, by name. */
export function groupStreams(db: Store, g: GroupKey): Promise<StreamRow[]> {
  return db
    .selectFrom('logs_streams')
    .selectAll()
    .where('account_id', '=', g.accountId)
    .where('region', '=', g.region)
    .where('group_name', '=', g.name)
    .orderBy('name')
    .execute();
}

export function tagsOf(row: GroupRow): Record<string, string> {
  return JSON.parse(row.tags) as Record<string, string>;
}
