import type { ServiceResponse } from '../../../contracts/request-context.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { bucketOf, keyOf, requireBucket, type S3Request } from '../request.js';
import { latestObject } from '../tables/objects-table.js';

/**
 * SelectObjectContent. AWS closed S3 Select to new customers in July 2024 and answers an account
 * that never used it as here; Lambkin accounts are new accounts. The bucket and key are checked
 * first, as for any object request.
 */
export async function selectObjectContent(deps: S3Deps, req: S3Request): Promise<ServiceResponse> {
  const bucket = await requireBucket(deps, bucketOf(req));
  const row = await latestObject(deps.db, bucket.name, keyOf(req));
  if (!row || row.is_delete_marker) throw errors.noSuchKey(keyOf(req));
  throw errors.selectNotAvailable();
}
