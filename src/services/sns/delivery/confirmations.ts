import { randomUUID } from 'node:crypto';
import { confirmationMessage, httpHeaders, type SnsRendering } from '../notification.js';
import type { Subscription } from '../tables/subscriptions-table.js';
import { outboxConfirmation } from './outbox-rendering.js';
import type { PendingDelivery } from './pending-delivery.js';

/**
 * The `SubscriptionConfirmation` / `UnsubscribeConfirmation` a subscriber is owed: a POST to an
 * HTTP(S) endpoint, or the confirmation email (recorded in the outbox) for email and email-json.
 */
export function confirmationDelivery(
  kind: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation',
  s: Subscription,
  token: string,
  now: number,
  urls: SnsRendering,
): PendingDelivery {
  const messageId = randomUUID();
  const timestamp = new Date(now).toISOString();
  const common = { subscriptionArn: s.arn, topicArn: s.topicArn, protocol: s.protocol, endpoint: s.endpoint };
  if (s.protocol !== 'http' && s.protocol !== 'https') return { ...common, payload: outboxConfirmation(s, token, { messageId, timestamp }, urls) };
  const body = confirmationMessage(kind, { messageId, topicArn: s.topicArn, subscriptionArn: s.arn, token, timestamp }, urls);
  return {
    ...common,
    payload: {
      kind: 'http',
      body,
      headers: httpHeaders({
        messageType: kind,
        messageId,
        topicArn: s.topicArn,
        subscriptionArn: kind === 'UnsubscribeConfirmation' ? s.arn : undefined,
      }),
    },
  };
}
