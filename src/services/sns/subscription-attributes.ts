import { arnServiceOf } from '../../contracts/delivery-sinks.js';
import { snsErrors } from './errors.js';
import { FilterPolicyInvalid, validateFilterPolicy, type FilterPolicyScope } from './filter-policy.js';
import type { Subscription } from './tables/subscriptions-table.js';

export const SETTABLE_SUBSCRIPTION_ATTRIBUTES = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);

/**
 * Validates attributes for Subscribe (`inAttributes`: AWS prefixes its messages with
 * `Attributes Reason:` there) or SetSubscriptionAttributes, merged over `current`.
 */
export function applySubscriptionAttributes(
  current: Record<string, string>,
  changes: Record<string, string>,
  options: { inAttributes: boolean; protocol: string },
): Record<string, string> {
  const out = { ...current };
  for (const [name, raw] of Object.entries(changes)) {
    if (!SETTABLE_SUBSCRIPTION_ATTRIBUTES.has(name)) throw options.inAttributes ? snsErrors.invalidAttributeName(name) : snsErrors.attributeName();
    let value = raw;
    switch (name) {
      case 'RawMessageDelivery': {
        const lower = raw.toLowerCase();
        if (lower !== 'true' && lower !== 'false') throw snsErrors.rawMessageDelivery(raw, options.inAttributes);
        value = lower;
        break;
      }
      case 'FilterPolicyScope':
        if (raw !== 'MessageAttributes' && raw !== 'MessageBody') throw snsErrors.filterPolicyScope(raw);
        break;
      case 'RedrivePolicy':
        if (raw !== '') checkRedrivePolicy(raw);
        break;
      case 'DeliveryPolicy':
        if (raw !== '') {
          try {
            JSON.parse(raw);
          } catch (err) {
            throw snsErrors.invalidParameter(`DeliveryPolicy: failed to parse JSON. ${(err as Error).message}`);
          }
        }
        break;
      default:
        break;
    }
    if (value === '' && name !== 'RawMessageDelivery') delete out[name];
    else out[name] = value;
  }
  // The policy is checked against the scope it will be applied with, whichever of the two changed.
  if (out.FilterPolicy !== undefined && ('FilterPolicy' in changes || 'FilterPolicyScope' in changes)) {
    try {
      validateFilterPolicy(out.FilterPolicy, (out.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope);
    } catch (err) {
      if (!(err instanceof FilterPolicyInvalid)) throw err;
      if (err.message === 'Filter policy scope MessageAttributes does not support nested filter policy') throw snsErrors.invalidParameter(err.message);
      throw snsErrors.filterPolicy(err.message, options.inAttributes);
    }
  }
  return out;
}

function checkRedrivePolicy(raw: string): void {
  let policy: unknown;
  try {
    policy = JSON.parse(raw);
  } catch (err) {
    throw snsErrors.redrivePolicy(`failed to parse JSON. ${(err as Error).message}`);
  }
  const target = (policy as { deadLetterTargetArn?: unknown } | null)?.deadLetterTargetArn;
  if (typeof target !== 'string' || arnServiceOf(target) !== 'sqs' || target.split(':').length !== 6) {
    throw snsErrors.redrivePolicy('deadLetterTargetArn is an invalid arn');
  }
}

const DEFAULT_HEALTHY_RETRY_POLICY = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};

/** GetSubscriptionAttributes. */
export function subscriptionAttributesView(s: Subscription): Record<string, string> {
  const out: Record<string, string> = {
    ConfirmationWasAuthenticated: s.protocol === 'http' || s.protocol === 'https' ? 'false' : 'true',
    Endpoint: s.endpoint,
    Owner: s.owner,
    PendingConfirmation: s.status === 'PendingConfirmation' ? 'true' : 'false',
    Protocol: s.protocol,
    RawMessageDelivery: s.attributes.RawMessageDelivery ?? 'false',
    SubscriptionArn: s.arn,
    SubscriptionPrincipal: `arn:aws:iam::${s.owner}:root`,
    TopicArn: s.topicArn,
  };
  for (const [k, v] of Object.entries(s.attributes)) out[k] = v;
  if (out.FilterPolicy !== undefined && out.FilterPolicyScope === undefined) out.FilterPolicyScope = 'MessageAttributes';
  if (s.protocol === 'http' || s.protocol === 'https') {
    let own: Record<string, unknown> = {};
    try {
      own = s.attributes.DeliveryPolicy ? (JSON.parse(s.attributes.DeliveryPolicy) as Record<string, unknown>) : {};
    } catch {
      own = {};
    }
    out.EffectiveDeliveryPolicy = JSON.stringify({
      healthyRetryPolicy: own.healthyRetryPolicy ?? DEFAULT_HEALTHY_RETRY_POLICY,
      sicklyRetryPolicy: own.sicklyRetryPolicy ?? null,
      throttlePolicy: own.throttlePolicy ?? null,
      requestPolicy: own.requestPolicy ?? { headerContentType: 'text/plain; charset=UTF-8' },
      guaranteed: false,
    });
  }
  return out;
}
