import type { Selectable } from 'kysely';
import type { Store } from '../../../store/database.js';
import type { EcrRepositoriesTable } from '../../../store/schema.js';
import type { RepositoryKey } from '../names.js';

export type RepositoryRow = Selectable<EcrRepositoriesTable>;
export type Db = Pick<Store, 'selectFrom' | 'insertInto' | 'updateTable' | 'deleteFrom'>;

export async function findRepository(db: Db, key: RepositoryKey): Promise<RepositoryRow | undefined> {
  return db
    .selectFrom('ecr_repositories')
    .selectAll()
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('name', '=', key.name)
    .executeTakeFirst();
}

export async function listRepositories(db: Db, scope: { accountId: string; region: string }): Promise<RepositoryRow[]> {
  return db.selectFrom('ecr_repositories').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region).orderBy('name').execute();
}

export async function insertRepository(db: Db, row: RepositoryRow): Promise<void> {
  await db.insertInto('ecr_repositories').values(row).execute();
}

export async function updateRepository(db: Db, key: RepositoryKey, changes: Partial<Pick<RepositoryRow, 'tag_mutability' | 'scan_on_push' | 'tags'>>): Promise<void> {
  await db
    .updateTable('ecr_repositories')
    .set(changes)
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('name', '=', key.name)
    .execute();
}

/** The repository and everything in it. */
export async function deleteRepository(db: Db, key: RepositoryKey): Promise<void> {
  for (const table of ['ecr_tags', 'ecr_manifests', 'ecr_blobs'] as const) {
    await db.deleteFrom(table).where('account_id', '=', key.accountId).where('region', '=', key.region).where('repository', '=', key.name).execute();
  }
  await db.deleteFrom('ecr_repositories').where('account_id', '=', key.accountId).where('region', '=', key.region).where('name', '=', key.name).execute();
}

export function tagsOf(row: RepositoryRow): Array<{ Key: string; Value: string }> {
  return JSON.parse(row.tags) as Array<{ Key: string; Value: string }>;
}
