import type { Selectable } from 'kysely';
import type { EcrUploadsTable } from '../../../store/schema.js';
import type { RepositoryKey } from '../names.js';
import type { Db } from './repositories.js';

export type UploadRow = Selectable<EcrUploadsTable>;

export async function insertUpload(db: Db, id: string, key: RepositoryKey, startedAt: number): Promise<void> {
  await db.insertInto('ecr_uploads').values({ id, account_id: key.accountId, region: key.region, repository: key.name, started_at: startedAt }).execute();
}

export async function findUpload(db: Db, id: string): Promise<UploadRow | undefined> {
  return db.selectFrom('ecr_uploads').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteUpload(db: Db, id: string): Promise<void> {
  await db.deleteFrom('ecr_uploads').where('id', '=', id).execute();
}

/** Uploads started before `before` (ms): abandoned, as no client resumes an upload that old. */
export async function uploadsStartedBefore(db: Db, before: number): Promise<string[]> {
  return (await db.selectFrom('ecr_uploads').select('id').where('started_at', '<', before).execute()).map((r) => r.id);
}

export async function allUploadIds(db: Db): Promise<Set<string>> {
  return new Set((await db.selectFrom('ecr_uploads').select('id').execute()).map((r) => r.id));
}
