import type { ServiceResponse } from '../../../contracts/request-context.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_XML_REQUEST_BYTES } from '../limits.js';
import { readDocument } from '../payload.js';
import { bucketOf, emptyResponse, requireBucket, xmlResponse, type S3Request } from '../request.js';
import { parseWebsiteConfiguration, storedWebsite, websiteConfigurationXml } from '../website/config.js';

/** PutBucketWebsite: replaces the bucket's website configuration; the website endpoint reads it. */
export async function putBucketWebsite(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const config = parseWebsiteConfiguration(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES));
  await deps.db.updateTable('s3_buckets').set({ website: JSON.stringify(config) }).where('name', '=', bucket.name).execute();
  return emptyResponse(200);
}

export async function getBucketWebsite(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const config = storedWebsite(bucket.website);
  if (!config) throw errors.noSuchWebsiteConfiguration(bucket.name);
  return xmlResponse('WebsiteConfiguration', websiteConfigurationXml(config));
}

/** DeleteBucketWebsite: 204 whether or not the bucket was a website. */
export async function deleteBucketWebsite(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  await deps.db.updateTable('s3_buckets').set({ website: null }).where('name', '=', bucket.name).execute();
  return emptyResponse(204);
}
