import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { startTestServer, type TestServer } from './support/server.js';
import { fetchSigningCertificate, signatureVerifies } from './support/sns-signature.js';
import { snsClient, waitFor } from './sns-support.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP endpoint that records every POST. */
async function startEndpoint(): Promise<{ url: string; received: Received[]; failing: Set<string>; close(): Promise<void>; server: Server }> {
  const received: Received[] = [];
  // Paths that answer 500 to notifications (confirmations still succeed).
  const failing = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const refuse = failing.has(req.url ?? '') && req.headers['x-amz-sns-message-type'] === 'Notification';
      res.writeHead(refuse ? 500 : 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    failing,
    server,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('SNS to HTTP endpoints', () => {
  let server: TestServer;
  let sns: SNSClient;
  let endpoint: Awaited<ReturnType<typeof startEndpoint>>;
  let topicArn: string;

  before(async () => {
    server = await startTestServer();
    sns = snsClient(server);
    endpoint = await startEndpoint();
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'web' }))).TopicArn!;
  });
  after(async () => {
    await endpoint.close();
    await server.stop();
  });

  const arrivals = (path: string, type: string) => endpoint.received.filter((r) => r.path === path && r.headers['x-amz-sns-message-type'] === type);

  test('confirmation handshake through the SubscribeURL, then notifications with the x-amz-sns headers', async () => {
    const url = `${endpoint.url}/hook`;
    const sub = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: url }));
    assert.equal(sub.SubscriptionArn, 'pending confirmation');

    const confirmation = await waitFor(() => arrivals('/hook', 'SubscriptionConfirmation')[0], 10_000, 'SubscriptionConfirmation');
    assert.equal(confirmation.headers['x-amz-sns-topic-arn'], topicArn);
    assert.equal(confirmation.headers['content-type'], 'text/plain; charset=UTF-8');
    assert.equal(confirmation.headers['user-agent'], 'Amazon Simple Notification Service Agent');
    const body = JSON.parse(confirmation.body);
    assert.equal(body.Type, 'SubscriptionConfirmation');
    assert.equal(body.TopicArn, topicArn);
    assert.equal(body.MessageId, confirmation.headers['x-amz-sns-message-id']);
    assert.equal(body.Message, `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`);
    assert.match(body.Token, /^[0-9a-f]{64,}$/);
    assert.equal(body.SignatureVersion, '1');
    assert.equal(body.SigningCertURL, `${server.url}/_lambkin/sns/SimpleNotificationService.pem`);
    // A subscriber's check: the certificate from SigningCertURL verifies the SHA1withRSA signature.
    const certificate = await fetchSigningCertificate(body);
    assert.ok(signatureVerifies(body, certificate), 'SubscriptionConfirmation signature');
    assert.ok(!signatureVerifies({ ...body, Token: `${body.Token}0` }, certificate), 'a changed Token no longer verifies');

    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    assert.equal(listed.Subscriptions?.find((s) => s.Endpoint === url)?.SubscriptionArn, 'PendingConfirmation');

    // What an endpoint does: GET the SubscribeURL, unsigned.
    const res = await fetch(body.SubscribeURL);
    assert.equal(res.status, 200);
    const xml = await res.text();
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)?.[1];
    assert.match(arn ?? '', new RegExp(`^${topicArn}:`));
    assert.match(xml, /^<ConfirmSubscriptionResponse xmlns="http:\/\/sns.amazonaws.com\/doc\/2010-03-31\/">/);
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }));
    assert.equal(Attributes?.PendingConfirmation, 'false');

    const published = await sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: 'hello web', Subject: 'Hi', MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' } } }),
    );
    const note = await waitFor(() => arrivals('/hook', 'Notification')[0], 10_000, 'Notification');
    assert.equal(note.headers['x-amz-sns-message-id'], published.MessageId);
    assert.equal(note.headers['x-amz-sns-subscription-arn'], arn);
    assert.equal(note.headers['x-amz-sns-topic-arn'], topicArn);
    assert.equal(note.headers['x-amz-sns-rawdelivery'], undefined);
    const envelope = JSON.parse(note.body);
    assert.deepEqual(Object.keys(envelope), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
    assert.equal(envelope.Message, 'hello web');
    assert.equal(envelope.Subject, 'Hi');
    assert.deepEqual(envelope.MessageAttributes, { kind: { Type: 'String', Value: 'greeting' } });
    assert.match(envelope.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(envelope.SignatureVersion, '1');
    assert.ok(signatureVerifies(envelope, certificate), 'Notification signature (with Subject)');
    assert.ok(!signatureVerifies({ ...envelope, Message: 'hello wEb' }, certificate), 'a changed Message no longer verifies');
    assert.ok(!signatureVerifies({ ...envelope, Subject: undefined }, certificate), 'the Subject is signed');

    // Raw delivery: the message itself, flagged by a header.
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'raw body' }));
    const raw = await waitFor(() => arrivals('/hook', 'Notification').find((r) => r.body === 'raw body'), 10_000, 'raw notification');
    assert.equal(raw.headers['x-amz-sns-rawdelivery'], 'true');

    // Unsubscribing tells the endpoint.
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }));
    const bye = await waitFor(() => arrivals('/hook', 'UnsubscribeConfirmation')[0], 10_000, 'UnsubscribeConfirmation');
    const farewell = JSON.parse(bye.body);
    assert.equal(farewell.Type, 'UnsubscribeConfirmation');
    assert.ok(signatureVerifies(farewell, certificate), 'UnsubscribeConfirmation signature');
    assert.equal(bye.headers['x-amz-sns-subscription-arn'], arn);
  });

  test('ConfirmSubscription with the token; filter policy keeps other messages away', async () => {
    const url = `${endpoint.url}/filtered`;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: url, Attributes: { FilterPolicy: JSON.stringify({ level: ['error'] }) } }));
    const confirmation = await waitFor(() => arrivals('/filtered', 'SubscriptionConfirmation')[0], 10_000, 'SubscriptionConfirmation');
    const token = JSON.parse(confirmation.body).Token as string;
    const { SubscriptionArn } = await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: token }));
    assert.match(SubscriptionArn ?? '', new RegExp(`^${topicArn}:`));
    // A token may be used again while it is valid; it names the same subscription.
    const again = await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: token }));
    assert.equal(again.SubscriptionArn, SubscriptionArn);

    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'info', MessageAttributes: { level: { DataType: 'String', StringValue: 'info' } } }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'error', MessageAttributes: { level: { DataType: 'String', StringValue: 'error' } } }));
    await waitFor(() => arrivals('/filtered', 'Notification').find((r) => JSON.parse(r.body).Message === 'error'), 10_000, 'matching notification');
    // Deliveries of one publish are independent; give the other one the same chance to arrive.
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(arrivals('/filtered', 'Notification').map((r) => JSON.parse(r.body).Message), ['error']);
  });

  test('a pending subscription receives no notifications', async () => {
    const url = `${endpoint.url}/unconfirmed`;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: url }));
    await waitFor(() => arrivals('/unconfirmed', 'SubscriptionConfirmation')[0], 10_000, 'SubscriptionConfirmation');
    // Subscribing again while pending sends the confirmation again, with the same token.
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: url }));
    const both = await waitFor(() => (arrivals('/unconfirmed', 'SubscriptionConfirmation').length === 2 ? arrivals('/unconfirmed', 'SubscriptionConfirmation') : undefined), 10_000, 'second confirmation');
    assert.equal(JSON.parse(both[1]!.body).Token, JSON.parse(both[0]!.body).Token);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'not for you' }));
    // A confirmed endpoint on the same topic gets it; the pending one does not.
    const probe = `${endpoint.url}/probe`;
    const sub = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: probe, ReturnSubscriptionArn: true }));
    const c = await waitFor(() => arrivals('/probe', 'SubscriptionConfirmation')[0], 10_000, 'probe confirmation');
    await fetch(JSON.parse(c.body).SubscribeURL);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'after' }));
    await waitFor(() => arrivals('/probe', 'Notification')[0], 10_000, 'probe notification');
    assert.equal(arrivals('/unconfirmed', 'Notification').length, 0);
    assert.ok(sub.SubscriptionArn);
  });

  test('a delivery the endpoint refused is retried per its DeliveryPolicy, across a restart', async () => {
    const url = `${endpoint.url}/flaky`;
    endpoint.failing.add('/flaky');
    const policy = JSON.stringify({ healthyRetryPolicy: { numRetries: 10, minDelayTarget: 1, maxDelayTarget: 1, numNoDelayRetries: 0, backoffFunction: 'linear' } });
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: url, ReturnSubscriptionArn: true, Attributes: { DeliveryPolicy: policy } }),
    );
    const c = await waitFor(() => arrivals('/flaky', 'SubscriptionConfirmation')[0], 10_000, 'confirmation');
    await fetch(JSON.parse(c.body).SubscribeURL);
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'persistent' }));
    await waitFor(() => arrivals('/flaky', 'Notification')[0], 10_000, 'first (refused) attempt');
    await server.restart();
    sns = snsClient(server);
    endpoint.failing.delete('/flaky');
    const before = arrivals('/flaky', 'Notification').length;
    const accepted = await waitFor(() => arrivals('/flaky', 'Notification').slice(before)[0], 15_000, 'the retry after the restart');
    assert.equal(accepted.headers['x-amz-sns-message-id'], MessageId);
    assert.equal(accepted.headers['x-amz-sns-subscription-arn'], SubscriptionArn);
    assert.equal(JSON.parse(accepted.body).Message, 'persistent');
    // Signed before the restart, verified with the certificate served after it: the key is kept.
    assert.ok(signatureVerifies(JSON.parse(accepted.body), await fetchSigningCertificate(JSON.parse(accepted.body))));
  });

  test('SignatureVersion 2 signs with SHA256withRSA; the certificate is an X.509 RSA certificate for sns.amazonaws.com', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'web-sha256', Attributes: { SignatureVersion: '2' } }));
    const url = `${endpoint.url}/sha256`;
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: url }));
    const c = JSON.parse((await waitFor(() => arrivals('/sha256', 'SubscriptionConfirmation')[0], 10_000, 'confirmation')).body);
    assert.equal(c.SignatureVersion, '2');
    const certificate = await fetchSigningCertificate(c);
    assert.ok(signatureVerifies(c, certificate), 'SubscriptionConfirmation signature');
    assert.ok(!signatureVerifies({ ...c, SignatureVersion: '1' }, certificate), 'not a SHA1 signature');
    await fetch(c.SubscribeURL);
    await sns.send(new PublishCommand({ TopicArn, Message: 'no subject here' }));
    const note = JSON.parse((await waitFor(() => arrivals('/sha256', 'Notification')[0], 10_000, 'notification')).body);
    assert.equal(note.SignatureVersion, '2');
    assert.equal(note.Subject, undefined);
    assert.ok(signatureVerifies(note, certificate), 'Notification signature (no Subject)');

    assert.match(certificate.subject, /^CN=sns\.amazonaws\.com$/m);
    assert.equal(certificate.publicKey.asymmetricKeyType, 'rsa');
    assert.equal(certificate.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.ok(certificate.verify(certificate.publicKey), 'self-signed by the same key');
    assert.ok(new Date(certificate.validTo).getTime() > Date.now() + 365 * 24 * 3600_000);
  });

  test('the UnsubscribeURL works unsigned', async () => {
    const url = `${endpoint.url}/leaver`;
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: url, ReturnSubscriptionArn: true }));
    const c = await waitFor(() => arrivals('/leaver', 'SubscriptionConfirmation')[0], 10_000, 'confirmation');
    await fetch(JSON.parse(c.body).SubscribeURL);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'to leaver' }));
    const note = await waitFor(() => arrivals('/leaver', 'Notification')[0], 10_000, 'notification');
    const res = await fetch(JSON.parse(note.body).UnsubscribeURL);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<UnsubscribeResponse/);
    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    assert.ok(!listed.Subscriptions?.some((s) => s.SubscriptionArn === SubscriptionArn));
  });
});
