import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { PutRuleCommand, PutTargetsCommand, EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { allowServiceToSend } from './support/sqs.js';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, boto3Skip } from './support/cli.js';

const OWNER = '000000000000';
const OTHER = '111111111111';
const run = promisify(execFile);

async function rejectsWith(promise: Promise<unknown>, name: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, name);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

describe('SQS queue policies: AddPermission, other accounts and service principals', () => {
  let server: TestServer;
  const config = (accessKeyId: string) => ({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1, forcePathStyle: true });
  let sqs: SQSClient;
  let otherSqs: SQSClient;

  async function queue(name: string): Promise<{ url: string; arn: string }> {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    return { url, arn };
  }

  /** The next message on the queue (deleted), or undefined after `seconds` of waiting. */
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

  before(async () => {
    server = await startTestServer();
    sqs = new SQSClient(config(OWNER));
    otherSqs = new SQSClient(config(OTHER));
  });
  after(async () => {
    sqs.destroy();
    otherSqs.destroy();
    await server.stop();
  });

  test('AddPermission writes the statement AWS writes; another account may send only while it stands', async () => {
    const q = await queue('shared-inbox');
    await rejectsWith(otherSqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'hi' })), 'AccessDenied', `Access to the resource ${q.url} is denied.`);

    await sqs.send(new AddPermissionCommand({ QueueUrl: q.url, Label: 'other-sends', AWSAccountIds: [OTHER], Actions: ['SendMessage'] }));
    const policy = JSON.parse((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['Policy'] }))).Attributes!.Policy!);
    assert.deepEqual(policy, {
      Version: '2012-10-17',
      Id: `${q.arn}/SQSDefaultPolicy`,
      Statement: [{ Sid: 'other-sends', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'SQS:SendMessage', Resource: q.arn }],
    });
    await otherSqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'hi' }));
    assert.equal((await receive(q.url))?.Body, 'hi');
    // Sending is all it was given; the owner's own actions are never another account's.
    await rejectsWith(otherSqs.send(new ReceiveMessageCommand({ QueueUrl: q.url })), 'AccessDenied', `Access to the resource ${q.url} is denied.`);
    await rejectsWith(otherSqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { DelaySeconds: '1' } })), 'AccessDenied', /is denied\.$/);

    await rejectsWith(
      sqs.send(new AddPermissionCommand({ QueueUrl: q.url, Label: 'other-sends', AWSAccountIds: [OTHER], Actions: ['ReceiveMessage'] })),
      'InvalidParameterValue', 'Value other-sends for parameter Label is invalid. Reason: Already exists.',
    );
    await rejectsWith(
      sqs.send(new AddPermissionCommand({ QueueUrl: q.url, Label: 'owner-only', AWSAccountIds: [OTHER], Actions: ['DeleteQueue'] })),
      'InvalidParameterValue', 'Value SQS:DeleteQueue for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.',
    );
    await rejectsWith(
      sqs.send(new AddPermissionCommand({ QueueUrl: q.url, Label: 'many', AWSAccountIds: [OTHER], Actions: ['SendMessage', 'SendMessage', 'SendMessage', 'SendMessage', 'SendMessage', 'SendMessage', 'SendMessage', 'SendMessage'] })),
      'OverLimit', '8 Actions were found, maximum allowed is 7.',
    );
    await rejectsWith(
      sqs.send(new RemovePermissionCommand({ QueueUrl: q.url, Label: 'nope' })),
      'InvalidParameterValue', "Value nope for parameter Label is invalid. Reason: can't find label on existing policy.",
    );
    await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: '{not json' } })), 'InvalidAttributeValue', 'Invalid value for the parameter Policy. Reason: This policy contains invalid Json');

    await sqs.send(new RemovePermissionCommand({ QueueUrl: q.url, Label: 'other-sends' }));
    const after = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['Policy'] }));
    assert.equal(after.Attributes?.Policy, undefined, 'the last statement takes the policy with it');
    await rejectsWith(otherSqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'again' })), 'AccessDenied', `Access to the resource ${q.url} is denied.`);
  });

  test("S3 validates a queue destination against the queue's policy and its aws:SourceArn condition", async () => {
    const s3 = new S3Client(config(OWNER));
    try {
      const q = await queue('uploads-events');
      await s3.send(new CreateBucketCommand({ Bucket: 'policy-uploads' }));
      const put = () => s3.send(new PutBucketNotificationConfigurationCommand({
        Bucket: 'policy-uploads',
        NotificationConfiguration: { QueueConfigurations: [{ QueueArn: q.arn, Events: ['s3:ObjectCreated:*'] }] },
      }));
      await rejectsWith(put(), 'InvalidArgument', 'Unable to validate the following destination configurations');
      await allowServiceToSend(sqs, q.url, 's3.amazonaws.com', 'arn:aws:s3:::another-bucket');
      await rejectsWith(put(), 'InvalidArgument', 'Unable to validate the following destination configurations');
      await allowServiceToSend(sqs, q.url, 's3.amazonaws.com', 'arn:aws:s3:::policy-uploads');
      await put();
      assert.equal(JSON.parse((await receive(q.url))!.Body!).Event, 's3:TestEvent');
      await s3.send(new PutObjectCommand({ Bucket: 'policy-uploads', Key: 'a.txt', Body: 'a' }));
      const record = JSON.parse((await receive(q.url))!.Body!) as { Records: Array<{ s3: { object: { key: string } } }> };
      assert.equal(record.Records[0]!.s3.object.key, 'a.txt');

      // The policy taken away later: the notification is not delivered.
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: q.url, Attributes: { Policy: '' } }));
      await s3.send(new PutObjectCommand({ Bucket: 'policy-uploads', Key: 'b.txt', Body: 'b' }));
      assert.equal(await receive(q.url, 3), undefined);
    } finally {
      s3.destroy();
    }
  });

  test("SNS delivers to a queue only when its policy allows the topic; a refused message goes to the subscription's DLQ unretried", async () => {
    const sns = new SNSClient(config(OWNER));
    try {
      const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'policy-news' }))).TopicArn!;
      const q = await queue('news-reader');
      const dlq = await queue('news-dlq');
      await allowServiceToSend(sqs, dlq.url, 'sns.amazonaws.com', topicArn);
      await sns.send(new SubscribeCommand({
        TopicArn: topicArn, Protocol: 'sqs', Endpoint: q.arn,
        Attributes: { RawMessageDelivery: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
      }));
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'refused' }));
      const dead = await receive(dlq.url);
      assert.equal(dead?.Body, 'refused', 'raw delivery: the DLQ holds the message as the queue would have');
      assert.equal(await receive(q.url, 1), undefined);

      await allowServiceToSend(sqs, q.url, 'sns.amazonaws.com', topicArn);
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'allowed' }));
      assert.equal((await receive(q.url))?.Body, 'allowed');
    } finally {
      sns.destroy();
    }
  });

  test('an EventBridge target queue without a policy for the rule: the event goes to the DLQ as NO_PERMISSIONS', async () => {
    const eb = new EventBridgeClient(config(OWNER));
    try {
      const ruleArn = (await eb.send(new PutRuleCommand({ Name: 'to-queue', EventPattern: '{"source":["policy.test"]}' }))).RuleArn!;
      const q = await queue('rule-target');
      const dlq = await queue('rule-dlq');
      await allowServiceToSend(sqs, dlq.url, 'events.amazonaws.com', ruleArn);
      await eb.send(new PutTargetsCommand({ Rule: 'to-queue', Targets: [{ Id: 'q', Arn: q.arn, DeadLetterConfig: { Arn: dlq.arn } }] }));
      const send = () => eb.send(new PutEventsCommand({ Entries: [{ Source: 'policy.test', DetailType: 'T', Detail: '{}' }] }));
      await send();
      const dead = await receive(dlq.url);
      assert.ok(dead, 'the refused event reaches the DLQ');
      assert.equal(dead.MessageAttributes?.ERROR_CODE?.StringValue, 'NO_PERMISSIONS');
      assert.equal(dead.MessageAttributes?.ERROR_MESSAGE?.StringValue, `Access to the resource https://sqs.us-east-1.amazonaws.com/${OWNER}/rule-target is denied.`);
      assert.equal(dead.MessageAttributes?.RETRY_ATTEMPTS?.StringValue, '0');

      await allowServiceToSend(sqs, q.url, 'events.amazonaws.com', ruleArn);
      await send();
      assert.equal(JSON.parse((await receive(q.url))!.Body!).source, 'policy.test');
    } finally {
      eb.destroy();
    }
  });

  test('the AWS CLI adds and removes a permission', { skip: awsCliSkip }, async () => {
    const q = await queue('cli-shared');
    const env = { ...process.env, AWS_ACCESS_KEY_ID: OWNER, AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const cli = (...args: string[]) => run('aws', ['--endpoint-url', server.url, 'sqs', ...args], { env });
    await cli('add-permission', '--queue-url', q.url, '--label', 'cli', '--aws-account-ids', OTHER, '--actions', 'SendMessage', 'ReceiveMessage');
    const { stdout } = await cli('get-queue-attributes', '--queue-url', q.url, '--attribute-names', 'Policy');
    const statement = JSON.parse((JSON.parse(stdout) as { Attributes: { Policy: string } }).Attributes.Policy).Statement[0];
    assert.deepEqual(statement.Action, ['SQS:SendMessage', 'SQS:ReceiveMessage']);
    await otherSqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'from the other account' }));
    assert.equal((await otherSqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 1 }))).Messages?.[0]?.Body, 'from the other account');
    await cli('remove-permission', '--queue-url', q.url, '--label', 'cli');
    await rejectsWith(otherSqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'x' })), 'AccessDenied', /is denied\.$/);
  });

  test('boto3 (query-compatible JSON) sees AccessDenied from another account', { skip: boto3Skip }, async () => {
    const q = await queue('boto3-private');
    const script = `
import boto3, botocore, sys
c = boto3.client('sqs', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='${OTHER}', aws_secret_access_key='test')
try:
    c.send_message(QueueUrl=sys.argv[2], MessageBody='x')
    print('sent')
except botocore.exceptions.ClientError as e:
    print(e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'])
`;
    const { stdout } = await run('python3', ['-c', script, server.url, q.url]);
    assert.equal(stdout.trim(), 'AccessDenied 403');
  });
});
