import { verify, X509Certificate } from 'node:crypto';

/**
 * An SNS message as an endpoint receives it: the HTTP/SQS envelope (`SigningCertURL`) or a Lambda
 * event's `Sns` record (`SigningCertUrl`, `Subject: null` when there is none).
 */
export type SignedSnsMessage = Record<string, unknown>;

/** The fields AWS signs, in the order its documentation lists them (sns-verify-signature-of-message). */
const SIGNED_FIELDS: Record<string, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** The string to sign as AWS documents it: `Name\nvalue\n` per field, Subject only when present. */
export function documentedStringToSign(message: SignedSnsMessage): string {
  const fields = SIGNED_FIELDS[String(message.Type)];
  if (!fields) throw new Error(`no signed fields for message type ${String(message.Type)}`);
  return fields
    .filter((name) => message[name] !== undefined && message[name] !== null)
    .map((name) => `${name}\n${String(message[name])}\n`)
    .join('');
}

/** The certificate at the message's SigningCertURL, fetched as a subscriber's verifier does. */
export async function fetchSigningCertificate(message: SignedSnsMessage): Promise<X509Certificate> {
  const url = String(message.SigningCertURL ?? message.SigningCertUrl);
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  return new X509Certificate(await res.text());
}

/**
 * Whether a standard verifier (OpenSSL through node:crypto, with the certificate's public key)
 * accepts the message's Signature: SHA1withRSA for SignatureVersion 1, SHA256withRSA for 2.
 */
export function signatureVerifies(message: SignedSnsMessage, certificate: X509Certificate): boolean {
  const algorithm = { '1': 'sha1', '2': 'sha256' }[String(message.SignatureVersion)];
  if (!algorithm) throw new Error(`unknown SignatureVersion ${String(message.SignatureVersion)}`);
  return verify(algorithm, Buffer.from(documentedStringToSign(message), 'utf8'), certificate.publicKey, Buffer.from(String(message.Signature), 'base64'));
}
