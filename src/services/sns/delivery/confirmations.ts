import { randomUUID } from 'node:crypto';
import { confirmationMessage, httpHeaders, type SnsUrls } from '../notification.js';
import type { Subscription } from '../tables/subscriptions-table.js';
import type { PendingDelivery } from './pending-delivery.js';

/** The `SubscriptionConfirmation` / `UnsubscribeConfirmation` POST an HTTP(S) subscriber is owed. */
export function confirmationDelivery(
  kind: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation',
  s: Subscription,
  token: string,
  now: number,
  urls: SnsUrls,
): PendingDelivery {
  const messageId = randomUUID();
  const body = confirmationMessage(kind, { messageId, topicArn: s.topicArn, subscriptionArn: s.arn, token, timestamp: new Date(now).toISOString() }, urls);
  return {
    subscriptionArn: s.arn,
    topicArn: s.topicArn,
    protocol: s.protocol,
    endpoint: s.endpoint,
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
