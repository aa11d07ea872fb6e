import { confirmationMessage, messageFor, notificationEnvelope, subscribeUrl, unsubscribeUrl, type PublishedMessage, type SnsRendering } from '../notification.js';
import type { Subscription } from '../tables/subscriptions-table.js';
import type { DeliveryPayload } from './pending-delivery.js';

/** Protocols whose endpoints Lambkin cannot reach: their messages are recorded in the outbox. */
export const OUTBOX_PROTOCOLS: ReadonlySet<string> = new Set(['email', 'email-json', 'sms', 'application', 'firehose']);

/** The subject AWS gives a notification email published without `Subject`. */
const DEFAULT_EMAIL_SUBJECT = 'AWS Notification Message';
const CONFIRMATION_EMAIL_SUBJECT = 'AWS Notification - Subscription Confirmation';

type OutboxPayload = Extract<DeliveryPayload, { kind: 'outbox' }>;

/** What one notification looks like at an outbox subscription's endpoint. */
export function outboxNotification(s: Subscription, msg: PublishedMessage, urls: SnsRendering): OutboxPayload {
  const common = { kind: 'outbox' as const, messageKind: 'Notification' as const, messageId: msg.messageId };
  switch (s.protocol) {
    case 'email':
      return { ...common, subject: msg.subject ?? DEFAULT_EMAIL_SUBJECT, body: emailText(messageFor(msg, 'email'), unsubscribeUrl(urls, s.arn)) };
    case 'email-json':
      return { ...common, subject: msg.subject ?? DEFAULT_EMAIL_SUBJECT, body: notificationEnvelope(msg, 'email-json', s.arn, urls) };
    case 'application':
      return { ...common, body: msg.perProtocol?.[platformOf(s.endpoint)] ?? msg.message };
    case 'firehose':
      return {
        ...common,
        body: s.attributes.RawMessageDelivery === 'true' ? messageFor(msg, 'firehose') : notificationEnvelope(msg, 'firehose', s.arn, urls, { signed: false }),
      };
    default:
      // SMS: the text alone (AWS drops the subject).
      return { ...common, body: messageFor(msg, s.protocol) };
  }
}

/** The confirmation email an email or email-json subscriber is sent, with Lambkin's own confirm link. */
export function outboxConfirmation(s: Subscription, token: string, fields: { messageId: string; timestamp: string }, urls: SnsRendering): OutboxPayload {
  const body =
    s.protocol === 'email-json'
      ? confirmationMessage('SubscriptionConfirmation', { ...fields, topicArn: s.topicArn, subscriptionArn: s.arn, token }, urls)
      : [
          'You have chosen to subscribe to the topic: ',
          s.topicArn,
          '',
          'To confirm this subscription, click or visit the link below (If this was in error no action is necessary): ',
          subscribeUrl(urls, s.topicArn, token),
          '',
        ].join('\n');
  return { kind: 'outbox', messageKind: 'SubscriptionConfirmation', messageId: fields.messageId, subject: CONFIRMATION_EMAIL_SUBJECT, body };
}

/** A notification email's text: the message, then the unsubscribe link AWS appends. */
function emailText(message: string, unsubscribe: string): string {
  return [
    message,
    '',
    '--',
    'If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:',
    unsubscribe,
    '',
  ].join('\n');
}

/** `arn:aws:sns:<region>:<account>:endpoint/GCM/<app>/<id>` → `GCM`, the MessageStructure key for it. */
function platformOf(endpointArn: string): string {
  const resource = endpointArn.split(':')[5] ?? '';
  return resource.split('/')[1] ?? '';
}
