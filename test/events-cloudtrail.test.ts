import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateFunctionCommand, PublishVersionCommand, UpdateFunctionCodeCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { allowServiceToSend } from './support/sqs.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';
import { awsCliSkip } from './support/cli.js';

const CODE = makeZip({ 'index.js': 'exports.handler = async () => 1;' });
const CODE_2 = makeZip({ 'index.js': 'exports.handler = async () => 2;' });
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

type Event = { source: string; 'detail-type': string; detail: Record<string, any> };

async function queueFor(sqs: SQSClient, eb: EventBridgeClient, name: string, pattern: unknown): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern) }));
  await allowServiceToSend(sqs, QueueUrl!, 'events.amazonaws.com', RuleArn);
  await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: Attributes!.QueueArn! }] }));
  return QueueUrl!;
}

/** Messages until `count` arrived, then one more short wait for any extra (none expected). */
async function receive(sqs: SQSClient, queueUrl: string, count: number): Promise<Event[]> {
  const got: Message[] = [];
  for (let i = 0; i < 30 && got.length < count; i++) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
    got.push(...(r.Messages ?? []));
  }
  const extra = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
  got.push(...(extra.Messages ?? []));
  return got.map((m) => JSON.parse(m.Body!) as Event);
}

describe('write API calls as "AWS API Call via CloudTrail" events on the default bus', () => {
  let server: TestServer;
  let eb: EventBridgeClient;
  let sqs: SQSClient;

  before(async () => {
    server = await startTestServer();
    eb = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  });
  after(async () => {
    eb.destroy();
    sqs.destroy();
    await server.stop();
  });

  test('a rule on UpdateFunctionCode20150331v2 gets the code update, not the create or the publish; another on aws.lambda gets every write', async () => {
    const lambda = server.lambda();
    const updates = await queueFor(sqs, eb, 'code-updates', { source: ['aws.lambda'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName: ['UpdateFunctionCode20150331v2'] } });
    const all = await queueFor(sqs, eb, 'lambda-writes', { source: ['aws.lambda'] });
    const created = await lambda.send(new CreateFunctionCommand({ FunctionName: 'audited', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: CODE } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'audited' });
    const update = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'audited', ZipFile: CODE_2 }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'audited' });
    await lambda.send(new PublishVersionCommand({ FunctionName: 'audited' }));

    const [event, ...more] = await receive(sqs, updates, 1);
    assert.equal(more.length, 0, 'only the code update matches');
    assert.equal(event!.source, 'aws.lambda');
    assert.equal(event!['detail-type'], 'AWS API Call via CloudTrail');
    const detail = event!.detail;
    assert.equal(detail.eventSource, 'lambda.amazonaws.com');
    assert.equal(detail.eventName, 'UpdateFunctionCode20150331v2');
    assert.equal(detail.awsRegion, 'us-east-1');
    assert.equal(detail.eventType, 'AwsApiCall');
    assert.equal(detail.readOnly, false);
    assert.equal(detail.userIdentity.type, 'Root');
    assert.equal(detail.userIdentity.accountId, '000000000000');
    assert.equal(detail.requestParameters.functionName, 'audited');
    assert.equal(detail.requestParameters.zipFile, 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.equal(detail.responseElements.functionArn, created.FunctionArn);
    assert.equal(detail.responseElements.codeSha256, update.CodeSha256);
    assert.equal(detail.requestID, update.$metadata.requestId);
    assert.match(detail.eventID, /^[0-9a-f-]{36}$/);
    assert.match(detail.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const names = (await receive(sqs, all, 3)).map((e) => e.detail.eventName).sort();
    assert.deepEqual(names, ['CreateFunction20150331', 'PublishVersion20150331', 'UpdateFunctionCode20150331v2'], 'reads (GetFunction by the waiters) make no event');
  });

  test('S3 bucket writes are aws.s3 events; a failed call makes none', async () => {
    const s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
    try {
      const buckets = await queueFor(sqs, eb, 'bucket-writes', { source: ['aws.s3'], detail: { eventName: ['CreateBucket', 'DeleteBucket'] } });
      await s3.send(new CreateBucketCommand({ Bucket: 'audited-bucket' }));
      await assert.rejects(s3.send(new DeleteBucketCommand({ Bucket: 'no-such-bucket' })), { name: 'NoSuchBucket' });
      const events = await receive(sqs, buckets, 1);
      assert.equal(events.length, 1);
      assert.equal(events[0]!.detail.eventName, 'CreateBucket');
      assert.equal(events[0]!.detail.eventSource, 's3.amazonaws.com');
      assert.equal(events[0]!.detail.requestParameters.bucketName, 'audited-bucket');
    } finally {
      s3.destroy();
    }
  });

  test('AWS CLI: update-function-configuration is UpdateFunctionConfiguration20150331v2', { skip: awsCliSkip }, async () => {
    const lambda = server.lambda();
    const queue = await queueFor(sqs, eb, 'config-updates', { source: ['aws.lambda'], detail: { eventName: [{ prefix: 'UpdateFunctionConfiguration' }] } });
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'cli-audited', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: CODE } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'cli-audited' });
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' };
    await new Promise<void>((resolve, reject) =>
      execFile('aws', ['--endpoint-url', server.url, 'lambda', 'update-function-configuration', '--function-name', 'cli-audited', '--timeout', '9'], { env }, (err, _out, stderr) => (err ? reject(new Error(stderr)) : resolve())),
    );
    const [event] = await receive(sqs, queue, 1);
    assert.equal(event!.detail.eventName, 'UpdateFunctionConfiguration20150331v2');
    assert.equal(event!.detail.requestParameters.timeout, 9);
    assert.equal(event!.detail.responseElements.timeout, 9);
  });
});

describe('LAMBKIN_CLOUDTRAIL_EVENTS=0', () => {
  test('write calls put no event on the bus', async () => {
    const server = await startTestServer({ LAMBKIN_CLOUDTRAIL_EVENTS: '0' });
    const eb = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
    try {
      const queue = await queueFor(sqs, eb, 'nothing', { source: ['aws.s3'] });
      await s3.send(new CreateBucketCommand({ Bucket: 'quiet-bucket' }));
      assert.deepEqual(await receive(sqs, queue, 0), []);
    } finally {
      eb.destroy();
      sqs.destroy();
      s3.destroy();
      await server.stop();
    }
  });
});
