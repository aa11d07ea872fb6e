import type { ServiceResponse } from '../../../contracts/request-context.js';
import { parseXml, xmlText } from '../../../protocols/rest-xml.js';
import { aclXml, isPublicAcl, parseAcl, type Grant, type Permission, type StoredAcl } from '../access/acl.js';
import { aclOfHeaders, grantOf, type GrantContext } from '../access/grantees.js';
import { parsePublicAccessBlock, publicAccessBlockXml, storedBlock } from '../access/public-access-block.js';
import { checkAclWritable } from '../access/ownership.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_XML_REQUEST_BYTES } from '../limits.js';
import { readDocument } from '../payload.js';
import { bucketOf, emptyResponse, keyOf, requireBucket, xmlResponse, type S3Request } from '../request.js';
import { latestObject, objectVersion, type BucketRow, type ObjectRow } from '../tables/objects-table.js';

const PERMISSIONS = new Set<Permission>(['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP']);

/**
 * An ACL a request would set: refused on a bucket whose ownership controls turn ACLs off, and a
 * public one refused under BlockPublicAcls.
 */
export function checkAclAllowed(bucket: BucketRow, acl: StoredAcl | undefined): void {
  checkAclWritable(bucket, acl);
  if (acl && isPublicAcl(acl) && storedBlock(bucket.public_access_block)?.BlockPublicAcls) throw errors.accessDenied();
}

/**
 * The ACL a Put*Acl request gives: in headers (`x-amz-acl` or `x-amz-grant-*`), or as an
 * `<AccessControlPolicy>` body, not both. Grants to groups and to other accounts' canonical users
 * are kept; those naming the owner add nothing to its FULL_CONTROL.
 */
async function requestedAcl(req: S3Request, ctx: GrantContext): Promise<StoredAcl> {
  const fromHeaders = aclOfHeaders(req, ctx);
  const text = await readDocument(req.ctx, MAX_XML_REQUEST_BYTES);
  if (fromHeaders) {
    if (text.trim() !== '') throw errors.unexpectedContent();
    return fromHeaders;
  }
  const doc = parseXml(text, ['Grant']);
  const root = doc?.AccessControlPolicy as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') throw errors.malformedAclError();
  const list = (root.AccessControlList ?? {}) as Record<string, unknown>;
  const grants: Grant[] = [];
  for (const g of (list.Grant as Array<Record<string, unknown>> | undefined) ?? []) {
    const permission = xmlText(g.Permission) as Permission;
    if (!PERMISSIONS.has(permission)) throw errors.malformedAclError();
    const grantee = (g.Grantee ?? {}) as Record<string, unknown>;
    const uri = xmlText(grantee.URI);
    const id = xmlText(grantee.ID);
    const email = xmlText(grantee.EmailAddress);
    const grant = uri !== undefined ? grantOf('uri', uri, permission, ctx)
      : id !== undefined ? grantOf('id', id, permission, ctx)
      : email !== undefined ? grantOf('emailAddress', email, permission, ctx)
      : undefined;
    if (grant) grants.push(grant);
  }
  return { canned: 'custom', grants };
}

/** What grantee checks need of the request and its bucket. */
export function grantContext(req: S3Request, bucket: BucketRow, resourceType: 'BUCKET' | 'OBJECT'): GrantContext {
  return { ownerAccount: bucket.account_id, region: bucket.region, method: req.ctx.method, resourceType };
}

async function aclObject(deps: S3Deps, req: S3Request): Promise<{ bucket: BucketRow; row: ObjectRow }> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const key = keyOf(req);
  const versionId = req.ctx.query.get('versionId');
  const row = versionId !== null ? await objectVersion(deps.db, bucket.name, key, versionId) : await latestObject(deps.db, bucket.name, key);
  if (!row) throw versionId !== null ? errors.noSuchVersion(key, versionId) : errors.noSuchKey(key);
  if (row.is_delete_marker) throw versionId !== null ? errors.methodNotAllowed(req.ctx.method, 'DeleteMarker') : errors.noSuchKey(key);
  return { bucket, row };
}

export async function putBucketAcl(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const acl = await requestedAcl(req, grantContext(req, bucket, 'BUCKET'));
  checkAclAllowed(bucket, acl);
  await deps.db.updateTable('s3_buckets').set({ acl: JSON.stringify(acl) }).where('name', '=', bucket.name).execute();
  return emptyResponse(200);
}

export async function getBucketAcl(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  return xmlResponse('AccessControlPolicy', aclXml(parseAcl(bucket.acl), bucket.account_id));
}

export async function putObjectAcl(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const { bucket, row } = await aclObject(deps, req);
  const acl = await requestedAcl(req, grantContext(req, bucket, 'OBJECT'));
  checkAclAllowed(bucket, acl);
  await deps.db
    .updateTable('s3_objects')
    .set({ acl: JSON.stringify(acl) })
    .where('bucket', '=', bucket.name)
    .where('key', '=', row.key)
    .where('version_id', '=', row.version_id)
    .execute();
  return emptyResponse(200, bucket.versioning ? { 'x-amz-version-id': row.version_id } : {});
}

export async function getObjectAcl(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const { bucket, row } = await aclObject(deps, req);
  return xmlResponse('AccessControlPolicy', aclXml(parseAcl(row.acl), bucket.account_id), bucket.versioning ? { 'x-amz-version-id': row.version_id } : {});
}

export async function putPublicAccessBlock(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const block = parsePublicAccessBlock(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES));
  await deps.db.updateTable('s3_buckets').set({ public_access_block: JSON.stringify(block) }).where('name', '=', bucket.name).execute();
  return emptyResponse(200);
}

export async function getPublicAccessBlock(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const block = storedBlock(bucket.public_access_block);
  if (!block) throw errors.noSuchPublicAccessBlockConfiguration(bucket.name);
  return xmlResponse('PublicAccessBlockConfiguration', publicAccessBlockXml(block));
}

/** DeletePublicAccessBlock: 204 whether or not the bucket had one. */
export async function deletePublicAccessBlock(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  await deps.db.updateTable('s3_buckets').set({ public_access_block: null }).where('name', '=', bucket.name).execute();
  return emptyResponse(204);
}
