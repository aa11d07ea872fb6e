import type { ServiceResponse } from '../../../contracts/request-context.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { lifecycleConfigurationXml, parseLifecycleConfiguration, type LifecycleRule } from '../lifecycle/rules.js';
import { MAX_XML_REQUEST_BYTES } from '../limits.js';
import { readDocument } from '../payload.js';
import { bucketOf, emptyResponse, requireBucket, xmlResponse, type S3Request } from '../request.js';
import { parseJson } from '../tables/objects-table.js';

/** PutBucketLifecycleConfiguration: replaces the bucket's rules; the sweep applies them. */
export async function putBucketLifecycleConfiguration(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const rules = parseLifecycleConfiguration(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES));
  await deps.db.updateTable('s3_buckets').set({ lifecycle: JSON.stringify(rules) }).where('name', '=', bucket.name).execute();
  return emptyResponse(200, { 'x-amz-transition-default-minimum-object-size': 'all_storage_classes_128K' });
}

export async function getBucketLifecycleConfiguration(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const rules = parseJson<LifecycleRule[]>(bucket.lifecycle, []);
  if (rules.length === 0) throw errors.noSuchLifecycleConfiguration(bucket.name);
  return xmlResponse('LifecycleConfiguration', lifecycleConfigurationXml(rules), { 'x-amz-transition-default-minimum-object-size': 'all_storage_classes_128K' });
}

/** DeleteBucketLifecycle: 204 whether or not the bucket had rules. */
export async function deleteBucketLifecycle(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  await deps.db.updateTable('s3_buckets').set({ lifecycle: null }).where('name', '=', bucket.name).execute();
  return emptyResponse(204);
}
