import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { s3Action } from '../iam-actions.js';
import { header, type S3Request } from '../request.js';
import { getBucket } from '../tables/objects-table.js';
import { authorizeCrossAccount } from './cross-account.js';

/**
 * Decides a signed S3 request. Bucket ARNs name no account, so the bucket's owner is looked up:
 * for the owner's account the caller's IAM policies decide (the bucket policy is not evaluated for
 * them, so the CDK's `aws:SecureTransport` deny does not refuse Lambkin's plain-HTTP endpoint);
 * a bucket of another account must let the caller in first (access/cross-account.ts), and then
 * the caller's IAM policies must allow it too, as on AWS.
 */
export async function authorizeS3(deps: S3Deps, req: S3Request, operation: string): Promise<{ requestCharged: boolean }> {
  const authorize = req.ctx.authorize;
  const action = s3Action(operation);
  const free = { requestCharged: false };
  if (req.bucket === null) {
    authorize?.(action, '*', req.ctx.accountId);
    return free;
  }
  const bucket = await getBucket(deps.db, req.bucket);
  const expectedOwner = header(req, 'x-amz-expected-bucket-owner');
  if (bucket && expectedOwner !== undefined && expectedOwner !== bucket.account_id) throw errors.accessDenied();
  const resource = req.key === null ? `arn:aws:s3:::${req.bucket}` : `arn:aws:s3:::${req.bucket}/${req.key}`;
  // CreateBucket on a taken name answers BucketAlreadyExists, whoever owns it.
  if (!bucket || bucket.account_id === req.ctx.accountId || operation === 'CreateBucket') {
    authorize?.(action, resource, req.ctx.accountId);
    return free;
  }
  await authorizeCrossAccount(deps, req, bucket, operation, action, resource);
  authorize?.(action, resource, bucket.account_id, true);
  // A requester-pays bucket serves other accounts only when they say they will pay.
  if (!bucket.requester_pays) return free;
  if (header(req, 'x-amz-request-payer')?.toLowerCase() !== 'requester') throw errors.accessDenied();
  return { requestCharged: true };
}
