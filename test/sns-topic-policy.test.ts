import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  AddPermissionCommand,
  CreateTopicCommand,
  GetTopicAttributesCommand,
  PublishCommand,
  RemovePermissionCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { allowServiceToSend } from './support/sqs.js';
import { startTestServer, type TestServer } from './support/server.js';
import { boto3Skip } from './support/cli.js';

const OWNER = '000000000000';
const OTHER = '111111111111';
const run = promisify(execFile);

async function rejectsWith(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  await assert.rejects(promise, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, name);
    assert.equal(err.message, message);
    return true;
  });
}

describe('SNS topic policies: other accounts and service principals', () => {
  let server: TestServer;
  const config = (accessKeyId: string) => ({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1, forcePathStyle: true });
  let sns: SNSClient;
  let otherSns: SNSClient;
  let sqs: SQSClient;

  /** A topic with a raw-delivery queue subscribed (the queue's policy allows the topic). */
  async function topicWithReader(name: string): Promise<{ topicArn: string; queueUrl: string }> {
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: name }))).TopicArn!;
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-reader` }))).QueueUrl!;
    const queueArn = await allowServiceToSend(sqs, queueUrl, 'sns.amazonaws.com', topicArn);
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }));
    return { topicArn, queueUrl };
  }

  async function receive(url: string, seconds = 5): Promise<Message | undefined> {
    for (let waited = 0; waited < seconds; waited++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
      const message = got.Messages?.[0];
      if (message) {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle! }));
        return message;
      }
    }
    return undefined;
  }

  const policyFor = (topicArn: string, principal: Record<string, string>, condition: Record<string, unknown>) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sns:Publish', Resource: topicArn, Condition: condition }] });

  before(async () => {
    server = await startTestServer();
    sns = new SNSClient(config(OWNER));
    otherSns = new SNSClient(config(OTHER));
    sqs = new SQSClient(config(OWNER));
  });
  after(async () => {
    sns.destroy();
    otherSns.destroy();
    sqs.destroy();
    await server.stop();
  });

  test('the default policy keeps other accounts out; AddPermission lets one publish until RemovePermission', async () => {
    const { topicArn, queueUrl } = await topicWithReader('shared-news');
    const refusal = `User: arn:aws:iam::${OTHER}:root is not authorized to perform: SNS:Publish on resource: ${topicArn} because no resource-based policy allows the SNS:Publish action`;
    await rejectsWith(otherSns.send(new PublishCommand({ TopicArn: topicArn, Message: 'no' })), 'AuthorizationErrorException', refusal);

    await sns.send(new AddPermissionCommand({ TopicArn: topicArn, Label: 'partner', AWSAccountId: [OTHER], ActionName: ['Publish'] }));
    const policy = JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes!.Policy!);
    assert.equal(policy.Statement[0].Sid, '__default_statement_ID', 'the default statement stays');
    assert.deepEqual(policy.Statement[1], { Sid: 'partner', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'SNS:Publish', Resource: topicArn });
    await rejectsWith(
      sns.send(new AddPermissionCommand({ TopicArn: topicArn, Label: 'partner', AWSAccountId: [OTHER], ActionName: ['Publish'] })),
      'InvalidParameterException', 'Invalid parameter: Statement already exists',
    );
    await otherSns.send(new PublishCommand({ TopicArn: topicArn, Message: 'from the partner' }));
    assert.equal((await receive(queueUrl))?.Body, 'from the partner');
    // Publish is all it was given.
    await rejectsWith(
      otherSns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:${OTHER}:mine` })),
      'AuthorizationErrorException', refusal.replaceAll('SNS:Publish', 'SNS:Subscribe'),
    );

    await sns.send(new RemovePermissionCommand({ TopicArn: topicArn, Label: 'partner' }));
    await rejectsWith(otherSns.send(new PublishCommand({ TopicArn: topicArn, Message: 'no' })), 'AuthorizationErrorException', refusal);
  });

  test('S3 validates a topic destination against the topic policy, then publishes through it', async () => {
    const s3 = new S3Client(config(OWNER));
    try {
      const { topicArn, queueUrl } = await topicWithReader('uploads-topic');
      await s3.send(new CreateBucketCommand({ Bucket: 'topic-uploads' }));
      const put = () => s3.send(new PutBucketNotificationConfigurationCommand({
        Bucket: 'topic-uploads',
        NotificationConfiguration: { TopicConfigurations: [{ TopicArn: topicArn, Events: ['s3:ObjectCreated:*'] }] },
      }));
      // The default policy is for the owner account's principals, not for S3.
      await rejectsWith(put(), 'InvalidArgument', 'Unable to validate the following destination configurations');
      await sns.send(new SetTopicAttributesCommand({
        TopicArn: topicArn, AttributeName: 'Policy',
        AttributeValue: policyFor(topicArn, { Service: 's3.amazonaws.com' }, { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::topic-uploads' }, StringEquals: { 'aws:SourceAccount': OWNER } }),
      }));
      await put();
      assert.equal(JSON.parse((await receive(queueUrl))!.Body!).Event, 's3:TestEvent');
      await s3.send(new PutObjectCommand({ Bucket: 'topic-uploads', Key: 'k.txt', Body: 'k' }));
      const record = JSON.parse((await receive(queueUrl))!.Body!) as { Records: Array<{ s3: { object: { key: string } } }> };
      assert.equal(record.Records[0]!.s3.object.key, 'k.txt');
    } finally {
      s3.destroy();
    }
  });

  test('an EventBridge target topic must allow events.amazonaws.com; before it does, the event goes to the DLQ as NO_PERMISSIONS', async () => {
    const eb = new EventBridgeClient(config(OWNER));
    try {
      const { topicArn, queueUrl } = await topicWithReader('rule-topic');
      const ruleArn = (await eb.send(new PutRuleCommand({ Name: 'to-topic', EventPattern: '{"source":["topic.test"]}' }))).RuleArn!;
      const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'to-topic-dlq' }))).QueueUrl!;
      const dlqArn = await allowServiceToSend(sqs, dlqUrl, 'events.amazonaws.com', ruleArn);
      await eb.send(new PutTargetsCommand({ Rule: 'to-topic', Targets: [{ Id: 't', Arn: topicArn, DeadLetterConfig: { Arn: dlqArn } }] }));
      const send = () => eb.send(new PutEventsCommand({ Entries: [{ Source: 'topic.test', DetailType: 'T', Detail: '{}' }] }));
      await send();
      const dead = await receive(dlqUrl);
      assert.equal(dead?.MessageAttributes?.ERROR_CODE?.StringValue, 'NO_PERMISSIONS');
      assert.equal(
        dead?.MessageAttributes?.ERROR_MESSAGE?.StringValue,
        `User: events.amazonaws.com is not authorized to perform: SNS:Publish on resource: ${topicArn} because no resource-based policy allows the SNS:Publish action`,
      );

      await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: 'Policy', AttributeValue: policyFor(topicArn, { Service: 'events.amazonaws.com' }, { ArnEquals: { 'aws:SourceArn': ruleArn } }) }));
      await send();
      assert.equal(JSON.parse((await receive(queueUrl))!.Body!).source, 'topic.test');
    } finally {
      eb.destroy();
    }
  });

  test('boto3: another account publishes once the topic policy names it, and is refused before', { skip: boto3Skip }, async () => {
    const { topicArn, queueUrl } = await topicWithReader('boto3-topic');
    const script = `
import boto3, botocore, sys
c = boto3.client('sns', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='${OTHER}', aws_secret_access_key='test')
try:
    c.publish(TopicArn=sys.argv[2], Message='hello')
    print('published')
except botocore.exceptions.ClientError as e:
    print(e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'])
`;
    assert.equal((await run('python3', ['-c', script, server.url, topicArn])).stdout.trim(), 'AuthorizationError 403');
    await sns.send(new SetTopicAttributesCommand({ TopicArn: topicArn, AttributeName: 'Policy', AttributeValue: policyFor(topicArn, { AWS: OTHER }, {}) }));
    assert.equal((await run('python3', ['-c', script, server.url, topicArn])).stdout.trim(), 'published');
    assert.equal((await receive(queueUrl))?.Body, 'hello');
  });
});
