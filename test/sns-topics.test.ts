import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  AddPermissionCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
} from '@aws-sdk/client-sns';
import { rejectsWith } from './support/aws-errors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { snsClient } from './sns-support.js';

describe('SNS topics', () => {
  let server: TestServer;
  let sns: SNSClient;
  before(async () => {
    server = await startTestServer();
    sns = snsClient(server);
  });
  after(() => server.stop());

  test('CreateTopic returns the ARN and is idempotent with equal attributes', async () => {
    const first = await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }));
    assert.equal(first.TopicArn, 'arn:aws:sns:us-east-1:000000000000:orders');
    const again = await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }));
    assert.equal(again.TopicArn, first.TopicArn);
    const bare = await sns.send(new CreateTopicCommand({ Name: 'orders' }));
    assert.equal(bare.TopicArn, first.TopicArn);
    await rejectsWith(
      sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Other' } })),
      'InvalidParameterException',
      400,
      'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
    );
  });

  test('CreateTopic with different tags for an existing topic is refused', async () => {
    await sns.send(new CreateTopicCommand({ Name: 'tagged', Tags: [{ Key: 'a', Value: '1' }] }));
    await rejectsWith(
      sns.send(new CreateTopicCommand({ Name: 'tagged', Tags: [{ Key: 'a', Value: '2' }] })),
      'InvalidParameterException',
      400,
      'Invalid parameter: Tags Reason: Topic already exists with different tags',
    );
  });

  test('topic names are validated', async () => {
    await rejectsWith(sns.send(new CreateTopicCommand({ Name: 'bad name' })), 'InvalidParameterException', 400, 'Invalid parameter: Topic Name');
    await rejectsWith(sns.send(new CreateTopicCommand({ Name: 'a'.repeat(257) })), 'InvalidParameterException', 400, 'Invalid parameter: Topic Name');
    await rejectsWith(sns.send(new CreateTopicCommand({ Name: 'plain.fifo' })), 'InvalidParameterException', 400, 'Invalid parameter: Topic Name');
    await rejectsWith(
      sns.send(new CreateTopicCommand({ Name: 'nofifo', Attributes: { FifoTopic: 'true' } })),
      'InvalidParameterException',
      400,
      /Fifo Topic names must end with .fifo/,
    );
  });

  test('FIFO topics show FifoTopic and ContentBasedDeduplication', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(Attributes?.FifoTopic, 'true');
    assert.equal(Attributes?.ContentBasedDeduplication, 'true');
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'ContentBasedDeduplication', AttributeValue: 'false' }));
    const after = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(after.Attributes?.ContentBasedDeduplication, 'false');
    await rejectsWith(
      sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'FifoTopic', AttributeValue: 'false' })),
      'InvalidParameterException',
      400,
      'Invalid parameter: AttributeName',
    );
  });

  test('GetTopicAttributes answers AWS defaults and counts subscriptions', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'defaults' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q1' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: 'http://127.0.0.1:9/never' }));
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(Attributes?.DisplayName, '');
    assert.equal(Attributes?.Owner, '000000000000');
    assert.equal(Attributes?.TopicArn, TopicArn);
    assert.equal(Attributes?.SubscriptionsConfirmed, '1');
    assert.equal(Attributes?.SubscriptionsPending, '1');
    assert.equal(Attributes?.SubscriptionsDeleted, '0');
    assert.equal(Attributes?.FifoTopic, undefined);
    const policy = JSON.parse(Attributes?.Policy ?? '{}');
    assert.equal(policy.Id, '__default_policy_ID');
    assert.equal(policy.Statement[0].Resource, TopicArn);
    const effective = JSON.parse(Attributes?.EffectiveDeliveryPolicy ?? '{}');
    assert.equal(effective.http.defaultHealthyRetryPolicy.numRetries, 3);
  });

  test('SetTopicAttributes changes DisplayName and refuses unknown names', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'settable' }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Shown' }));
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(Attributes?.DisplayName, 'Shown');
    await rejectsWith(
      sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Nonsense', AttributeValue: 'x' })),
      'InvalidParameterException',
      400,
      'Invalid parameter: AttributeName',
    );
  });

  test('unknown and malformed topic ARNs get AWS errors', async () => {
    await rejectsWith(
      sns.send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing' })),
      'NotFoundException',
      404,
      'Topic does not exist',
    );
    await rejectsWith(
      sns.send(new GetTopicAttributesCommand({ TopicArn: 'missing' })),
      'InvalidParameterException',
      400,
      'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1',
    );
    await rejectsWith(
      sns.send(new SetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing', AttributeName: 'DisplayName', AttributeValue: 'x' })),
      'NotFoundException',
      404,
      'Topic does not exist',
    );
  });

  test('DeleteTopic removes the topic and its subscriptions; deleting again succeeds', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'doomed' }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q1' }));
    assert.equal((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes?.TopicArn, TopicArn);
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    await rejectsWith(sns.send(new GetTopicAttributesCommand({ TopicArn })), 'NotFoundException', 404);
    await rejectsWith(sns.send(new ListSubscriptionsByTopicCommand({ TopicArn })), 'NotFoundException', 404);
    // The subscription itself is gone, not only unreachable through its topic.
    await rejectsWith(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })), 'NotFoundException', 404, 'Subscription does not exist');
    const everywhere = await sns.send(new ListSubscriptionsCommand({}));
    assert.ok(!everywhere.Subscriptions?.some((s) => s.SubscriptionArn === SubscriptionArn), 'ListSubscriptions still lists it');
    await sns.send(new DeleteTopicCommand({ TopicArn }));
  });

  test('ListTopics pages by 100 with NextToken, per region', async () => {
    const other = snsClient(server, 'eu-west-1');
    const names = Array.from({ length: 150 }, (_, i) => `page-${String(i).padStart(3, '0')}`);
    for (const Name of names) await other.send(new CreateTopicCommand({ Name }));
    const first = await other.send(new ListTopicsCommand({}));
    assert.equal(first.Topics?.length, 100);
    assert.ok(first.NextToken);
    const second = await other.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    assert.equal(second.Topics?.length, 50);
    assert.equal(second.NextToken, undefined);
    const all = [...(first.Topics ?? []), ...(second.Topics ?? [])].map((t) => t.TopicArn);
    assert.deepEqual(all, names.map((n) => `arn:aws:sns:eu-west-1:000000000000:${n}`));
    const home = await sns.send(new ListTopicsCommand({}));
    assert.ok(home.Topics?.every((t) => t.TopicArn?.includes(':us-east-1:')));
  });

  test('tags: tag, list, untag; unknown resource', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'tags', Tags: [{ Key: 'team', Value: 'core' }] }));
    await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'edge' }] }));
    const listed = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    assert.deepEqual(
      listed.Tags?.sort((a, b) => (a.Key ?? '').localeCompare(b.Key ?? '')),
      [
        { Key: 'env', Value: 'dev' },
        { Key: 'team', Value: 'edge' },
      ],
    );
    await sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['team'] }));
    const after = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    assert.deepEqual(after.Tags, [{ Key: 'env', Value: 'dev' }]);
    await rejectsWith(
      sns.send(new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:sns:us-east-1:000000000000:nope' })),
      'ResourceNotFoundException',
      404,
      'Resource does not exist',
    );
    await rejectsWith(
      sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] })),
      'InvalidParameterException',
      400,
      'Invalid parameter: Duplicated keys are not allowed.',
    );
  });

  test('subscription attributes set at once are all kept', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'attributes-at-once' }));
    for (let round = 0; round < 5; round++) {
      const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:at-once-${round}` }));
      const set = (AttributeName: string, AttributeValue: string) => sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));
      await Promise.all([set('RawMessageDelivery', 'true'), set('FilterPolicy', '{"kind":["a"]}'), set('FilterPolicyScope', 'MessageBody')]);
      const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
      assert.deepEqual([Attributes?.RawMessageDelivery, Attributes?.FilterPolicy, Attributes?.FilterPolicyScope], ['true', '{"kind":["a"]}', 'MessageBody'], `round ${round}`);
    }
  });

  test('permissions, attributes and tags changed at once on one topic are all kept', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'topic-changes-at-once' }));
    const labels = ['a', 'b', 'c', 'd'];
    await Promise.all([
      ...labels.map((Label) => sns.send(new AddPermissionCommand({ TopicArn, Label, AWSAccountId: ['111111111111'], ActionName: ['Publish'] }))),
      sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'shown' })),
      ...labels.map((Key) => sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key, Value: Key }] }))),
    ]);
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    const sids = (JSON.parse(Attributes!.Policy!) as { Statement: Array<{ Sid: string }> }).Statement.map((st) => st.Sid);
    for (const label of labels) assert.ok(sids.includes(label), `statement ${label} kept: ${sids.join(', ')}`);
    assert.equal(Attributes!.DisplayName, 'shown');
    const { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    assert.deepEqual(Tags!.map((t) => t.Key).sort(), labels);
  });

  test('topics, attributes, tags and subscriptions survive a restart', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'durable', Attributes: { DisplayName: 'D' }, Tags: [{ Key: 'k', Value: 'v' }] }));
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:dq', Attributes: { RawMessageDelivery: 'true' }, ReturnSubscriptionArn: true }),
    );
    await server.restart();
    sns = snsClient(server);
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(Attributes?.DisplayName, 'D');
    assert.equal(Attributes?.SubscriptionsConfirmed, '1');
    const tags = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
    assert.deepEqual(tags.Tags, [{ Key: 'k', Value: 'v' }]);
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.equal(subs.Subscriptions?.[0]?.SubscriptionArn, SubscriptionArn);
  });
});
