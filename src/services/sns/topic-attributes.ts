import { snsErrors } from './errors.js';
import type { Topic } from './tables/topics-table.js';

const FEEDBACK_PROTOCOLS = ['HTTP', 'Firehose', 'Lambda', 'SQS', 'Application'];
const FEEDBACK_SUFFIXES = ['SuccessFeedbackRoleArn', 'SuccessFeedbackSampleRate', 'FailureFeedbackRoleArn'];

/** Attributes SetTopicAttributes accepts; CreateTopic also takes `FifoTopic`. */
export const SETTABLE_TOPIC_ATTRIBUTES = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'TracingConfig',
  'KmsMasterKeyId',
  'SignatureVersion',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'FifoThroughputScope',
  'DataProtectionPolicy',
  ...FEEDBACK_PROTOCOLS.flatMap((p) => FEEDBACK_SUFFIXES.map((s) => `${p}${s}`)),
]);

const DEFAULT_HTTP_POLICY = {
  defaultHealthyRetryPolicy: {
    minDelayTarget: 20,
    maxDelayTarget: 20,
    numRetries: 3,
    numMaxDelayRetries: 0,
    numNoDelayRetries: 0,
    numMinDelayRetries: 0,
    backoffFunction: 'linear',
  },
  disableSubscriptionOverrides: false,
  defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
};

export function isFifoTopic(topic: Topic): boolean {
  return topic.attributes.FifoTopic === 'true';
}

export function defaultTopicPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}

/** Validates one attribute for CreateTopic / SetTopicAttributes and returns its stored value. */
export function checkTopicAttribute(name: string, value: string, onCreate: boolean): string {
  if (name === 'FifoTopic') {
    if (!onCreate) throw snsErrors.attributeName();
    if (value !== 'true' && value !== 'false') throw snsErrors.invalidParameter('Attributes Reason: FifoTopic: Invalid value [' + value + ']. Must be true or false.');
    return value;
  }
  if (!SETTABLE_TOPIC_ATTRIBUTES.has(name)) throw onCreate ? snsErrors.invalidParameter(`Attributes Reason: Invalid attribute name: ${name}`) : snsErrors.attributeName();
  if (name === 'ContentBasedDeduplication' && value !== 'true' && value !== 'false') {
    throw snsErrors.invalidParameter(`Attributes Reason: ContentBasedDeduplication: Invalid value [${value}]. Must be true or false.`);
  }
  if ((name === 'Policy' || name === 'DeliveryPolicy' || name === 'DataProtectionPolicy' || name === 'ArchivePolicy') && value !== '') {
    try {
      JSON.parse(value);
    } catch {
      throw snsErrors.invalidParameter(`Attributes Reason: ${name}: failed to parse JSON.`);
    }
  }
  return value;
}

/** GetTopicAttributes: the stored attributes over AWS's defaults, with the live subscription counts. */
export function topicAttributesView(topic: Topic, counts: Record<string, number>): Record<string, string> {
  const stored = topic.attributes;
  const out: Record<string, string> = {
    DisplayName: stored.DisplayName ?? '',
    Owner: topic.accountId,
    Policy: stored.Policy ?? defaultTopicPolicy(topic.arn, topic.accountId),
    SubscriptionsConfirmed: String(counts.Confirmed ?? 0),
    SubscriptionsDeleted: '0',
    SubscriptionsPending: String(counts.PendingConfirmation ?? 0),
    TopicArn: topic.arn,
  };
  let httpPolicy: Record<string, unknown> = DEFAULT_HTTP_POLICY;
  if (stored.DeliveryPolicy) {
    try {
      const http = (JSON.parse(stored.DeliveryPolicy) as { http?: Record<string, unknown> }).http;
      if (http) httpPolicy = { ...DEFAULT_HTTP_POLICY, ...http };
    } catch {
      // Stored values were validated as JSON; keep the default if that ever changes.
    }
  }
  out.EffectiveDeliveryPolicy = JSON.stringify({ http: httpPolicy });
  for (const [k, v] of Object.entries(stored)) {
    if (k === 'FifoTopic' && v !== 'true') continue;
    if (!(k in out) || k === 'DisplayName' || k === 'Policy') out[k] = v;
  }
  if (stored.FifoTopic === 'true') out.ContentBasedDeduplication = stored.ContentBasedDeduplication ?? 'false';
  return out;
}
