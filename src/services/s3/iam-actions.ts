import type { S3Deps } from './deps.js';
import type { S3Request } from './request.js';

/** Operations whose IAM action is not `s3:<operation>` (AWS's service authorization reference). */
const ACTION_OF: Record<string, string> = {
  ListBuckets: 's3:ListAllMyBuckets',
  HeadBucket: 's3:ListBucket',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  ListParts: 's3:ListMultipartUploadParts',
  HeadObject: 's3:GetObject',
  CopyObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  UploadPartCopy: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  DeleteObjects: 's3:DeleteObject',
  DeleteBucketTagging: 's3:PutBucketTagging',
  PutBucketNotificationConfiguration: 's3:PutBucketNotification',
  GetBucketNotificationConfiguration: 's3:GetBucketNotification',
  PostObject: 's3:PutObject',
  SelectObjectContent: 's3:GetObject',
};

/**
 * Asks the caller's policies about an S3 request. Bucket ARNs name no account, so the bucket's
 * owner is looked up: a bucket of another account is refused to callers held to policies.
 */
export async function authorizeS3(deps: S3Deps, req: S3Request, operation: string): Promise<void> {
  const authorize = req.ctx.authorize;
  if (!authorize) return;
  const action = ACTION_OF[operation] ?? `s3:${operation}`;
  if (req.bucket === null) return authorize(action, '*', req.ctx.accountId);
  const bucket = await deps.db.selectFrom('s3_buckets').select('account_id').where('name', '=', req.bucket).executeTakeFirst();
  const owner = bucket?.account_id ?? req.ctx.accountId;
  const resource = req.key === null ? `arn:aws:s3:::${req.bucket}` : `arn:aws:s3:::${req.bucket}/${req.key}`;
  authorize(action, resource, owner);
}
