import type { SentBy } from '../../contracts/delivery-sinks.js';
import { compileResourcePolicy, resourcePolicyDecision, type ResourcePolicyCaller } from '../../auth/policy/resource-policy.js';
import type { CompiledPolicy } from '../../auth/policy/document.js';
import type { Topic } from './tables/topics-table.js';
import { defaultTopicPolicy } from './topic-attributes.js';

/**
 * The services whose publishes a topic policy must allow. CloudWatch alarms publish to a topic of
 * their own account under the default policy (AWS documents no statement for that); from another
 * account they need one like the others. Lambda destinations act with the function's role.
 */
const POLICY_CHECKED_SERVICES = new Set(['s3.amazonaws.com', 'events.amazonaws.com']);
const SAME_ACCOUNT_SERVICES = new Set(['cloudwatch.amazonaws.com']);

const compiled = new Map<string, { text: string; policy: CompiledPolicy | null }>();

/** The topic's policy, or the default one AWS gives a topic (its owner account only). */
function policyOf(topic: Topic): CompiledPolicy | null {
  const text = topic.attributes.Policy || defaultTopicPolicy(topic.arn, topic.accountId);
  const cached = compiled.get(topic.arn);
  if (cached && cached.text === text) return cached.policy;
  const policy = compileResourcePolicy(text);
  compiled.set(topic.arn, { text, policy });
  return policy;
}

/** Whether the topic's policy allows `caller` the SNS `action` (`SNS:Publish`, …) on it. */
export function topicPolicyAllows(topic: Topic, caller: ResourcePolicyCaller, action: string): boolean {
  return resourcePolicyDecision(policyOf(topic), caller, action, topic.arn) === 'allow';
}

/** Whether a message another service sends on someone's behalf may be published to the topic. */
export function publishAllowed(topic: Topic, sentBy: SentBy | undefined): boolean {
  if (!sentBy) return true;
  const service = sentBy.principalService;
  const sameAccount = sentBy.accountId === undefined || sentBy.accountId === topic.accountId;
  if (service && (POLICY_CHECKED_SERVICES.has(service) || (SAME_ACCOUNT_SERVICES.has(service) && !sameAccount))) {
    return topicPolicyAllows(topic, { service, sourceArn: sentBy.sourceArn, sourceAccount: sentBy.accountId }, 'sns:Publish');
  }
  if (service || sameAccount) return true;
  return topicPolicyAllows(topic, { accountId: sentBy.accountId, arn: `arn:aws:iam::${sentBy.accountId}:root` }, 'sns:Publish');
}
