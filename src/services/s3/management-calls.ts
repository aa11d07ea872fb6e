import type { ManagementCall } from '../../contracts/management-events.js';
import type { RequestContext } from '../../contracts/request-context.js';
import { operationFor } from './dispatch.js';
import { locate } from './routing.js';

/** CloudTrail's names where they differ from the API's (S3 records the older REST names). */
const CLOUDTRAIL_NAME: Record<string, string> = { PutBucketNotificationConfiguration: 'PutBucketNotification' };

/**
 * The management event of a bucket-level write (CreateBucket, DeleteBucket, PutBucketPolicy …).
 * Object calls are CloudTrail data events, which go to EventBridge only through a trail: none here.
 */
export function s3ManagementCall(ctx: RequestContext): ManagementCall | null {
  if (ctx.method !== 'PUT' && ctx.method !== 'DELETE') return null;
  const req = locate(ctx);
  if (req.bucket === null || req.key !== null) return null;
  const name = operationFor(req).name;
  const subresources = Object.fromEntries([...ctx.query.keys()].map((key) => [key, '']));
  return {
    eventSource: 's3.amazonaws.com',
    eventName: CLOUDTRAIL_NAME[name] ?? name,
    requestParameters: { bucketName: req.bucket, Host: String(ctx.headers.host ?? ''), ...subresources },
    responseElements: null,
  };
}
