import type { MessageAttribute } from './message-attributes.js';
import type { NotificationSigner } from './signing.js';

/** One published message, as every subscription's rendering starts from it. */
export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  /** The default message, and per-protocol ones when MessageStructure was `json`. */
  message: string;
  perProtocol?: Record<string, string>;
  attributes: Record<string, MessageAttribute>;
  timestamp: string;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
}

/** Where the confirm/unsubscribe links and the signing certificate are served. */
export interface SnsUrls {
  base: string;
}

/** What rendering a message needs: the links, and the signer of the topic's SignatureVersion. */
export interface SnsRendering extends SnsUrls {
  signer: NotificationSigner;
}

/** The path SigningCertURL names (served by the SNS internal routes). */
export const SIGNING_CERT_PATH = '/_lambkin/sns/SimpleNotificationService.pem';

export function messageFor(msg: Pick<PublishedMessage, 'message' | 'perProtocol'>, protocol: string): string {
  return msg.perProtocol?.[protocol] ?? msg.message;
}

export function unsubscribeUrl(urls: SnsUrls, subscriptionArn: string): string {
  return `${urls.base}/_lambkin/sns/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;
}

export function subscribeUrl(urls: SnsUrls, topicArn: string, token: string): string {
  return `${urls.base}/_lambkin/sns/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}`;
}

export function signingCertUrl(urls: SnsUrls): string {
  return `${urls.base}${SIGNING_CERT_PATH}`;
}

/** The fields AWS signs in a Notification (Subject only when the message has one). */
function notificationSignature(signer: NotificationSigner, msg: PublishedMessage, message: string): string {
  return signer.sign({ Message: message, MessageId: msg.messageId, Subject: msg.subject, Timestamp: msg.timestamp, TopicArn: msg.topicArn, Type: 'Notification' });
}

function attributesJson(attributes: Record<string, MessageAttribute>): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(attributes)) out[name] = { Type: a.type, Value: a.value };
  return out;
}

/**
 * The JSON envelope SQS queues, HTTP(S) endpoints and email-json addresses receive (`Type:
 * Notification`). Firehose records carry it unsigned: AWS leaves the signature fields out there.
 */
export function notificationEnvelope(msg: PublishedMessage, protocol: string, subscriptionArn: string, urls: SnsRendering, options: { signed: boolean } = { signed: true }): string {
  const message = messageFor(msg, protocol);
  const envelope: Record<string, unknown> = {
    Type: 'Notification',
    MessageId: msg.messageId,
  };
  if (msg.sequenceNumber) envelope.SequenceNumber = msg.sequenceNumber;
  envelope.TopicArn = msg.topicArn;
  if (msg.subject !== undefined) envelope.Subject = msg.subject;
  envelope.Message = message;
  envelope.Timestamp = msg.timestamp;
  if (options.signed) {
    envelope.SignatureVersion = urls.signer.version;
    envelope.Signature = notificationSignature(urls.signer, msg, message);
    envelope.SigningCertURL = signingCertUrl(urls);
  }
  envelope.UnsubscribeURL = unsubscribeUrl(urls, subscriptionArn);
  if (Object.keys(msg.attributes).length > 0) envelope.MessageAttributes = attributesJson(msg.attributes);
  return JSON.stringify(envelope);
}

/** The event a Lambda subscriber's function receives. */
export function lambdaEvent(msg: PublishedMessage, subscriptionArn: string, urls: SnsRendering): string {
  const message = messageFor(msg, 'lambda');
  return JSON.stringify({
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: msg.messageId,
          TopicArn: msg.topicArn,
          Subject: msg.subject ?? null,
          Message: message,
          Timestamp: msg.timestamp,
          SignatureVersion: urls.signer.version,
          Signature: notificationSignature(urls.signer, msg, message),
          SigningCertUrl: signingCertUrl(urls),
          UnsubscribeUrl: unsubscribeUrl(urls, subscriptionArn),
          MessageAttributes: attributesJson(msg.attributes),
        },
      },
    ],
  });
}

/** `SubscriptionConfirmation` / `UnsubscribeConfirmation` bodies posted to HTTP(S) endpoints. */
export function confirmationMessage(
  kind: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation',
  fields: { messageId: string; topicArn: string; subscriptionArn: string; token: string; timestamp: string },
  urls: SnsRendering,
): string {
  const message =
    kind === 'SubscriptionConfirmation'
      ? `You have chosen to subscribe to the topic ${fields.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`
      : `You have chosen to deactivate subscription ${fields.subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
  const url = subscribeUrl(urls, fields.topicArn, fields.token);
  return JSON.stringify({
    Type: kind,
    MessageId: fields.messageId,
    Token: fields.token,
    TopicArn: fields.topicArn,
    Message: message,
    SubscribeURL: url,
    Timestamp: fields.timestamp,
    SignatureVersion: urls.signer.version,
    Signature: urls.signer.sign({ Message: message, MessageId: fields.messageId, SubscribeURL: url, Timestamp: fields.timestamp, Token: fields.token, TopicArn: fields.topicArn, Type: kind }),
    SigningCertURL: signingCertUrl(urls),
  });
}

/** The headers SNS sends with every HTTP(S) POST. */
export function httpHeaders(fields: {
  messageType: string;
  messageId: string;
  topicArn: string;
  subscriptionArn?: string;
  raw?: boolean;
  contentType?: string;
}): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': fields.contentType ?? 'text/plain; charset=UTF-8',
    'user-agent': 'Amazon Simple Notification Service Agent',
    'x-amz-sns-message-type': fields.messageType,
    'x-amz-sns-message-id': fields.messageId,
    'x-amz-sns-topic-arn': fields.topicArn,
  };
  if (fields.subscriptionArn) headers['x-amz-sns-subscription-arn'] = fields.subscriptionArn;
  if (fields.raw) headers['x-amz-sns-rawdelivery'] = 'true';
  return headers;
}
