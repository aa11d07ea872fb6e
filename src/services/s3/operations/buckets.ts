import type { ServiceResponse } from '../../../contracts/request-context.js';
import { aclOfHeaders } from '../access/grantees.js';
import { isObjectOwnership } from '../access/ownership.js';
import { parseXml, xmlText } from '../../../protocols/rest-xml.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { BUCKET_NAME_MAX_CHARS, BUCKET_NAME_MIN_CHARS, MAX_XML_REQUEST_BYTES } from '../limits.js';
import { isLocationConstraint, regionOfConstraint } from '../location-constraints.js';
import { readDocument } from '../payload.js';
import { bucketOf, emptyResponse, header, requireBucket, S3_XMLNS, xmlResponse, xmlTime, type S3Request } from '../request.js';
import { ownerXml } from '../owner.js';
import { getBucket } from '../tables/objects-table.js';

/** S3's general-purpose bucket naming rules. */
export function isValidBucketName(name: string): boolean {
  if (name.length < BUCKET_NAME_MIN_CHARS || name.length > BUCKET_NAME_MAX_CHARS) return false;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return false;
  if (name.includes('..') || name.includes('.-') || name.includes('-.')) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return false;
  return !name.startsWith('xn--') && !name.startsWith('sthree-') && !name.endsWith('-s3alias') && !name.endsWith('--ol-s3');
}

export async function listBuckets(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const rows = await deps.db.selectFrom('s3_buckets').selectAll().where('account_id', '=', req.ctx.accountId).orderBy('name').execute();
  const prefix = req.ctx.query.get('prefix');
  const shown = prefix ? rows.filter((r) => r.name.startsWith(prefix)) : rows;
  return xmlResponse('ListAllMyBucketsResult', {
    Owner: ownerXml(req.ctx.accountId),
    Buckets: { Bucket: shown.map((r) => ({ Name: r.name, CreationDate: xmlTime(r.created_at), BucketRegion: r.region })) },
    ...(prefix ? { Prefix: prefix } : {}),
  });
}

export async function createBucket(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const name = bucketOf(req);
  if (!isValidBucketName(name)) throw errors.invalidBucketName(name);
  const text = await readDocument(req.ctx, MAX_XML_REQUEST_BYTES);
  let location: string | undefined;
  if (text.trim() !== '') {
    const doc = parseXml(text);
    const config = doc?.CreateBucketConfiguration;
    if (config === undefined) throw errors.malformedXml();
    location = typeof config === 'object' && config !== null ? xmlText((config as Record<string, unknown>).LocationConstraint) : undefined;
    if (location === '') location = undefined;
  }
  const lockEnabled = header(req, 'x-amz-bucket-object-lock-enabled')?.toLowerCase() === 'true';
  const requestRegion = req.ctx.region;
  if (location !== undefined && !isLocationConstraint(location)) throw errors.invalidLocationConstraint(location);
  const constrained = location === undefined ? undefined : regionOfConstraint(location);
  // us-east-1 answers for every region (the legacy global endpoint); another region only for itself.
  if (requestRegion !== 'us-east-1' && constrained !== requestRegion) throw errors.illegalLocationConstraint(location);
  const region = constrained ?? requestRegion;
  const acl = aclOfHeaders(req, { ownerAccount: req.ctx.accountId, region, method: req.ctx.method, resourceType: 'BUCKET' });
  const ownership = header(req, 'x-amz-object-ownership');
  if (ownership !== undefined && !isObjectOwnership(ownership)) throw errors.invalidObjectOwnership(ownership);
  if (ownership === 'BucketOwnerEnforced' && acl && acl.canned !== 'private' && acl.canned !== 'bucket-owner-full-control' && !(acl.canned === 'custom' && acl.grants.length === 0)) {
    throw errors.aclWithEnforcedOwnership();
  }
  const existing = await getBucket(deps.db, name);
  if (existing) {
    if (existing.account_id !== req.ctx.accountId) throw errors.bucketAlreadyExists(name);
    // S3 answers 200 in us-east-1 for a bucket the caller already owns there (a legacy behaviour).
    if (existing.region === 'us-east-1' && region === 'us-east-1') return emptyResponse(200, { location: `/${name}` });
    throw errors.bucketAlreadyOwnedByYou(name);
  }
  await deps.db
    .insertInto('s3_buckets')
    .values({ name, account_id: req.ctx.accountId, region, created_at: deps.clock.now(),
      // Object Lock needs versioning, so a bucket created with it is versioned from the start.
      versioning: lockEnabled ? 'Enabled' : null, object_lock: lockEnabled ? JSON.stringify({ enabled: true }) : null, tags: null, notification: null, logging: null, policy: null, acl: acl ? JSON.stringify(acl) : null, object_ownership: ownership ?? null })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return emptyResponse(200, { location: `/${name}` });
}

export async function headBucket(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  return emptyResponse(200, { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' });
}

export async function getBucketLocation(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const value = bucket.region === 'us-east-1' ? '' : bucket.region;
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_XMLNS}">${value}</LocationConstraint>`;
  return { status: 200, headers: { 'content-type': 'application/xml' }, body };
}

export async function deleteBucket(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const uploadFiles = await deps.db.transaction().execute(async (trx) => {
    const any = await trx.selectFrom('s3_objects').select('key').where('bucket', '=', bucket.name).limit(1).executeTakeFirst();
    if (any) throw errors.bucketNotEmpty(bucket.name);
    const uploads = await trx.selectFrom('s3_uploads').select('upload_id').where('bucket', '=', bucket.name).execute();
    const ids = uploads.map((u) => u.upload_id);
    const parts = ids.length > 0 ? await trx.selectFrom('s3_upload_parts').select('file_id').where('upload_id', 'in', ids).execute() : [];
    if (ids.length > 0) {
      await trx.deleteFrom('s3_upload_parts').where('upload_id', 'in', ids).execute();
      await trx.deleteFrom('s3_uploads').where('upload_id', 'in', ids).execute();
    }
    await trx.deleteFrom('s3_buckets').where('name', '=', bucket.name).execute();
    return parts.map((p) => p.file_id);
  });
  await deps.files.remove(uploadFiles);
  return emptyResponse(204);
}

export async function getBucketVersioning(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  return xmlResponse('VersioningConfiguration', bucket.versioning ? { Status: bucket.versioning } : {});
}

export async function putBucketVersioning(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const doc = parseXml(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES));
  const root = doc?.VersioningConfiguration;
  if (root === undefined) throw errors.malformedXml();
  const status = typeof root === 'object' && root !== null ? xmlText((root as Record<string, unknown>).Status) : undefined;
  if (status !== undefined && status !== 'Enabled' && status !== 'Suspended') throw errors.malformedXml();
  if (bucket.object_lock && status === 'Suspended') throw errors.objectLockVersioningFixed();
  const versioning = status ?? bucket.versioning;
  await deps.db.updateTable('s3_buckets').set({ versioning }).where('name', '=', bucket.name).execute();
  return emptyResponse(200);
}
