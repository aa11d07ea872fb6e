import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand, DescribeStackResourceCommand, DescribeStacksCommand, ListStacksCommand, UpdateStackCommand, type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { cloudFormationClient, waitForStatus } from './support/cloudformation.js';
import { s3Client } from './support/s3.js';
import { startTestServer, type TestServer } from './support/server.js';

const CHILD = `
Parameters:
  Prefix:
    Type: String
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '\${Prefix}-jobs'
Outputs:
  QueueArn:
    Value: !GetAtt Queue.Arn
  QueueName:
    Value: !GetAtt Queue.QueueName
`;

// A resource whose creation fails (Lambda refuses the memory size), after a queue that succeeds.
const FAILING_CHILD = `
Resources:
  Fine:
    Type: AWS::SQS::Queue
  Bad:
    Type: AWS::Lambda::Function
    DependsOn: Fine
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Role: arn:aws:iam::000000000000:role/r
      MemorySize: 1
      Code:
        ZipFile: "exports.handler = async () => 1;"
`;

const parent = (url: string) => `
Parameters:
  Prefix:
    Type: String
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ${url}
      Parameters:
        Prefix: !Ref Prefix
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: !GetAtt Child.Outputs.QueueName
Outputs:
  ChildQueue:
    Value: !GetAtt Child.Outputs.QueueArn
  ChildId:
    Value: !Ref Child
`;

describe('CloudFormation nested stacks (AWS::CloudFormation::Stack)', () => {
  let server: TestServer;
  let cfn: CloudFormationClient;
  let sqs: SQSClient;
  const url = (key: string) => `${server.url}/nested-templates/${key}`;

  before(async () => {
    server = await startTestServer();
    cfn = cloudFormationClient(server.url);
    sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const s3 = s3Client(server);
    await s3.send(new CreateBucketCommand({ Bucket: 'nested-templates' }));
    await s3.send(new PutObjectCommand({ Bucket: 'nested-templates', Key: 'child.yaml', Body: CHILD }));
    await s3.send(new PutObjectCommand({ Bucket: 'nested-templates', Key: 'failing.yaml', Body: FAILING_CHILD }));
  });
  after(async () => {
    await server.stop();
  });

  const outputs = async (name: string) =>
    Object.fromEntries(((await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));

  test('create, update through the parent, delete with the parent; outputs read by Fn::GetAtt', async () => {
    await cfn.send(new CreateStackCommand({ StackName: 'app', TemplateBody: parent(url('child.yaml')), Parameters: [{ ParameterKey: 'Prefix', ParameterValue: 'one' }] }));
    await waitForStatus(cfn, 'app', 'CREATE_COMPLETE');
    const created = await outputs('app');
    assert.equal(created.ChildQueue, 'arn:aws:sqs:us-east-1:000000000000:one-jobs');
    assert.match(created.ChildId ?? '', /^arn:aws:cloudformation:us-east-1:000000000000:stack\/app-Child-[A-Z0-9]{12}\/[0-9a-f-]{36}$/);
    const nested = (await cfn.send(new DescribeStacksCommand({ StackName: created.ChildId }))).Stacks![0]!;
    assert.equal(nested.StackStatus, 'CREATE_COMPLETE');
    assert.deepEqual(nested.Parameters, [{ ParameterKey: 'Prefix', ParameterValue: 'one' }]);
    const sns = new SNSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const topicArn = (await cfn.send(new DescribeStackResourceCommand({ StackName: 'app', LogicalResourceId: 'Topic' }))).StackResourceDetail!.PhysicalResourceId!;
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes?.DisplayName, 'one-jobs');

    await cfn.send(new UpdateStackCommand({ StackName: 'app', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'Prefix', ParameterValue: 'two' }] }));
    await waitForStatus(cfn, 'app', 'UPDATE_COMPLETE');
    assert.equal((await outputs('app')).ChildQueue, 'arn:aws:sqs:us-east-1:000000000000:two-jobs');
    assert.equal((await outputs('app')).ChildId, created.ChildId, 'the nested stack is updated in place');
    assert.equal((await cfn.send(new DescribeStacksCommand({ StackName: created.ChildId }))).Stacks![0]!.StackStatus, 'UPDATE_COMPLETE');
    await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: 'one-jobs' })), /does not exist/);

    // A queue name SQS refuses: the nested update fails and rolls back, then the parent's.
    await cfn.send(new UpdateStackCommand({ StackName: 'app', UsePreviousTemplate: true, Parameters: [{ ParameterKey: 'Prefix', ParameterValue: 'not valid!' }] }));
    await waitForStatus(cfn, 'app', 'UPDATE_ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'app' }))).StackEvents ?? [];
    const failed = events.find((e) => e.LogicalResourceId === 'Child' && e.ResourceStatus === 'UPDATE_FAILED');
    assert.match(failed?.ResourceStatusReason ?? '', /^Embedded stack arn:\S+ was not successfully updated\. Currently in UPDATE_ROLLBACK_IN_PROGRESS with reason: The following resource\(s\) failed to (update|create): \[Queue\]\. /);
    assert.equal((await outputs('app')).ChildQueue, 'arn:aws:sqs:us-east-1:000000000000:two-jobs');
    // The nested stack rolled back on its own (the queue that was never made is not an error to delete).
    assert.equal((await cfn.send(new DescribeStacksCommand({ StackName: created.ChildId }))).Stacks![0]!.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    assert.ok((await sqs.send(new GetQueueUrlCommand({ QueueName: 'two-jobs' }))).QueueUrl);

    await cfn.send(new DeleteStackCommand({ StackName: 'app' }));
    await waitForStatus(cfn, created.ChildId!, 'DELETE_COMPLETE');
    await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: 'app' })), /Stack with id app does not exist/);
    await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: 'two-jobs' })), /does not exist/);
  });

  test('a nested stack that fails rolls back, and its parent with it, leaving nothing', async () => {
    const template = `
Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ${url('failing.yaml')}
`;
    await cfn.send(new CreateStackCommand({ StackName: 'broken', TemplateBody: template }));
    await waitForStatus(cfn, 'broken', 'ROLLBACK_COMPLETE');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'broken' }))).StackEvents ?? [];
    const failed = events.find((e) => e.LogicalResourceId === 'Child' && e.ResourceStatus === 'CREATE_FAILED');
    assert.match(failed?.ResourceStatusReason ?? '', /^Embedded stack arn:aws:cloudformation:us-east-1:000000000000:stack\/broken-Child-[A-Z0-9]{12}\/[0-9a-f-]{36} was not successfully created: The following resource\(s\) failed to create: \[Bad\]\. /);
    const summaries = (await cfn.send(new ListStacksCommand({}))).StackSummaries ?? [];
    const child = summaries.find((s) => s.StackName?.startsWith('broken-Child-'));
    assert.equal(child?.StackStatus, 'DELETE_COMPLETE');
  });
});
