import type { ServiceResponse } from '../../../contracts/request-context.js';
import { parseXml, xmlText } from '../../../protocols/rest-xml.js';
import { isObjectOwnership } from '../access/ownership.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_XML_REQUEST_BYTES } from '../limits.js';
import { readDocument } from '../payload.js';
import { bucketOf, emptyResponse, requireBucket, xmlResponse, type S3Request } from '../request.js';

/** PutBucketOwnershipControls: one rule naming the bucket's ObjectOwnership. */
export async function putBucketOwnershipControls(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const root = parseXml(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES), ['Rule'])?.OwnershipControls as Record<string, unknown> | undefined;
  const rules = root && typeof root === 'object' ? (root.Rule as Array<Record<string, unknown>> | undefined) : undefined;
  if (!rules || rules.length !== 1 || typeof rules[0] !== 'object') throw errors.malformedXml();
  const ownership = xmlText(rules[0]!.ObjectOwnership);
  if (ownership === undefined || !isObjectOwnership(ownership)) throw errors.malformedXml();
  await deps.db.updateTable('s3_buckets').set({ object_ownership: ownership }).where('name', '=', bucket.name).execute();
  return emptyResponse(200);
}

export async function getBucketOwnershipControls(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  if (!bucket.object_ownership) throw errors.ownershipControlsNotFound(bucket.name);
  return xmlResponse('OwnershipControls', { Rule: { ObjectOwnership: bucket.object_ownership } });
}

/** DeleteBucketOwnershipControls: 204, the bucket back to having none. */
export async function deleteBucketOwnershipControls(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  await deps.db.updateTable('s3_buckets').set({ object_ownership: null }).where('name', '=', bucket.name).execute();
  return emptyResponse(204);
}
