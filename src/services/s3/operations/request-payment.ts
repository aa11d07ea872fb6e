import type { ServiceResponse } from '../../../contracts/request-context.js';
import { parseXml, xmlText } from '../../../protocols/rest-xml.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { MAX_XML_REQUEST_BYTES } from '../limits.js';
import { readDocument } from '../payload.js';
import { bucketOf, emptyResponse, requireBucket, xmlResponse, type S3Request } from '../request.js';

/** PutBucketRequestPayment: `Payer` Requester or BucketOwner. */
export async function putBucketRequestPayment(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const root = parseXml(await readDocument(req.ctx, MAX_XML_REQUEST_BYTES))?.RequestPaymentConfiguration as Record<string, unknown> | undefined;
  const payer = root && typeof root === 'object' ? xmlText(root.Payer) : undefined;
  if (payer !== 'Requester' && payer !== 'BucketOwner') throw errors.malformedXml();
  await deps.db.updateTable('s3_buckets').set({ requester_pays: payer === 'Requester' ? 1 : 0 }).where('name', '=', bucket.name).execute();
  return emptyResponse(200);
}

export async function getBucketRequestPayment(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  return xmlResponse('RequestPaymentConfiguration', { Payer: bucket.requester_pays ? 'Requester' : 'BucketOwner' });
}
