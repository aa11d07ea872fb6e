import type { Selectable } from 'kysely';
import type { EcrManifestsTable } from '../../../store/schema.js';
import type { RepositoryKey } from '../names.js';
import type { Db } from './repositories.js';

export type ManifestRow = Selectable<EcrManifestsTable>;

export async function findBlob(db: Db, key: RepositoryKey, digest: string): Promise<{ size: number } | undefined> {
  return db
    .selectFrom('ecr_blobs')
    .select('size')
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('repository', '=', key.name)
    .where('digest', '=', digest)
    .executeTakeFirst();
}

export async function linkBlob(db: Db, key: RepositoryKey, digest: string, size: number): Promise<void> {
  await db
    .insertInto('ecr_blobs')
    .values({ account_id: key.accountId, region: key.region, repository: key.name, digest, size })
    .onConflict((c) => c.doNothing())
    .execute();
}

export async function findManifest(db: Db, key: RepositoryKey, digest: string): Promise<ManifestRow | undefined> {
  return db
    .selectFrom('ecr_manifests')
    .selectAll()
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('repository', '=', key.name)
    .where('digest', '=', digest)
    .executeTakeFirst();
}

export async function listManifests(db: Db, key: RepositoryKey): Promise<ManifestRow[]> {
  return db
    .selectFrom('ecr_manifests')
    .selectAll()
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('repository', '=', key.name)
    .orderBy('pushed_at')
    .orderBy('digest')
    .execute();
}

export async function countManifests(db: Db, key: RepositoryKey): Promise<number> {
  const row = await db
    .selectFrom('ecr_manifests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('repository', '=', key.name)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertManifest(db: Db, row: ManifestRow): Promise<void> {
  await db.insertInto('ecr_manifests').values(row).onConflict((c) => c.doNothing()).execute();
}

export async function deleteManifest(db: Db, key: RepositoryKey, digest: string): Promise<void> {
  await db
    .deleteFrom('ecr_tags')
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('repository', '=', key.name)
    .where('digest', '=', digest)
    .execute();
  await db
    .deleteFrom('ecr_manifests')
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('repository', '=', key.name)
    .where('digest', '=', digest)
    .execute();
}

export async function markPulled(db: Db, key: RepositoryKey, digest: string, at: number): Promise<void> {
  await db
    .updateTable('ecr_manifests')
    .set({ last_pulled_at: at })
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('repository', '=', key.name)
    .where('digest', '=', digest)
    .execute();
}

export async function findTag(db: Db, key: RepositoryKey, tag: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('ecr_tags')
    .select('digest')
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('repository', '=', key.name)
    .where('tag', '=', tag)
    .executeTakeFirst();
  return row?.digest;
}

/** Every tag of the repository, by digest. */
export async function tagsByDigest(db: Db, key: RepositoryKey): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('ecr_tags')
    .select(['tag', 'digest'])
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('repository', '=', key.name)
    .orderBy('tag')
    .execute();
  const byDigest = new Map<string, string[]>();
  for (const row of rows) byDigest.set(row.digest, [...(byDigest.get(row.digest) ?? []), row.tag]);
  return byDigest;
}

export async function setTag(db: Db, key: RepositoryKey, tag: string, digest: string): Promise<void> {
  await db
    .insertInto('ecr_tags')
    .values({ account_id: key.accountId, region: key.region, repository: key.name, tag, digest })
    .onConflict((c) => c.columns(['account_id', 'region', 'repository', 'tag']).doUpdateSet({ digest }))
    .execute();
}

export async function deleteTag(db: Db, key: RepositoryKey, tag: string): Promise<void> {
  await db
    .deleteFrom('ecr_tags')
    .where('account_id', '=', key.accountId)
    .where('region', '=', key.region)
    .where('repository', '=', key.name)
    .where('tag', '=', tag)
    .execute();
}
