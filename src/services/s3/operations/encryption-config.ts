import type { ServiceResponse } from '../../../contracts/request-context.js';
import type { S3Deps } from '../deps.js';
import { bucketEncryption, encryptionConfigurationXml, parseEncryptionConfiguration } from '../encryption.js';
import { MAX_XML_REQUEST_BYTES } from '../limits.js';
import { readDocument } from '../payload.js';
import { bucketOf, emptyResponse, requireBucket, xmlResponse, type S3Request } from '../request.js';

/** PutBucketEncryption: the default every write without its own SSE headers gets. */
export async function putBucketEncryption(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const setting = parseEncryptionConfiguration(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES));
  await deps.db.updateTable('s3_buckets').set({ encryption: JSON.stringify(setting) }).where('name', '=', bucket.name).execute();
  return emptyResponse(200);
}

/** GetBucketEncryption: every bucket has one — SSE-S3 until another is put, as on AWS since 2023. */
export async function getBucketEncryption(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  return xmlResponse('ServerSideEncryptionConfiguration', encryptionConfigurationXml(bucketEncryption(bucket)));
}

/** DeleteBucketEncryption: 204, back to SSE-S3. */
export async function deleteBucketEncryption(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  await deps.db.updateTable('s3_buckets').set({ encryption: null }).where('name', '=', bucket.name).execute();
  return emptyResponse(204);
}
