import type { DeliveryAttribute } from '../../contracts/delivery-sinks.js';
import { OUTBOX_PROTOCOLS, outboxNotification } from './delivery/outbox-rendering.js';
import type { PendingDelivery } from './delivery/pending-delivery.js';
import { httpRetryPolicy } from './delivery/retry-schedule.js';
import { matchesFilterPolicy, type FilterPolicyScope, type FilterSubject } from './filter-policy.js';
import type { MessageAttribute } from './message-attributes.js';
import { httpHeaders, lambdaEvent, messageFor, notificationEnvelope, type PublishedMessage, type SnsRendering } from './notification.js';
import type { Subscription } from './tables/subscriptions-table.js';
import type { Topic } from './tables/topics-table.js';

/** Protocols Lambkin delivers to (sqs, lambda, http(s)) or records in the outbox (the rest AWS has). */
const DELIVERED = new Set(['sqs', 'lambda', 'http', 'https', ...OUTBOX_PROTOCOLS]);

/** The deliveries one message owes the topic's confirmed subscriptions whose filter policy it passes. */
export function deliveriesFor(topic: Topic, subscriptions: Subscription[], msg: PublishedMessage, urls: SnsRendering): PendingDelivery[] {
  const out: PendingDelivery[] = [];
  for (const s of subscriptions) {
    if (s.status !== 'Confirmed' || !DELIVERED.has(s.protocol)) continue;
    if (!passesFilter(s, msg)) continue;
    out.push(render(topic, s, msg, urls));
  }
  return out;
}

function passesFilter(s: Subscription, msg: PublishedMessage): boolean {
  const text = s.attributes.FilterPolicy;
  if (!text) return true;
  let policy: Record<string, never>;
  try {
    policy = JSON.parse(text) as Record<string, never>;
  } catch {
    return false;
  }
  const scope = (s.attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterPolicyScope;
  let subject: FilterSubject;
  if (scope === 'MessageAttributes') {
    subject = { scope, attributes: msg.attributes };
  } else {
    let body: never | undefined;
    try {
      body = JSON.parse(messageFor(msg, s.protocol)) as never;
    } catch {
      body = undefined;
    }
    subject = { scope, body };
  }
  return matchesFilterPolicy(policy, subject);
}

function sqsAttributes(attributes: Record<string, MessageAttribute>): Record<string, DeliveryAttribute> {
  const out: Record<string, DeliveryAttribute> = {};
  for (const [name, a] of Object.entries(attributes)) {
    const base = a.type.split('.')[0] as DeliveryAttribute['type'];
    out[name] = { type: base, value: a.value };
  }
  return out;
}

function render(topic: Topic, s: Subscription, msg: PublishedMessage, urls: SnsRendering): PendingDelivery {
  const raw = s.attributes.RawMessageDelivery === 'true';
  const common = { subscriptionArn: s.arn, topicArn: topic.arn, protocol: s.protocol, endpoint: s.endpoint };
  const body = raw ? messageFor(msg, s.protocol) : notificationEnvelope(msg, s.protocol, s.arn, urls);
  const attributes = raw && Object.keys(msg.attributes).length > 0 ? sqsAttributes(msg.attributes) : undefined;
  const deadLetter = { body, attributes };
  if (s.protocol === 'sqs') {
    return {
      ...common,
      payload: { kind: 'sqs', body, attributes, messageGroupId: msg.messageGroupId, messageDeduplicationId: msg.messageDeduplicationId },
      deadLetter,
    };
  }
  if (s.protocol === 'lambda') return { ...common, payload: { kind: 'lambda', payload: lambdaEvent(msg, s.arn, urls) }, deadLetter };
  if (OUTBOX_PROTOCOLS.has(s.protocol)) return { ...common, payload: outboxNotification(s, msg, urls), deadLetter };
  const headers = httpHeaders({
    messageType: 'Notification',
    messageId: msg.messageId,
    topicArn: topic.arn,
    subscriptionArn: s.arn,
    raw,
    contentType: contentTypeFor(topic, s),
  });
  const retryPolicy = httpRetryPolicy(s.attributes.DeliveryPolicy, topic.attributes.DeliveryPolicy);
  return { ...common, payload: { kind: 'http', body, headers, retryPolicy }, deadLetter };
}

/** The subscription's DeliveryPolicy requestPolicy wins over the topic's http defaultRequestPolicy. */
function contentTypeFor(topic: Topic, s: Subscription): string | undefined {
  try {
    const own = s.attributes.DeliveryPolicy ? (JSON.parse(s.attributes.DeliveryPolicy) as { requestPolicy?: { headerContentType?: string } }) : undefined;
    if (own?.requestPolicy?.headerContentType) return own.requestPolicy.headerContentType;
    const topicPolicy = topic.attributes.DeliveryPolicy
      ? (JSON.parse(topic.attributes.DeliveryPolicy) as { http?: { defaultRequestPolicy?: { headerContentType?: string } } })
      : undefined;
    return topicPolicy?.http?.defaultRequestPolicy?.headerContentType;
  } catch {
    return undefined;
  }
}
