import type { Decision } from '../../../auth/policy/evaluate.js';
import { compileResourcePolicy, resourcePolicyDecision } from '../../../auth/policy/resource-policy.js';
import type { BucketRow } from '../tables/objects-table.js';

/** An AWS service writing into a bucket on behalf of a resource (`logging.s3.amazonaws.com` for a source bucket). */
export interface ServiceCaller {
  service: string;
  sourceArn: string;
  sourceAccount: string;
}

/**
 * The bucket policy's verdict on a service principal taking `action` on `resource`: statements
 * naming the service (or `*`), with `aws:SourceArn`, `aws:SourceAccount` and
 * `aws:PrincipalServiceName` for their conditions. No policy is an implicit deny.
 */
export function bucketPolicyOnService(bucket: Pick<BucketRow, 'policy'>, caller: ServiceCaller, action: string, resource: string): Decision {
  return resourcePolicyDecision(compileResourcePolicy(bucket.policy), caller, action, resource);
}
