import { compilePolicy, PolicyDocumentError, type CompiledPolicy } from '../../auth/policy/document.js';
import { compileResourcePolicy, resourcePolicyDecision, type ResourcePolicyCaller } from '../../auth/policy/resource-policy.js';
import { errors } from './errors.js';
import type { Queue } from './queue.js';

/** The services whose deliveries a queue policy must allow; Lambda (DLQs, destinations) and schedules act with a role instead. */
const POLICY_CHECKED_SERVICES = new Set(['s3.amazonaws.com', 'sns.amazonaws.com', 'events.amazonaws.com']);

/** A Policy attribute as SQS takes it: a resource policy document, or empty to remove the policy. */
export function validateQueuePolicy(text: string): void {
  if (text === '') return;
  try {
    compilePolicy(text, 'resource');
  } catch (err) {
    if (err instanceof PolicyDocumentError) throw errors.invalidAttributeValueReason('Policy', err.message);
    throw err;
  }
}

/** What a policy check reads of a queue (a cluster node reads it from the store for queues it does not serve). */
export type QueuePolicyHolder = Pick<Queue, 'arn' | 'scope' | 'attributes'>;

const compiled = new WeakMap<QueuePolicyHolder, { text: string; policy: CompiledPolicy | null }>();

function policyOf(queue: QueuePolicyHolder): CompiledPolicy | null {
  const text = queue.attributes.Policy ?? '';
  const cached = compiled.get(queue);
  if (cached && cached.text === text) return cached.policy;
  const policy = compileResourcePolicy(text);
  compiled.set(queue, { text, policy });
  return policy;
}

/** Whether the queue's policy allows `caller` the SQS `action` (`sqs:SendMessage`, …) on it. */
export function queuePolicyAllows(queue: QueuePolicyHolder, caller: ResourcePolicyCaller, action: string): boolean {
  return resourcePolicyDecision(policyOf(queue), caller, action, queue.arn) === 'allow';
}

/**
 * Whether a message another service sends on someone's behalf may enter the queue: S3, SNS and
 * EventBridge need the queue policy to allow their service principal (with the source ARN and
 * account the policy's conditions see); any other sender from another account needs it to allow
 * that account. The queue owner's own account needs nothing.
 */
export function deliveryAllowed(queue: QueuePolicyHolder, sentBy: { principalService?: string; sourceArn?: string; accountId?: string } | undefined): boolean {
  if (!sentBy) return true;
  if (sentBy.principalService && POLICY_CHECKED_SERVICES.has(sentBy.principalService)) {
    return queuePolicyAllows(queue, { service: sentBy.principalService, sourceArn: sentBy.sourceArn, sourceAccount: sentBy.accountId }, 'sqs:SendMessage');
  }
  if (sentBy.accountId === undefined || sentBy.accountId === queue.scope.accountId) return true;
  return queuePolicyAllows(queue, { accountId: sentBy.accountId, arn: `arn:aws:iam::${sentBy.accountId}:root` }, 'sqs:SendMessage');
}
