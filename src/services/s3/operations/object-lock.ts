import type { ServiceResponse } from '../../../contracts/request-context.js';
import { parseXml, xmlText } from '../../../protocols/rest-xml.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_XML_REQUEST_BYTES } from '../limits.js';
import { governanceBypass } from '../access/governance-bypass.js';
import { bucketLock, lockConfigurationXml, parseLockConfiguration, retainUntil } from '../object-lock/settings.js';
import { readDocument } from '../payload.js';
import { bucketOf, emptyResponse, keyOf, requireBucket, xmlResponse, xmlTime, type S3Request } from '../request.js';
import { latestObject, objectVersion, type BucketRow, type ObjectRow } from '../tables/objects-table.js';

/** PutObjectLockConfiguration: turns Object Lock on (versioning must be Enabled) and sets the default retention. */
export async function putObjectLockConfiguration(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const lock = parseLockConfiguration(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES));
  if (bucket.versioning !== 'Enabled') throw errors.objectLockNeedsVersioning();
  await deps.db.updateTable('s3_buckets').set({ object_lock: JSON.stringify(lock) }).where('name', '=', bucket.name).execute();
  return emptyResponse(200);
}

export async function getObjectLockConfiguration(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const lock = bucketLock(bucket);
  if (!lock) throw errors.objectLockConfigurationNotFound(bucket.name);
  return xmlResponse('ObjectLockConfiguration', lockConfigurationXml(lock));
}

/** The version a retention or legal-hold request names, on a bucket with Object Lock. */
async function lockedVersion(deps: S3Deps, req: S3Request): Promise<{ bucket: BucketRow; row: ObjectRow }> {
  const bucket = await requireBucket(deps, bucketOf(req));
  if (!bucketLock(bucket)) throw errors.bucketMissingObjectLock();
  const key = keyOf(req);
  const versionId = req.ctx.query.get('versionId');
  const row = versionId !== null ? await objectVersion(deps.db, bucket.name, key, versionId) : await latestObject(deps.db, bucket.name, key);
  if (!row) throw versionId !== null ? errors.noSuchVersion(key, versionId) : errors.noSuchKey(key);
  if (row.is_delete_marker) throw versionId !== null ? errors.methodNotAllowed(req.ctx.method, 'DeleteMarker') : errors.noSuchKey(key);
  return { bucket, row };
}

function updateVersion(deps: S3Deps, row: ObjectRow, values: { lock_mode?: string | null; lock_until?: number | null; legal_hold?: number }) {
  return deps.db.updateTable('s3_objects').set(values).where('bucket', '=', row.bucket).where('key', '=', row.key).where('version_id', '=', row.version_id).execute();
}

/**
 * PutObjectRetention. Extending a retention is always allowed; shortening, removing it or changing
 * its mode is refused for COMPLIANCE and needs x-amz-bypass-governance-retention for GOVERNANCE.
 */
export async function putObjectRetention(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const { bucket, row } = await lockedVersion(deps, req);
  const bypass = await governanceBypass(deps, req, bucket.name, row.key);
  const root = parseXml(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES))?.Retention;
  if (root === undefined) throw errors.malformedXml();
  const fields = (typeof root === 'object' && root !== null ? root : {}) as Record<string, unknown>;
  const modeText = xmlText(fields.Mode);
  const untilText = xmlText(fields.RetainUntilDate);
  if ((modeText === undefined) !== (untilText === undefined)) throw errors.malformedXml();
  if (modeText !== undefined && modeText !== 'GOVERNANCE' && modeText !== 'COMPLIANCE') throw errors.malformedXml();
  const nowMs = deps.clock.now();
  const untilMs = untilText === undefined ? null : retainUntil(untilText, nowMs);
  const currentUntil = row.lock_until === null ? null : Number(row.lock_until);
  const active = row.lock_mode !== null && currentUntil !== null && currentUntil > nowMs;
  if (active) {
    const extendsSameMode = modeText === row.lock_mode && untilMs !== null && untilMs >= currentUntil!;
    if (!extendsSameMode && (row.lock_mode === 'COMPLIANCE' || !bypass)) throw errors.objectLocked();
  }
  await updateVersion(deps, row, { lock_mode: modeText ?? null, lock_until: untilMs });
  return emptyResponse(200);
}

export async function getObjectRetention(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const { row } = await lockedVersion(deps, req);
  if (row.lock_mode === null || row.lock_until === null) throw errors.noSuchObjectLockConfiguration();
  return xmlResponse('Retention', { Mode: row.lock_mode, RetainUntilDate: xmlTime(Number(row.lock_until)) });
}

export async function putObjectLegalHold(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const { row } = await lockedVersion(deps, req);
  const root = parseXml(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES))?.LegalHold as Record<string, unknown> | undefined;
  const status = root && typeof root === 'object' ? xmlText(root.Status) : undefined;
  if (status !== 'ON' && status !== 'OFF') throw errors.malformedXml();
  await updateVersion(deps, row, { legal_hold: status === 'ON' ? 1 : 0 });
  return emptyResponse(200);
}

export async function getObjectLegalHold(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const { row } = await lockedVersion(deps, req);
  if (row.legal_hold === null) throw errors.noSuchObjectLockConfiguration();
  return xmlResponse('LegalHold', { Status: row.legal_hold === 1 ? 'ON' : 'OFF' });
}
