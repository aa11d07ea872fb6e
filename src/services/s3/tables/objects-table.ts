import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, S3BucketsTable, S3ObjectsTable, S3UploadsTable } from '../../../store/schema.js';
import type { StoredChecksum } from '../checksums.js';

export type BucketRow = Selectable<S3BucketsTable>;
export type ObjectRow = Selectable<S3ObjectsTable>;
export type UploadRow = Selectable<S3UploadsTable>;
export type Db = Kysely<Database> | Transaction<Database>;

/** System headers kept with an object and sent back on GET/HEAD. */
export interface StoredHeaders {
  'content-type'?: string;
  'content-encoding'?: string;
  'content-disposition'?: string;
  'content-language'?: string;
  'cache-control'?: string;
  expires?: string;
  'x-amz-storage-class'?: string;
  'x-amz-website-redirect-location'?: string;
  'x-amz-server-side-encryption'?: string;
  'x-amz-server-side-encryption-aws-kms-key-id'?: string;
  'x-amz-server-side-encryption-bucket-key-enabled'?: string;
}

export function getBucket(db: Db, name: string): Promise<BucketRow | undefined> {
  return db.selectFrom('s3_buckets').selectAll().where('name', '=', name).executeTakeFirst();
}

export function latestObject(db: Db, bucket: string, key: string): Promise<ObjectRow | undefined> {
  return db.selectFrom('s3_objects').selectAll().where('bucket', '=', bucket).where('key', '=', key).where('is_latest', '=', 1).executeTakeFirst();
}

export function objectVersion(db: Db, bucket: string, key: string, versionId: string): Promise<ObjectRow | undefined> {
  return db.selectFrom('s3_objects').selectAll().where('bucket', '=', bucket).where('key', '=', key).where('version_id', '=', versionId).executeTakeFirst();
}

/** A strictly increasing number per store: object sequencers and version ordering. */
export async function nextSequence(db: Db): Promise<number> {
  const row = await db.selectFrom('s3_counters').select('value').where('name', '=', 'sequence').executeTakeFirst();
  const value = (row?.value ?? 0) + 1;
  if (row) await db.updateTable('s3_counters').set({ value }).where('name', '=', 'sequence').execute();
  else await db.insertInto('s3_counters').values({ name: 'sequence', value }).execute();
  return value;
}

export function parseJson<T>(text: string | null, fallback: T): T {
  return text ? (JSON.parse(text) as T) : fallback;
}

export function checksumOfRow(row: { checksum: string | null }): StoredChecksum | undefined {
  return row.checksum ? (JSON.parse(row.checksum) as StoredChecksum) : undefined;
}
