import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { bucketLock, bypassesGovernance } from '../object-lock/settings.js';
import type { S3Request } from '../request.js';
import { getBucket } from '../tables/objects-table.js';
import { authorizeCrossAccount } from './cross-account.js';

const BYPASS_ACTION = 's3:BypassGovernanceRetention';

/**
 * Whether the request's `x-amz-bypass-governance-retention: true` takes effect on `key`. The caller
 * must be allowed s3:BypassGovernanceRetention on the object: an account's own keys always are, an
 * IAM user's or role's policies decide (and, from another account, the bucket policy first; ACLs
 * grant no bypass). S3 checks the permission whenever the header is sent to a bucket with Object
 * Lock, whether or not the version is locked, and refuses with 403 `Access Denied`.
 */
export async function governanceBypass(deps: S3Deps, req: S3Request, bucketName: string, key: string): Promise<boolean> {
  if (!bypassesGovernance(req)) return false;
  const bucket = await getBucket(deps.db, bucketName);
  if (!bucket || !bucketLock(bucket)) return false;
  if (req.ctx.unauthenticated) throw errors.accessDenied();
  const resource = `arn:aws:s3:::${bucket.name}/${key}`;
  if (bucket.account_id === req.ctx.accountId) {
    req.ctx.authorize?.(BYPASS_ACTION, resource, bucket.account_id);
    return true;
  }
  await authorizeCrossAccount(deps, req, bucket, 'BypassGovernanceRetention', BYPASS_ACTION, resource);
  req.ctx.authorize?.(BYPASS_ACTION, resource, bucket.account_id, true);
  return true;
}
