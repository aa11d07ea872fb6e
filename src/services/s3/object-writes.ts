import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { RequestContext } from '../../contracts/request-context.js';
import type { StoredAcl } from './access/acl.js';
import type { StoredChecksum } from './checksums.js';
import type { S3Deps } from './deps.js';
import { errors } from './errors.js';
import { checkRemovable, type VersionLock } from './object-lock/settings.js';
import { recordObjectEvent } from './notifications/outbox.js';
import type { ObjectEvent } from './notifications/records.js';
import { checkWriteConditions, type WriteConditions } from './write-conditions.js';
import { getBucket, latestObject, nextSequence, objectVersion, type BucketRow, type Db, type ObjectRow, type StoredHeaders } from './tables/objects-table.js';

/** A new object version: its body file is already in place under `fileId`. */
export interface NewObject {
  bucket: string;
  key: string;
  fileId: string;
  size: number;
  etag: string;
  headers: StoredHeaders;
  metadata: Record<string, string>;
  tags: Record<string, string>;
  checksum?: StoredChecksum;
  partsCount?: number;
  partSizes?: number[];
  /** `ObjectCreated:Put|Copy|CompleteMultipartUpload` */
  eventName: string;
  /** The ACL `x-amz-acl` names; private when absent. */
  acl?: StoredAcl;
  /** If-Match / If-None-Match, checked against the current version in the writing transaction. */
  conditions?: WriteConditions;
  /** Object Lock retention and legal hold of the new version (none when absent). */
  lock?: VersionLock;
  /** More work for the same transaction (CompleteMultipartUpload drops its upload there). */
  alsoInTransaction?: (trx: Db, row: ObjectRow) => Promise<void>;
}

export function newVersionId(): string {
  return randomBytes(24).toString('base64url');
}

function eventBase(ctx: RequestContext, bucket: BucketRow, key: string, sequence: number, nowMs: number): Omit<ObjectEvent, 'eventName'> {
  return {
    accountId: bucket.account_id,
    region: bucket.region,
    bucket: bucket.name,
    key,
    sequence,
    eventTimeMs: nowMs,
    requestId: ctx.requestId,
    sourceIp: ctx.sourceIp,
    principalId: `AWS:${ctx.accessKeyId ?? bucket.account_id}`,
  };
}

/**
 * Stores a new version as the latest, replacing the `null` version unless versioning is enabled,
 * and writes its notifications in the same transaction. Files of replaced versions are removed
 * after the commit.
 */
export async function writeObject(deps: S3Deps, ctx: RequestContext, input: NewObject): Promise<{ versionId: string; row: ObjectRow }> {
  const nowMs = deps.clock.now();
  const replacedFiles: Array<string | null> = [];
  let queued = 0;
  const result = await deps.db.transaction().execute(async (trx) => {
    const bucket = await getBucket(trx, input.bucket);
    if (!bucket) throw errors.noSuchBucket(input.bucket);
    if (input.conditions) checkWriteConditions(await latestObject(trx, bucket.name, input.key), input.key, input.conditions);
    const sequence = await nextSequence(trx);
    const versionId = bucket.versioning === 'Enabled' ? newVersionId() : 'null';
    if (versionId === 'null') {
      const replaced = await objectVersion(trx, bucket.name, input.key, 'null');
      // Overwriting the null version deletes it: a locked one stays.
      if (replaced) checkRemovable(replaced, false, nowMs);
      if (replaced) {
        replacedFiles.push(replaced.file_id);
        await trx.deleteFrom('s3_objects').where('bucket', '=', bucket.name).where('key', '=', input.key).where('version_id', '=', 'null').execute();
      }
    }
    await trx.updateTable('s3_objects').set({ is_latest: 0 }).where('bucket', '=', bucket.name).where('key', '=', input.key).where('is_latest', '=', 1).execute();
    const row: ObjectRow = {
      acl: input.acl ? JSON.stringify(input.acl) : null,
      bucket: bucket.name,
      key: input.key,
      version_id: versionId,
      sequence,
      is_latest: 1,
      is_delete_marker: 0,
      size: input.size,
      etag: input.etag,
      last_modified: nowMs,
      file_id: input.fileId,
      headers: JSON.stringify(input.headers),
      metadata: JSON.stringify(input.metadata),
      tags: Object.keys(input.tags).length > 0 ? JSON.stringify(input.tags) : null,
      checksum: input.checksum ? JSON.stringify(input.checksum) : null,
      parts_count: input.partsCount ?? null,
      part_sizes: input.partSizes ? JSON.stringify(input.partSizes) : null,
      lock_mode: input.lock?.mode ?? null,
      lock_until: input.lock?.untilMs ?? null,
      legal_hold: input.lock?.legalHold === null || input.lock?.legalHold === undefined ? null : input.lock.legalHold ? 1 : 0,
    };
    await trx.insertInto('s3_objects').values(row).execute();
    await input.alsoInTransaction?.(trx, row);
    queued = await recordObjectEvent(trx, bucket, {
      ...eventBase(ctx, bucket, input.key, sequence, nowMs),
      eventName: input.eventName,
      size: input.size,
      etag: input.etag,
      ...(bucket.versioning ? { versionId } : {}),
    });
    return { versionId, row };
  });
  await deps.files.remove(replacedFiles);
  if (queued > 0) deps.delivery.kick();
  return result;
}

export interface DeleteOutcome {
  deleteMarker: boolean;
  /** The version id removed or the delete marker's, when the bucket has (had) versioning. */
  versionId?: string;
}

/** DeleteObject's domain: a delete marker, removal of the `null` version, or of one named version. */
export async function deleteObject(
  deps: S3Deps,
  ctx: RequestContext,
  bucketName: string,
  key: string,
  versionId: string | undefined,
  conditions?: WriteConditions,
  /**
   * A lifecycle rule's removal: notified as `LifecycleExpiration:*`, by S3 itself, and skipping
   * versions Object Lock protects. `bypassGovernance`: the caller's x-amz-bypass-governance-retention.
   */
  cause: { lifecycle?: boolean; bypassGovernance?: boolean } = {},
): Promise<DeleteOutcome> {
  const nowMs = deps.clock.now();
  const removed = (kind: 'Delete' | 'DeleteMarkerCreated') => (cause.lifecycle ? `LifecycleExpiration:${kind}` : `ObjectRemoved:${kind}`);
  const removedFiles: Array<string | null> = [];
  let queued = 0;
  const outcome = await deps.db.transaction().execute(async (trx): Promise<DeleteOutcome> => {
    const bucket = await getBucket(trx, bucketName);
    if (!bucket) throw errors.noSuchBucket(bucketName);
    // Conditional deletes are evaluated against the current version only, as S3 documents.
    if (conditions) checkWriteConditions(await latestObject(trx, bucketName, key), key, conditions);
    const sequence = await nextSequence(trx);
    const base = { ...eventBase(ctx, bucket, key, sequence, nowMs), ...(cause.lifecycle ? { principalId: 's3.amazonaws.com', sourceIp: 's3.amazonaws.com' } : {}) };
    if (versionId !== undefined) {
      const row = await objectVersion(trx, bucketName, key, versionId);
      if (!row) {
        if (versionId !== 'null' && !/^[A-Za-z0-9_.-]{1,64}$/.test(versionId)) throw errors.invalidVersionId(versionId);
        return { deleteMarker: false, versionId };
      }
      try {
        checkRemovable(row, cause.bypassGovernance === true, nowMs);
      } catch (err) {
        if (cause.lifecycle) return { deleteMarker: false, versionId };
        throw err;
      }
      await removeVersion(trx, row);
      removedFiles.push(row.file_id);
      queued = await recordObjectEvent(trx, bucket, { ...base, eventName: removed('Delete'), versionId });
      return { deleteMarker: row.is_delete_marker === 1, versionId };
    }
    if (!bucket.versioning) {
      const row = await objectVersion(trx, bucketName, key, 'null');
      if (row) checkRemovable(row, cause.bypassGovernance === true, nowMs);
      if (row) {
        await removeVersion(trx, row);
        removedFiles.push(row.file_id);
      }
      queued = await recordObjectEvent(trx, bucket, { ...base, eventName: removed('Delete') });
      return { deleteMarker: false };
    }
    const markerId = bucket.versioning === 'Enabled' ? newVersionId() : 'null';
    if (markerId === 'null') {
      const row = await objectVersion(trx, bucketName, key, 'null');
      if (row) checkRemovable(row, cause.bypassGovernance === true, nowMs);
      if (row) {
        await trx.deleteFrom('s3_objects').where('bucket', '=', bucketName).where('key', '=', key).where('version_id', '=', 'null').execute();
        removedFiles.push(row.file_id);
      }
    }
    await trx.updateTable('s3_objects').set({ is_latest: 0 }).where('bucket', '=', bucketName).where('key', '=', key).where('is_latest', '=', 1).execute();
    await trx
      .insertInto('s3_objects')
      .values({
        bucket: bucketName, key, version_id: markerId, sequence, is_latest: 1, is_delete_marker: 1, size: 0, etag: '', last_modified: nowMs,
        file_id: null, headers: '{}', metadata: '{}', tags: null, checksum: null, parts_count: null, part_sizes: null,
      })
      .execute();
    queued = await recordObjectEvent(trx, bucket, { ...base, eventName: removed('DeleteMarkerCreated'), versionId: markerId });
    return { deleteMarker: true, versionId: markerId };
  });
  await deps.files.remove(removedFiles);
  if (queued > 0) deps.delivery.kick();
  return outcome;
}

/** Removes one version; when it was the latest, the newest remaining version becomes latest. */
async function removeVersion(trx: Db, row: ObjectRow): Promise<void> {
  await trx.deleteFrom('s3_objects').where('bucket', '=', row.bucket).where('key', '=', row.key).where('version_id', '=', row.version_id).execute();
  if (row.is_latest !== 1) return;
  const newest = await trx
    .selectFrom('s3_objects')
    .select('version_id')
    .where('bucket', '=', row.bucket)
    .where('key', '=', row.key)
    .orderBy('sequence', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (newest) {
    await trx.updateTable('s3_objects').set({ is_latest: 1 }).where('bucket', '=', row.bucket).where('key', '=', row.key).where('version_id', '=', newest.version_id).execute();
  }
}

/** Stores bytes made in-process (destination records, access logs) as a new object, as a PutObject would. */
export async function writeBytesObject(
  deps: S3Deps,
  ctx: RequestContext,
  input: { bucket: string; key: string; body: Buffer; contentType: string; acl?: StoredAcl },
): Promise<void> {
  const tempPath = await deps.files.newTempPath();
  await writeFile(tempPath, input.body);
  const fileId = await deps.files.keep(tempPath);
  try {
    await writeObject(deps, ctx, {
      bucket: input.bucket, key: input.key, fileId, size: input.body.length, etag: createHash('md5').update(input.body).digest('hex'),
      headers: { 'content-type': input.contentType }, metadata: {}, tags: {},
      eventName: 'ObjectCreated:Put',
      ...(input.acl ? { acl: input.acl } : {}),
    });
  } catch (err) {
    await deps.files.remove([fileId]);
    throw err;
  }
}

/** The request context of a write S3 makes itself, on behalf of `accountId`. */
export function internalWriteContext(accountId: string): RequestContext {
  return {
    requestId: randomUUID(), method: 'PUT', rawPath: '/', query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0),
    accountId, region: '', accessKeyId: null, endpoint: { protocol: 'http', hostname: '127.0.0.1', port: 0 }, sourceIp: '127.0.0.1',
  };
}
