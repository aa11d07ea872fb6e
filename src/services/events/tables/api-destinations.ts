import type { Kysely } from 'kysely';
import type { Database, EventsApiDestinationsTable } from '../../../store/schema.js';
import type { Scope } from '../arns.js';

export type ApiDestinationRow = EventsApiDestinationsTable;

export async function findApiDestination(db: Kysely<Database>, scope: Scope, name: string): Promise<ApiDestinationRow | undefined> {
  return db.selectFrom('events_api_destinations').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name).executeTakeFirst();
}

export async function listApiDestinations(db: Kysely<Database>, scope: Scope): Promise<ApiDestinationRow[]> {
  return db.selectFrom('events_api_destinations').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).orderBy('name').execute();
}
