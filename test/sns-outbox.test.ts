import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  InvalidParameterException,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { startTestServer, type TestServer } from './support/server.js';
import { fetchSigningCertificate, signatureVerifies } from './support/sns-signature.js';
import { snsClient, waitFor } from './sns-support.js';
import { awsCliSkip } from './support/cli.js';

interface OutboxMessage {
  id: number;
  accountId: string;
  region: string;
  topicArn: string | null;
  subscriptionArn: string | null;
  protocol: string;
  endpoint: string;
  messageId: string;
  subject: string | null;
  body: string;
  kind: string;
  createdAt: string;
}


describe('SNS outbox: email, SMS, mobile push and Firehose', () => {
  let server: TestServer;
  let sns: SNSClient;

  before(async () => {
    server = await startTestServer();
    sns = snsClient(server);
  });
  after(async () => {
    await server.stop();
  });

  async function outbox(filter: Record<string, string> = {}): Promise<OutboxMessage[]> {
    const res = await fetch(`${server.url}/_lambkin/sns/outbox?${new URLSearchParams(filter).toString()}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    return ((await res.json()) as { messages: OutboxMessage[] }).messages;
  }

  /** Waits until the outbox, narrowed by `filter`, holds `count` messages. */
  function outboxHolds(filter: Record<string, string>, count: number): Promise<OutboxMessage[]> {
    return waitFor(async () => {
      const messages = await outbox(filter);
      return messages.length >= count ? messages : undefined;
    }, 10_000, `${count} outbox messages for ${JSON.stringify(filter)}`);
  }

  async function topic(name: string): Promise<string> {
    return (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
  }

  async function listed(topicArn: string): Promise<{ SubscriptionArn?: string; Protocol?: string; Endpoint?: string }[]> {
    return (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];
  }

  test('email: the confirmation email carries a SubscribeURL that confirms; a published message arrives with its subject', async () => {
    const topicArn = await topic('alerts');
    const sub = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
    assert.equal(sub.SubscriptionArn, 'pending confirmation');

    const [confirmation] = await outboxHolds({ topicArn }, 1);
    assert.equal(confirmation!.kind, 'SubscriptionConfirmation');
    assert.equal(confirmation!.protocol, 'email');
    assert.equal(confirmation!.endpoint, 'ops@example.com');
    assert.equal(confirmation!.subject, 'AWS Notification - Subscription Confirmation');
    assert.equal(confirmation!.accountId, '000000000000');
    assert.equal(confirmation!.region, 'us-east-1');
    assert.ok(confirmation!.body.includes(topicArn));
    const subscribeUrl = /^(http:\/\/\S+Action=ConfirmSubscription\S+)$/m.exec(confirmation!.body)?.[1];
    assert.ok(subscribeUrl, confirmation!.body);
    assert.ok(subscribeUrl.startsWith(`${server.url}/_lambkin/sns/`));
    assert.equal((await listed(topicArn))[0]!.SubscriptionArn, 'PendingConfirmation');

    // Before confirmation nothing is sent to the address.
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'too early' }));

    const res = await fetch(subscribeUrl);
    assert.equal(res.status, 200);
    const xml = await res.text();
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)?.[1];
    assert.match(arn ?? '', new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
    const subs = await listed(topicArn);
    assert.equal(subs.length, 1);
    assert.equal(subs[0]!.SubscriptionArn, arn);
    assert.equal(subs[0]!.Protocol, 'email');

    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'disk is full on db-1', Subject: 'Disk alarm' }));
    const messages = await outboxHolds({ topicArn }, 2);
    assert.equal(messages.length, 2, 'the message published before confirmation is not sent');
    const email = messages[1]!;
    assert.equal(email.kind, 'Notification');
    assert.equal(email.messageId, MessageId);
    assert.equal(email.subscriptionArn, arn);
    assert.equal(email.subject, 'Disk alarm');
    assert.ok(email.body.startsWith('disk is full on db-1\n'), email.body);
    assert.ok(email.body.includes(`${server.url}/_lambkin/sns/?Action=Unsubscribe&SubscriptionArn=${arn}`), email.body);
    assert.ok(Date.parse(email.createdAt) >= Date.parse(messages[0]!.createdAt));

    // Without a Subject, AWS's default subject line.
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'no subject' }));
    const third = (await outboxHolds({ topicArn }, 3))[2]!;
    assert.equal(third.subject, 'AWS Notification Message');
  });

  test('email-json: the confirmation is the JSON document, ConfirmSubscription takes its token, notifications are the signed envelope', async () => {
    const topicArn = await topic('json-mail');
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email-json', Endpoint: 'robot@example.com' }));
    const [confirmation] = await outboxHolds({ topicArn }, 1);
    const doc = JSON.parse(confirmation!.body) as Record<string, string>;
    assert.equal(doc.Type, 'SubscriptionConfirmation');
    assert.equal(doc.TopicArn, topicArn);
    assert.equal(doc.MessageId, confirmation!.messageId);
    assert.match(doc.Token!, /^[0-9a-f]{128}$/);
    assert.equal(doc.SubscribeURL, `${server.url}/_lambkin/sns/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${doc.Token}`);
    for (const field of ['Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL']) assert.ok(doc[field], field);

    // Subscribing again while pending sends the confirmation again, with the same token.
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'email-json', Endpoint: 'robot@example.com' }));
    const again = (await outboxHolds({ topicArn }, 2))[1]!;
    assert.equal(again.kind, 'SubscriptionConfirmation');
    assert.notEqual(again.messageId, confirmation!.messageId);
    assert.equal((JSON.parse(again.body) as Record<string, string>).Token, doc.Token);

    const confirmed = await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: doc.Token }));
    assert.equal((await listed(topicArn))[0]!.SubscriptionArn, confirmed.SubscriptionArn);

    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: 'Order',
        Message: JSON.stringify({ default: 'plain', 'email-json': 'for json mail' }),
        MessageStructure: 'json',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'created' } },
      }),
    );
    const notification = (await outboxHolds({ topicArn }, 3))[2]!;
    assert.equal(notification.subject, 'Order');
    const envelope = JSON.parse(notification.body) as Record<string, unknown>;
    assert.equal(envelope.Type, 'Notification');
    assert.equal(envelope.MessageId, MessageId);
    assert.equal(envelope.TopicArn, topicArn);
    assert.equal(envelope.Subject, 'Order');
    assert.equal(envelope.Message, 'for json mail');
    assert.equal(envelope.SignatureVersion, '1');
    assert.equal(envelope.SigningCertURL, `${server.url}/_lambkin/sns/SimpleNotificationService.pem`);
    assert.ok(signatureVerifies(envelope, await fetchSigningCertificate(envelope)), 'the email-json envelope verifies against SigningCertURL');
    assert.equal(envelope.UnsubscribeURL, `${server.url}/_lambkin/sns/?Action=Unsubscribe&SubscriptionArn=${confirmed.SubscriptionArn}`);
    assert.deepEqual(envelope.MessageAttributes, { kind: { Type: 'String', Value: 'created' } });
  });

  test('sms, application and firehose subscriptions receive their rendering of each message', async () => {
    const topicArn = await topic('fan');
    const smsArn = (await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sms', Endpoint: '+15555550100', ReturnSubscriptionArn: true }))).SubscriptionArn!;
    const appEndpoint = 'arn:aws:sns:us-east-1:000000000000:endpoint/GCM/my-app/8f0c4a10-0000-4000-8000-000000000001';
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'application', Endpoint: appEndpoint }));
    const firehose = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/archive';
    const role = 'arn:aws:iam::000000000000:role/sns-firehose';
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'firehose', Endpoint: firehose, Attributes: { SubscriptionRoleArn: role } }));
    const raw = 'arn:aws:firehose:us-east-1:000000000000:deliverystream/raw';
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'firehose', Endpoint: raw, Attributes: { SubscriptionRoleArn: role, RawMessageDelivery: 'true' } }));
    for (const s of await listed(topicArn)) assert.notEqual(s.SubscriptionArn, 'PendingConfirmation', s.Protocol);

    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: 'ignored by sms',
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'the default', sms: 'short text', GCM: '{"notification":{"title":"hi"}}' }),
      }),
    );
    const messages = await outboxHolds({ topicArn }, 4);
    assert.equal(messages.length, 4);
    const by = (endpoint: string) => messages.find((m) => m.endpoint === endpoint)!;

    const sms = by('+15555550100');
    assert.deepEqual([sms.protocol, sms.kind, sms.subscriptionArn, sms.messageId, sms.body, sms.subject], ['sms', 'Notification', smsArn, MessageId, 'short text', null]);
    assert.equal(by(appEndpoint).body, '{"notification":{"title":"hi"}}');
    const envelope = JSON.parse(by(firehose).body) as Record<string, unknown>;
    assert.deepEqual([envelope.Type, envelope.MessageId, envelope.Subject, envelope.Message], ['Notification', MessageId, 'ignored by sms', 'the default']);
    assert.equal(envelope.Signature, undefined, 'Firehose records carry no signature');
    assert.equal(by(raw).body, 'the default');

    // A plain message: SMS gets the message itself.
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'plain words' }));
    const smsOnly = await outboxHolds({ topicArn, protocol: 'sms' }, 2);
    assert.equal(smsOnly[1]!.body, 'plain words');
  });

  test('a filter policy that excludes a message keeps it out of the outbox', async () => {
    const topicArn = await topic('filtered');
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sms', Endpoint: '+15555550101', Attributes: { FilterPolicy: JSON.stringify({ severity: ['high'] }) } }),
    );
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'low one', MessageAttributes: { severity: { DataType: 'String', StringValue: 'low' } } }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'high one', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'untagged' }));
    await outboxHolds({ topicArn }, 1);
    // The drainer takes rows in publish order; a later marker proves the earlier rows are done.
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'marker', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } }));
    const messages = await outboxHolds({ topicArn }, 2);
    assert.deepEqual(
      messages.map((m) => m.body),
      ['high one', 'marker'],
    );
  });

  test('Publish with PhoneNumber records the text; a number that is not E.164 is refused as AWS refuses it', async () => {
    const { MessageId } = await sns.send(new PublishCommand({ PhoneNumber: '+447700900123', Message: 'your code is 123456', Subject: 'not sent' }));
    assert.match(MessageId!, /^[0-9a-f-]{36}$/);
    const [sms] = await outbox({ endpoint: '+447700900123' });
    assert.deepEqual(
      { protocol: sms!.protocol, topicArn: sms!.topicArn, subscriptionArn: sms!.subscriptionArn, messageId: sms!.messageId, body: sms!.body, subject: sms!.subject },
      { protocol: 'sms', topicArn: null, subscriptionArn: null, messageId: MessageId, body: 'your code is 123456', subject: null },
    );

    // MessageStructure json: the `sms` key.
    await sns.send(new PublishCommand({ PhoneNumber: '447700900124', MessageStructure: 'json', Message: JSON.stringify({ default: 'long', sms: 'short' }) }));
    assert.equal((await outbox({ endpoint: '+447700900124' }))[0]!.body, 'short');

    for (const [number, named] of [
      ['+0123', '+0123'],
      ['12ab34', '+12ab34'],
      ['+1234567890123456', '+1234567890123456'],
    ]) {
      await assert.rejects(sns.send(new PublishCommand({ PhoneNumber: number, Message: 'x' })), (err: unknown) => {
        assert.ok(err instanceof InvalidParameterException, String(err));
        assert.equal(err.message, `Invalid parameter: PhoneNumber Reason: ${named} is not valid to publish to`);
        return true;
      });
    }
  });

  test('aws sns publish --phone-number lands in the outbox', { skip: awsCliSkip }, async () => {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
    };
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('aws', ['--endpoint-url', server.url, '--output', 'json', 'sns', 'publish', '--phone-number', '+15555550199', '--message', 'from the cli'], { env }, (err, out, errOut) =>
        err ? reject(new Error(errOut)) : resolve(out),
      ),
    );
    const { MessageId } = JSON.parse(stdout) as { MessageId: string };
    const [sms] = await outbox({ endpoint: '+15555550199' });
    assert.equal(sms!.messageId, MessageId);
    assert.equal(sms!.body, 'from the cli');
    assert.equal(sms!.region, 'eu-west-1');
  });

  test('the outbox survives a restart, its filters narrow it, DELETE empties it', async () => {
    const a = await topic('keep-a');
    const b = await topic('keep-b');
    await sns.send(new SubscribeCommand({ TopicArn: a, Protocol: 'sms', Endpoint: '+15555550102' }));
    await sns.send(new SubscribeCommand({ TopicArn: b, Protocol: 'sms', Endpoint: '+15555550103' }));
    await sns.send(new SubscribeCommand({ TopicArn: b, Protocol: 'email', Endpoint: 'b@example.com' }));
    await sns.send(new PublishCommand({ TopicArn: a, Message: 'to a' }));
    await sns.send(new PublishCommand({ TopicArn: b, Message: 'to b' }));
    await outboxHolds({ topicArn: a }, 1);
    await outboxHolds({ topicArn: b }, 2);
    const before = await outbox();

    await server.restart();

    const afterRestart = await outbox();
    assert.deepEqual(afterRestart, before);
    assert.deepEqual(
      (await outbox({ topicArn: a })).map((m) => m.body),
      ['to a'],
    );
    assert.deepEqual(
      (await outbox({ topicArn: b, protocol: 'sms' })).map((m) => [m.endpoint, m.body]),
      [['+15555550103', 'to b']],
    );
    assert.deepEqual(
      (await outbox({ endpoint: 'b@example.com' })).map((m) => m.kind),
      ['SubscriptionConfirmation'],
    );
    assert.deepEqual(await outbox({ protocol: 'firehose', topicArn: a }), []);
    const ids = afterRestart.map((m) => m.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'oldest first');

    const res = await fetch(`${server.url}/_lambkin/sns/outbox`, { method: 'DELETE' });
    assert.equal(res.status, 204);
    assert.deepEqual(await outbox(), []);

    // Recording goes on after a clear.
    await sns.send(new PublishCommand({ TopicArn: a, Message: 'after clear' }));
    const [next] = await outboxHolds({ topicArn: a }, 1);
    assert.equal(next!.body, 'after clear');
  });
});
