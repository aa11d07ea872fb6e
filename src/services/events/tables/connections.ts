import type { Kysely } from 'kysely';
import type { Database, EventsConnectionsTable } from '../../../store/schema.js';
import type { Scope } from '../arns.js';

export type ConnectionRow = EventsConnectionsTable;

export async function findConnection(db: Kysely<Database>, scope: Scope, name: string): Promise<ConnectionRow | undefined> {
  return db.selectFrom('events_connections').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name).executeTakeFirst();
}

export async function listConnections(db: Kysely<Database>, scope: Scope): Promise<ConnectionRow[]> {
  return db.selectFrom('events_connections').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).orderBy('name').execute();
}

