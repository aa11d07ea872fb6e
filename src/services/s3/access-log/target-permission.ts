import { grantsTo, LOG_DELIVERY, parseAcl } from '../access/acl.js';
import { aclsDisabled } from '../access/ownership.js';
import { bucketPolicyOnService } from '../access/service-principal.js';
import type { BucketRow } from '../tables/objects-table.js';

export const LOGGING_SERVICE = 'logging.s3.amazonaws.com';

/**
 * Whether S3's log delivery may write `key` into the target bucket, as the User Guide's "Permissions
 * for log delivery" has it: the target's bucket policy allows `logging.s3.amazonaws.com`
 * `s3:PutObject` (its conditions see the source bucket as `aws:SourceArn` and its account as
 * `aws:SourceAccount`), or, on a target whose ACLs are on, the LogDelivery group has WRITE. An
 * explicit Deny wins. Otherwise the logs are not delivered, and AWS says nothing about it.
 */
export function logDeliveryAllowed(target: Pick<BucketRow, 'name' | 'policy' | 'acl' | 'object_ownership'>, source: { bucket: string; accountId: string }, key: string): boolean {
  const decision = bucketPolicyOnService(
    target,
    { service: LOGGING_SERVICE, sourceArn: `arn:aws:s3:::${source.bucket}`, sourceAccount: source.accountId },
    's3:PutObject',
    `arn:aws:s3:::${target.name}/${key}`,
  );
  if (decision !== 'implicit-deny') return decision === 'allow';
  return !aclsDisabled(target) && grantsTo(parseAcl(target.acl), [LOG_DELIVERY], 'WRITE');
}
