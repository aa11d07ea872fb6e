import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { rejectsWith } from './support/aws-errors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { snsClient } from './sns-support.js';

const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:subs-queue';
const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:subs-fn';

describe('SNS subscriptions', () => {
  let server: TestServer;
  let sns: SNSClient;
  let topicArn: string;
  before(async () => {
    server = await startTestServer();
    sns = snsClient(server);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'subs' }))).TopicArn!;
  });
  after(() => server.stop());

  test('SQS and Lambda subscriptions are confirmed at once; Subscribe is idempotent', async () => {
    const sqs = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: QUEUE }));
    assert.match(sqs.SubscriptionArn ?? '', new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
    const again = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: QUEUE }));
    assert.equal(again.SubscriptionArn, sqs.SubscriptionArn);
    const fn = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'lambda', Endpoint: FUNCTION }));
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: fn.SubscriptionArn }));
    assert.equal(Attributes?.PendingConfirmation, 'false');
    assert.equal(Attributes?.ConfirmationWasAuthenticated, 'true');
    assert.equal(Attributes?.Protocol, 'lambda');
    assert.equal(Attributes?.Endpoint, FUNCTION);
    assert.equal(Attributes?.RawMessageDelivery, 'false');
    assert.equal(Attributes?.TopicArn, topicArn);
    assert.equal(Attributes?.Owner, '000000000000');
  });

  test('Subscribe with attributes; different attributes for an existing subscription are refused', async () => {
    const endpoint = `${QUEUE}-attrs`;
    const policy = JSON.stringify({ color: ['red'] });
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: endpoint, Attributes: { RawMessageDelivery: 'true', FilterPolicy: policy } }),
    );
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    assert.equal(Attributes?.RawMessageDelivery, 'true');
    assert.equal(Attributes?.FilterPolicy, policy);
    assert.equal(Attributes?.FilterPolicyScope, 'MessageAttributes');
    await rejectsWith(
      sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: endpoint, Attributes: { RawMessageDelivery: 'false' } })),
      'InvalidParameterException',
      400,
      'Invalid parameter: Attributes Reason: Subscription already exists with different attributes',
    );
    await rejectsWith(
      sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: `${QUEUE}-x`, Attributes: { RawMessageDelivery: 'wrongvalue' } })),
      'InvalidParameterException',
      400,
      'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false.',
    );
  });

  test('identical Subscribe calls at once make one subscription', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'subscribe-at-once' }));
    for (let round = 0; round < 3; round++) {
      const Endpoint = `${QUEUE}-at-once-${round}`;
      const answers = await Promise.all(Array.from({ length: 4 }, () => sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint }))));
      const arns = new Set(answers.map((a) => a.SubscriptionArn));
      assert.equal(arns.size, 1, `round ${round}: one SubscriptionArn, not ${[...arns].join(', ')}`);
    }
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.equal(Subscriptions?.length, 3);
  });

  test('Subscribe errors: protocol, endpoint, topic', async () => {
    await rejectsWith(
      sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'test-protocol', Endpoint: 'x' })),
      'InvalidParameterException',
      400,
      'Invalid parameter: Amazon SNS does not support this protocol string: test-protocol',
    );
    await rejectsWith(sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: 'not-an-arn' })), 'InvalidParameterException', 400, 'Invalid parameter: SQS endpoint ARN');
    await rejectsWith(
      sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q.fifo' })),
      'InvalidParameterException',
      400,
      'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
    );
    await rejectsWith(
      sns.send(new SubscribeCommand({ TopicArn: `${topicArn}-missing`, Protocol: 'sqs', Endpoint: QUEUE })),
      'NotFoundException',
      404,
      'Topic does not exist',
    );
  });

  test('HTTP subscriptions wait for confirmation; ReturnSubscriptionArn gives the ARN', async () => {
    const endpoint = 'http://127.0.0.1:9/pending';
    const pending = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: endpoint }));
    assert.equal(pending.SubscriptionArn, 'pending confirmation');
    const withArn = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: endpoint, ReturnSubscriptionArn: true }));
    assert.match(withArn.SubscriptionArn ?? '', /^arn:aws:sns:/);
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: withArn.SubscriptionArn }));
    assert.equal(Attributes?.PendingConfirmation, 'true');
    assert.equal(Attributes?.ConfirmationWasAuthenticated, 'false');
    assert.ok(JSON.parse(Attributes?.EffectiveDeliveryPolicy ?? '{}').healthyRetryPolicy);
    const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    const entry = listed.Subscriptions?.find((s) => s.Endpoint === endpoint);
    assert.equal(entry?.SubscriptionArn, 'PendingConfirmation');
    await rejectsWith(sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'https', Endpoint: 'http://x/' })), 'InvalidParameterException', 400);
  });

  test('ConfirmSubscription errors', async () => {
    await rejectsWith(sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: 'nope' })), 'InvalidParameterException', 400, 'Invalid parameter: Token');
    await rejectsWith(sns.send(new ConfirmSubscriptionCommand({ TopicArn: 'broken', Token: 'nope' })), 'InvalidParameterException', 400, 'Invalid parameter: Topic');
    await rejectsWith(
      sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn.replace('us-east-1', 'eu-west-1'), Token: 'nope' })),
      'InvalidParameterException',
      400,
      'Invalid parameter: Topic',
    );
  });

  test('Set/GetSubscriptionAttributes: RawMessageDelivery, FilterPolicy and scope, RedrivePolicy', async () => {
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: `${QUEUE}-set` }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: 'MessageBody' }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"a":{"b":["c"]}}' }));
    const dlq = JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq' });
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: dlq }));
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    assert.equal(Attributes?.RawMessageDelivery, 'true');
    assert.equal(Attributes?.FilterPolicyScope, 'MessageBody');
    assert.equal(Attributes?.FilterPolicy, '{"a":{"b":["c"]}}');
    assert.equal(Attributes?.RedrivePolicy, dlq);

    const set = (AttributeName: string, AttributeValue: string) => sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));
    await rejectsWith(set('RawMessageDelivery', 'test-ValUe'), 'InvalidParameterException', 400, 'Invalid parameter: RawMessageDelivery: Invalid value [test-ValUe]. Must be true or false.');
    await rejectsWith(set('Nope', 'x'), 'InvalidParameterException', 400, 'Invalid parameter: AttributeName');
    await rejectsWith(set('RedrivePolicy', '{"deadLetterTargetArn":"x"}'), 'InvalidParameterException', 400, 'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn');
    await rejectsWith(set('RedrivePolicy', '{invalid'), 'InvalidParameterException', 400, /^Invalid parameter: RedrivePolicy: failed to parse JSON\./);
    await rejectsWith(
      set('FilterPolicyScope', 'RandomValue'),
      'InvalidParameterException',
      400,
      'Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes',
    );
    // A nested policy is only valid for the MessageBody scope.
    await rejectsWith(set('FilterPolicyScope', 'MessageAttributes'), 'InvalidParameterException', 400, 'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy');
    await rejectsWith(set('FilterPolicy', '{"key":[]}'), 'InvalidParameterException', 400, 'Invalid parameter: FilterPolicy: Empty arrays are not allowed');
  });

  test('unknown and malformed subscription ARNs', async () => {
    await rejectsWith(
      sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: `${topicArn}:00000000-0000-0000-0000-000000000000` })),
      'NotFoundException',
      404,
      'Subscription does not exist',
    );
    await rejectsWith(
      sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: 'bad' })),
      'InvalidParameterException',
      400,
      'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1',
    );
    await rejectsWith(sns.send(new UnsubscribeCommand({ SubscriptionArn: 'arn:aws:sns:us-east-1:000000000000' })), 'InvalidParameterException', 400, 'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 5');
  });

  test('Unsubscribe removes the subscription; twice is fine', async () => {
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: `${QUEUE}-gone` }));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    await rejectsWith(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })), 'NotFoundException', 404);
    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
  });

  test('ListSubscriptions and ListSubscriptionsByTopic page by 100', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'many-subs' }));
    for (let i = 0; i < 120; i++) await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `${QUEUE}-${i}` }));
    const first = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.equal(first.Subscriptions?.length, 100);
    const second = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn, NextToken: first.NextToken }));
    assert.equal(second.Subscriptions?.length, 20);
    assert.equal(second.NextToken, undefined);
    const endpoints = new Set([...(first.Subscriptions ?? []), ...(second.Subscriptions ?? [])].map((s) => s.Endpoint));
    assert.equal(endpoints.size, 120);

    let total = 0;
    let NextToken: string | undefined;
    do {
      const page = await sns.send(new ListSubscriptionsCommand({ NextToken }));
      total += page.Subscriptions?.length ?? 0;
      NextToken = page.NextToken;
    } while (NextToken);
    assert.ok(total >= 120);
  });
});
