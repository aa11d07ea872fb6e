import type { ServiceResponse } from '../../../contracts/request-context.js';
import { corsRulesOf } from '../cors/answer.js';
import { corsConfigurationXml, parseCorsConfiguration } from '../cors/rules.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_XML_REQUEST_BYTES } from '../limits.js';
import { readDocument } from '../payload.js';
import { bucketOf, emptyResponse, requireBucket, xmlResponse, type S3Request } from '../request.js';

/** PutBucketCors: replaces the bucket's rules. */
export async function putBucketCors(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const rules = parseCorsConfiguration(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES));
  await deps.db.updateTable('s3_buckets').set({ cors: JSON.stringify(rules) }).where('name', '=', bucket.name).execute();
  return emptyResponse(200);
}

export async function getBucketCors(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const rules = corsRulesOf(bucket);
  if (rules.length === 0) throw errors.noSuchCorsConfiguration(bucket.name);
  return xmlResponse('CORSConfiguration', corsConfigurationXml(rules));
}

/** DeleteBucketCors: 204 whether or not the bucket had rules. */
export async function deleteBucketCors(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  await deps.db.updateTable('s3_buckets').set({ cors: null }).where('name', '=', bucket.name).execute();
  return emptyResponse(204);
}
