import { evaluate } from '../../../auth/policy/evaluate.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import type { S3Request } from '../request.js';
import type { BucketRow } from '../tables/objects-table.js';
import { ALL_USERS, AUTHENTICATED_USERS } from './acl.js';
import { aclAllows, isPublicPolicy } from './anonymous.js';
import { callerOf, policyFor, requestKeys } from './policy-statements.js';
import { storedBlock } from './public-access-block.js';

/**
 * Operations only the bucket owner's account may take, whatever a policy grants: S3 answers 405
 * MethodNotAllowed to another account a policy lets through (the bucket-policy operations' docs).
 */
const OWNER_ONLY = new Set(['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy']);

/**
 * A signed request for a bucket of another account. The bucket policy's statements naming the
 * caller (its account, its ARN, `*`) decide first: an explicit Deny refuses, an Allow lets it in
 * (unless Block Public Access restricts a public policy to the owner). Otherwise an ACL grant to
 * the caller's account (its canonical user), AuthenticatedUsers or AllUsers can. Anything else is S3's 403 `Access Denied`.
 * Returns normally when the bucket lets the caller in; the caller's own IAM policies are then
 * asked as well (ctx.authorize with `grantedByResourcePolicy`).
 */
export async function authorizeCrossAccount(deps: S3Deps, req: S3Request, bucket: BucketRow, operation: string, action: string, resource: string): Promise<void> {
  const caller = callerOf(req.ctx.principal, req.ctx.accountId);
  const block = storedBlock(bucket.public_access_block);
  let allowed = false;
  if (bucket.policy) {
    const policy = policyFor(bucket.policy, caller);
    const decision = evaluate([policy], action, resource, requestKeys(req, deps.clock.now(), caller));
    if (decision === 'explicit-deny') throw errors.accessDenied();
    // RestrictPublicBuckets keeps a public bucket to its owner's account and AWS services.
    allowed = decision === 'allow' && !(block?.RestrictPublicBuckets && isPublicPolicy(bucket.policy));
  }
  if (!allowed) {
    // A grant to the caller's account is not public, so IgnorePublicAcls leaves it standing.
    const groups = block?.IgnorePublicAcls ? [] : [ALL_USERS, AUTHENTICATED_USERS];
    allowed = await aclAllows(deps, req, bucket, operation, groups, caller.kind === 'signed' ? caller.accountId : undefined);
  }
  if (!allowed) throw errors.accessDenied();
  if (OWNER_ONLY.has(operation)) throw errors.methodNotAllowed(req.ctx.method, 'BUCKET');
}

/**
 * For another service reading a bucket of another account in-process on a caller's behalf (Lambda's
 * code from S3, as AWS fetches it with the caller's credentials): whether the bucket policy lets
 * that account take `action` on `resource` (an explicit Deny wins; RestrictPublicBuckets keeps a
 * public policy to the owner).
 */
export function bucketPolicyAllowsAccount(bucket: BucketRow, accountId: string, action: string, resource: string, nowMs: number): boolean {
  if (!bucket.policy) return false;
  if (storedBlock(bucket.public_access_block)?.RestrictPublicBuckets && isPublicPolicy(bucket.policy)) return false;
  const caller = callerOf(undefined, accountId);
  const keys = new Map<string, string | string[]>([
    ['aws:PrincipalAccount', accountId],
    ['aws:PrincipalArn', `arn:aws:iam::${accountId}:root`],
    ['aws:CurrentTime', new Date(nowMs).toISOString()],
    ['aws:EpochTime', String(Math.floor(nowMs / 1000))],
    ['aws:SecureTransport', 'true'],
  ]);
  try {
    return evaluate([policyFor(bucket.policy, caller)], action, resource, keys) === 'allow';
  } catch {
    return false;
  }
}
