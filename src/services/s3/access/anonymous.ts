import type { CompiledPolicy } from '../../../auth/policy/document.js';
import { evaluate } from '../../../auth/policy/evaluate.js';
import type { S3Deps } from '../deps.js';
import { errors } from '../errors.js';
import { s3Action } from '../iam-actions.js';
import type { S3Request } from '../request.js';
import { getBucket, latestObject, objectVersion, type BucketRow } from '../tables/objects-table.js';
import { ALL_USERS, grantsTo, parseAcl, type Permission } from './acl.js';
import { policyFor, requestKeys, type PolicyCaller } from './policy-statements.js';
import { aclsDisabled } from './ownership.js';
import { storedBlock } from './public-access-block.js';

const ANONYMOUS: PolicyCaller = { kind: 'anonymous' };

/** What an ACL grant must give for an operation, and whether the bucket's or the object's ACL decides. */
const ACL_PERMISSION: Record<string, { on: 'bucket' | 'object'; permission: Permission }> = {
  GetObject: { on: 'object', permission: 'READ' },
  HeadObject: { on: 'object', permission: 'READ' },
  GetObjectAttributes: { on: 'object', permission: 'READ' },
  GetObjectAcl: { on: 'object', permission: 'READ_ACP' },
  PutObjectAcl: { on: 'object', permission: 'WRITE_ACP' },
  ListObjects: { on: 'bucket', permission: 'READ' },
  ListObjectsV2: { on: 'bucket', permission: 'READ' },
  ListObjectVersions: { on: 'bucket', permission: 'READ' },
  ListMultipartUploads: { on: 'bucket', permission: 'READ' },
  HeadBucket: { on: 'bucket', permission: 'READ' },
  GetBucketAcl: { on: 'bucket', permission: 'READ_ACP' },
  PutBucketAcl: { on: 'bucket', permission: 'WRITE_ACP' },
  // Writes need WRITE on the bucket (copies also read a source, so only a policy allows those).
  PutObject: { on: 'bucket', permission: 'WRITE' },
  DeleteObject: { on: 'bucket', permission: 'WRITE' },
  DeleteObjects: { on: 'bucket', permission: 'WRITE' },
  CreateMultipartUpload: { on: 'bucket', permission: 'WRITE' },
  UploadPart: { on: 'bucket', permission: 'WRITE' },
  CompleteMultipartUpload: { on: 'bucket', permission: 'WRITE' },
  AbortMultipartUpload: { on: 'bucket', permission: 'WRITE' },
};

/** The statements of a bucket policy that speak to anonymous callers. */
export function anonymousPolicy(text: string): CompiledPolicy {
  return policyFor(text, ANONYMOUS);
}

/** A policy is public when it allows everyone something (conditions aside, which S3 weighs more finely). */
export function isPublicPolicy(text: string): boolean {
  try {
    return anonymousPolicy(text).statements.some((s) => s.effect === 'Allow' && !s.principal?.hasOwnProperty('NotPrincipal'));
  } catch {
    return false;
  }
}

/**
 * An unsigned request, as S3 judges it: the bucket policy's statements for `*` (an explicit deny
 * wins; an allow lets it in unless Block Public Access restricts public buckets), then public ACL
 * grants (unless Block Public Access ignores them). Anything else is `Access Denied`.
 */
export async function authorizeAnonymous(deps: S3Deps, req: S3Request, operation: string): Promise<void> {
  if (req.bucket === null) throw errors.accessDenied();
  const bucket = await getBucket(deps.db, req.bucket);
  if (!bucket) throw errors.noSuchBucket(req.bucket);
  // Nobody pays for an anonymous request, so a requester-pays bucket refuses them all.
  if (bucket.requester_pays) throw errors.accessDenied();
  const block = storedBlock(bucket.public_access_block);
  if (bucket.policy) {
    const resource = req.key === null ? `arn:aws:s3:::${bucket.name}` : `arn:aws:s3:::${bucket.name}/${req.key}`;
    const decision = evaluate([anonymousPolicy(bucket.policy)], s3Action(operation), resource, requestKeys(req, deps.clock.now(), ANONYMOUS));
    if (decision === 'explicit-deny') throw errors.accessDenied();
    if (decision === 'allow' && !block?.RestrictPublicBuckets) return;
  }
  if (!block?.IgnorePublicAcls && (await aclAllows(deps, req, bucket, operation, [ALL_USERS]))) return;
  throw errors.accessDenied();
}

/** Whether the bucket's or object's ACL grants one of `groups` (or the caller's account) what the operation needs. */
export async function aclAllows(deps: S3Deps, req: S3Request, bucket: BucketRow, operation: string, groups: readonly string[], accountId?: string): Promise<boolean> {
  const needed = ACL_PERMISSION[operation];
  if (!needed || aclsDisabled(bucket)) return false;
  if (needed.on === 'bucket') return grantsTo(parseAcl(bucket.acl), groups, needed.permission, accountId);
  const versionId = req.ctx.query.get('versionId');
  const key = req.key ?? '';
  const row = versionId !== null ? await objectVersion(deps.db, bucket.name, key, versionId) : await latestObject(deps.db, bucket.name, key);
  return row !== undefined && row.is_delete_marker === 0 && grantsTo(parseAcl(row.acl), groups, needed.permission, accountId);
}
