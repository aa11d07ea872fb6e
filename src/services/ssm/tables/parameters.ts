import type { Insertable, Selectable, Transaction } from 'kysely';
import type { Database, SsmParameterVersionsTable } from '../../../store/schema.js';
import type { Store } from '../../../store/database.js';

export type Db = Store | Transaction<Database>;
export type VersionRow = Selectable<SsmParameterVersionsTable>;
export interface Scope {
  accountId: string;
  region: string;
}

/** The latest version of each named parameter that exists (at most the names given). */
export async function latestVersions(db: Db, scope: Scope, names: readonly string[]): Promise<VersionRow[]> {
  if (names.length === 0) return [];
  return db
    .selectFrom('ssm_parameters as p')
    .innerJoin('ssm_parameter_versions as v', (join) =>
      join.onRef('v.account_id', '=', 'p.account_id').onRef('v.region', '=', 'p.region').onRef('v.name', '=', 'p.name').onRef('v.version', '=', 'p.version'),
    )
    .selectAll('v')
    .where('p.account_id', '=', scope.accountId)
    .where('p.region', '=', scope.region)
    .where('p.name', 'in', names)
    .execute();
}

/**
 * Every parameter's latest version in the region, ordered by name. Describe and by-path filter in
 * memory: a region holds at most 10,000 standard parameters, and SQL prefix ranges would depend on
 * PostgreSQL's collation.
 */
export async function allLatest(db: Db, scope: Scope): Promise<VersionRow[]> {
  const rows = await db
    .selectFrom('ssm_parameters as p')
    .innerJoin('ssm_parameter_versions as v', (join) =>
      join.onRef('v.account_id', '=', 'p.account_id').onRef('v.region', '=', 'p.region').onRef('v.name', '=', 'p.name').onRef('v.version', '=', 'p.version'),
    )
    .selectAll('v')
    .where('p.account_id', '=', scope.accountId)
    .where('p.region', '=', scope.region)
    .execute();
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function findVersion(db: Db, scope: Scope, name: string, version: number): Promise<VersionRow | undefined> {
  return db
    .selectFrom('ssm_parameter_versions')
    .selectAll()
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('name', '=', name)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function listVersions(db: Db, scope: Scope, name: string): Promise<VersionRow[]> {
  return db
    .selectFrom('ssm_parameter_versions')
    .selectAll()
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('name', '=', name)
    .orderBy('version')
    .execute();
}

export async function findParameter(db: Db, scope: Scope, name: string): Promise<{ version: number; tags: string } | undefined> {
  return db
    .selectFrom('ssm_parameters')
    .select(['version', 'tags'])
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('name', '=', name)
    .executeTakeFirst();
}

export async function insertParameter(db: Db, scope: Scope, name: string, version: number, tags: string): Promise<void> {
  await db.insertInto('ssm_parameters').values({ account_id: scope.accountId, region: scope.region, name, version, tags }).execute();
}

export async function setLatestVersion(db: Db, scope: Scope, name: string, version: number): Promise<void> {
  await db.updateTable('ssm_parameters').set({ version }).where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name).execute();
}

export async function setTags(db: Db, scope: Scope, name: string, tags: string): Promise<void> {
  await db.updateTable('ssm_parameters').set({ tags }).where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name).execute();
}

export async function insertVersion(db: Db, row: Insertable<SsmParameterVersionsTable>): Promise<void> {
  await db.insertInto('ssm_parameter_versions').values(row).execute();
}

/** Drops versions older than the newest `keep`. */
export async function pruneVersions(db: Db, scope: Scope, name: string, oldestKept: number): Promise<void> {
  await db
    .deleteFrom('ssm_parameter_versions')
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('name', '=', name)
    .where('version', '<', oldestKept)
    .execute();
}

export async function deleteParameter(db: Db, scope: Scope, name: string): Promise<boolean> {
  const removed = await db.deleteFrom('ssm_parameters').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name).executeTakeFirst();
  await db.deleteFrom('ssm_parameter_versions').where('account_id', '=', scope.accountId).where('region', '=', scope.region).where('name', '=', name).execute();
  return Number(removed.numDeletedRows) > 0;
}
