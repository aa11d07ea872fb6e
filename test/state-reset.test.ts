import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand, CreateEventSourceMappingCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, GetFunctionCommand, InvokeCommand,
  ListEventSourceMappingsCommand, ListFunctionsCommand, ListLayersCommand, PublishLayerVersionCommand, PublishVersionCommand, waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, ListSubscriptionsCommand, ListTopicsCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { GetItemCommand, ListTablesCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { createTable, dynamodbClient } from './support/dynamodb.js';
import { EventBridgeClient, CreateEventBusCommand, ListEventBusesCommand, ListRulesCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, ListMetricsCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { KinesisClient, CreateStreamCommand, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { SSMClient, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, ListBucketsCommand, ListMultipartUploadsCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { s3Client } from './support/s3.js';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand, PutLogEventsCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { stateResetRoute } from '../src/operator/state-reset.js';
import { startTestServer, type TestServer } from './support/server.js';
import { allowServiceToSend, sqsClient } from './support/sqs.js';
import { rejectsWith } from './support/aws-errors.js';
import { makeZip, ROLE } from './support/zip.js';

describe('POST /_lambkin/reset', () => {
  let server: TestServer;
  let sqs: SQSClient;
  before(async () => {
    server = await startTestServer();
    sqs = sqsClient(server.url);
  });
  after(() => server.stop());

  const reset = async (query = '') => {
    const res = await fetch(`${server.url}/_lambkin/reset${query}`, { method: 'POST' });
    return { status: res.status, errorType: res.headers.get('x-amzn-errortype'), body: (await res.json()) as Record<string, unknown> };
  };

  test('empties SQS (queues, messages, waiting long polls), then every service; new resources work at once', async () => {
    const sns = new SNSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'kept-until-all' }))).TopicArn as string;
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'before-reset', Attributes: { VisibilityTimeout: '60' } }))).QueueUrl as string;
    await sqs.send(new CreateQueueCommand({ QueueName: 'before-reset.fifo', Attributes: { FifoQueue: 'true' } }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'old in flight' }));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages?.length, 1);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'old delayed', DelaySeconds: 30 }));
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 })).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 100));

    const started = Date.now();
    const answer = await reset('?service=sqs');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.reset, ['sqs']);
    assert.ok(Array.isArray(answer.body.notResettable));
    // The long poll on the deleted queue ends at once instead of serving a message from before.
    const waited = await waiting;
    assert.ok(!(waited && typeof waited === 'object' && 'Messages' in waited && waited.Messages), 'a long poll got a message from before the reset');
    assert.ok(Date.now() - started < 10_000);

    assert.equal((await sqs.send(new ListQueuesCommand({}))).QueueUrls, undefined);
    // Only the service named: the topic is still there.
    assert.deepEqual((await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn), [topicArn]);
    await rejectsWith(sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })), 'QueueDoesNotExist', 400, 'The specified queue does not exist.');

    // The same name again: a fresh queue (default attributes, no old messages), usable at once.
    const again = (await sqs.send(new CreateQueueCommand({ QueueName: 'before-reset' }))).QueueUrl as string;
    assert.equal(again, url);
    await sqs.send(new SendMessageCommand({ QueueUrl: again, MessageBody: 'new' }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: again, AttributeNames: ['VisibilityTimeout', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    assert.deepEqual(attrs.Attributes, { VisibilityTimeout: '30', ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '0' });
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: again, MaxNumberOfMessages: 10 }));
    assert.deepEqual(got.Messages?.map((m) => m.Body), ['new']);

    // Without `service`: every service that can be reset is, and the answer says which cannot.
    const all = await reset();
    assert.equal(all.status, 200);
    assert.ok(['sqs', 'sns', 'dynamodb'].every((name) => (all.body.reset as string[]).includes(name)), JSON.stringify(all.body));
    assert.ok(!(all.body.notResettable as string[]).includes('sqs'));
    assert.equal((await sqs.send(new ListQueuesCommand({}))).QueueUrls, undefined);
    assert.deepEqual((await sns.send(new ListTopicsCommand({}))).Topics ?? [], []);
    // A topic and a queue subscription made right after the reset work.
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'after-reset' }))).QueueUrl as string;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn as string;
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'after-reset' }))).TopicArn as string;
    await allowServiceToSend(sqs, queueUrl, 'sns.amazonaws.com', topic);
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: 'true' } }));
    assert.equal((await sns.send(new ListSubscriptionsCommand({}))).Subscriptions?.length, 1);
    await sns.send(new PublishCommand({ TopicArn: topic, Message: 'fan-out after reset' }));
    const delivered = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 10 }));
    assert.equal(delivered.Messages?.[0]?.Body, 'fan-out after reset');
  });

  test('empties DynamoDB: tables and items are gone, even from the table cache, and a table of the same name starts empty', async () => {
    const ddb = dynamodbClient(server.url);
    await createTable(ddb, 'reset-t', { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } });
    await ddb.send(new PutItemCommand({ TableName: 'reset-t', Item: { id: { S: 'old' } } }));
    // Read once so the table is cached.
    assert.ok((await ddb.send(new GetItemCommand({ TableName: 'reset-t', Key: { id: { S: 'old' } } }))).Item);
    const answer = await reset('?service=dynamodb');
    assert.deepEqual(answer.body.reset, ['dynamodb']);
    assert.deepEqual((await ddb.send(new ListTablesCommand({}))).TableNames, []);
    await rejectsWith(ddb.send(new GetItemCommand({ TableName: 'reset-t', Key: { id: { S: 'old' } } })), 'ResourceNotFoundException', 400);
    await createTable(ddb, 'reset-t');
    assert.equal((await ddb.send(new GetItemCommand({ TableName: 'reset-t', Key: { id: { S: 'old' } } }))).Item, undefined);
    await ddb.send(new PutItemCommand({ TableName: 'reset-t', Item: { id: { S: 'new' } } }));
    assert.deepEqual((await ddb.send(new ScanCommand({ TableName: 'reset-t' }))).Items, [{ id: { S: 'new' } }]);
  });

  test('an unknown service name is an AWS-style JSON error', async () => {
    const answer = await reset('?service=sqs,nosuch');
    assert.equal(answer.status, 400);
    assert.equal(answer.errorType, 'InvalidParameterValueException');
    assert.equal(answer.body.__type, 'InvalidParameterValueException');
    assert.match(String(answer.body.message), /^Unknown service nosuch: valid values are .*\bsqs\b/);
    // A service that cannot be reset yet is refused rather than half reset.
    const notYet = await reset('?service=dynamodbstreams');
    assert.equal(notYet.status, 400);
    assert.match(String(notYet.body.message), /^Service dynamodbstreams cannot be reset yet; services that can: .*\blambda\b.*\bsqs\b/);
  });

  test('refused off loopback unless LAMBKIN_ALLOW_REMOTE_RESET=1', async () => {
    let resets = 0;
    const services = [{ name: 'sqs', reset: async () => void resets++ }];
    const remote = { sourceIp: '192.0.2.7', headers: {}, signer: async () => null };
    const refused = await stateResetRoute(services, false).handle('/_lambkin/reset', new URLSearchParams(), remote);
    assert.equal(refused.status, 403);
    assert.equal(refused.headers?.['x-amzn-errortype'], 'AccessDeniedException');
    assert.equal(resets, 0);
    const allowed = await stateResetRoute(services, true).handle('/_lambkin/reset', new URLSearchParams(), remote);
    assert.equal(allowed.status, 200);
    assert.equal(resets, 1);
  });

  test('GET /_lambkin/invocations lists a function\'s last invocations, newest first', async () => {
    const lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'counted', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE,
      Code: { ZipFile: makeZip({ 'index.js': 'exports.handler = async (e) => { if (e.fail) throw new Error("no"); return e; };\n' }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: 'counted' });
    const version = (await lambda.send(new PublishVersionCommand({ FunctionName: 'counted' }))).Version as string;
    const ids: string[] = [];
    for (const [qualifier, payload] of [[undefined, '{}'], [version, '{}'], [undefined, '{"fail":true}']] as const) {
      const out = await lambda.send(new InvokeCommand({ FunctionName: 'counted', Qualifier: qualifier, Payload: Buffer.from(payload) }));
      ids.push(out.$metadata.requestId as string);
    }
    const res = await fetch(`${server.url}/_lambkin/invocations?function=counted&limit=2`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { invocations: Array<Record<string, unknown>> };
    assert.deepEqual(body.invocations.map((i) => [i.requestId, i.version, i.outcome]), [[ids[2], '$LATEST', 'error'], [ids[1], version, 'success']]);
    for (const i of body.invocations) assert.ok(typeof i.durationMs === 'number' && typeof i.billedDurationMs === 'number' && typeof i.timestamp === 'string');
    const missing = await fetch(`${server.url}/_lambkin/invocations`);
    assert.equal(missing.status, 400);
    assert.equal(missing.headers.get('x-amzn-errortype'), 'InvalidParameterValueException');
  });

  test('empties Lambda: functions with their versions, aliases and URLs, mappings (their pollers stop) and layers; a new function of the same name runs its own code', async () => {
    const lambda = server.lambda();
    const create = async (answer: string) => {
      await lambda.send(new CreateFunctionCommand({
        FunctionName: 'reset-fn', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE,
        Code: { ZipFile: makeZip({ 'index.js': `exports.handler = async () => ${JSON.stringify(answer)};\n` }) },
      }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: 'reset-fn' });
    };
    await create('old');
    const invoke = async () => Buffer.from((await lambda.send(new InvokeCommand({ FunctionName: 'reset-fn' }))).Payload!).toString();
    assert.equal(await invoke(), '"old"');
    const version = (await lambda.send(new PublishVersionCommand({ FunctionName: 'reset-fn' }))).Version!;
    await lambda.send(new CreateAliasCommand({ FunctionName: 'reset-fn', Name: 'live', FunctionVersion: version }));
    const url = (await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'reset-fn', AuthType: 'NONE' }))).FunctionUrl!;
    await lambda.send(new PublishLayerVersionCommand({ LayerName: 'reset-layer', Content: { ZipFile: makeZip({ 'a.txt': 'a' }) } }));
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'reset-esm' }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'reset-fn', EventSourceArn: queueArn, BatchSize: 1 }));
    // The mapping's poller runs (it took and deleted a message) before the reset, so the reset has one to stop.
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'before reset' }));
    for (let consumed = false; !consumed; await new Promise((r) => setTimeout(r, 50))) {
      const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes!;
      consumed = attrs.ApproximateNumberOfMessages === '0' && attrs.ApproximateNumberOfMessagesNotVisible === '0';
    }

    const answer = await reset('?service=lambda');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.reset, ['lambda']);
    assert.deepEqual((await lambda.send(new ListFunctionsCommand({}))).Functions, []);
    assert.deepEqual((await lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings, []);
    assert.deepEqual((await lambda.send(new ListLayersCommand({}))).Layers, []);
    await rejectsWith(lambda.send(new GetFunctionCommand({ FunctionName: 'reset-fn' })), 'ResourceNotFoundException', 404);
    const urlId = new URL(url).hostname.split('.')[0];
    assert.equal((await fetch(`${server.url}/_lambkin/url/${urlId}/`)).status, 404);

    // The queue (not reset) keeps a message sent now: the deleted mapping's poller stopped before
    // the reset answered, so none takes it (it did not when it stopped only at its next reconcile).
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'after reset' }));
    await new Promise((r) => setTimeout(r, 1500));
    const left = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    assert.equal(left.Attributes!.ApproximateNumberOfMessages, '1');

    // Same name, new code: a new environment, not the old function's.
    await create('new');
    assert.equal(await invoke(), '"new"');
  });

  test('empties EventBridge, Kinesis and SSM: buses, rules and targets, streams, parameters with their history', async () => {
    const config = { endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const events = new EventBridgeClient(config);
    const kinesis = new KinesisClient(config);
    const ssm = new SSMClient(config);
    await events.send(new CreateEventBusCommand({ Name: 'reset-bus' }));
    await events.send(new PutRuleCommand({ Name: 'reset-tick', ScheduleExpression: 'rate(1 minute)' }));
    await events.send(new PutTargetsCommand({ Rule: 'reset-tick', Targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:nowhere' }] }));
    await kinesis.send(new CreateStreamCommand({ StreamName: 'reset-stream', ShardCount: 1 }));
    await ssm.send(new PutParameterCommand({ Name: '/reset/p', Value: 'a', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/reset/p', Value: 'b', Type: 'String', Overwrite: true }));

    const answer = await reset('?service=events,kinesis,ssm');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.reset, ['events', 'kinesis', 'ssm']);
    assert.deepEqual((await events.send(new ListRulesCommand({}))).Rules, []);
    assert.deepEqual((await events.send(new ListEventBusesCommand({}))).EventBuses?.map((b) => b.Name), ['default']);
    assert.deepEqual((await kinesis.send(new ListStreamsCommand({}))).StreamNames, []);
    await rejectsWith(ssm.send(new GetParameterCommand({ Name: '/reset/p' })), 'ParameterNotFound', 400);
    // Same names again start fresh.
    await events.send(new CreateEventBusCommand({ Name: 'reset-bus' }));
    await kinesis.send(new CreateStreamCommand({ StreamName: 'reset-stream', ShardCount: 1 }));
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/reset/p', Value: 'c', Type: 'String' }))).Version, 1);
  });

  test('empties S3: buckets, objects, uploads, and the object files on disk', async () => {
    const s3 = s3Client(server);
    const objectsDir = path.join(server.dataDir, 's3', 'objects');
    const files = () => readdirSync(objectsDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
    await s3.send(new CreateBucketCommand({ Bucket: 'reset-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'reset-bucket', Key: 'k', Body: 'old' }));
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'reset-bucket', Key: 'big' }));
    await s3.send(new UploadPartCommand({ Bucket: 'reset-bucket', Key: 'big', UploadId: upload.UploadId, PartNumber: 1, Body: 'part' }));
    assert.ok(files() >= 2);

    const answer = await reset('?service=s3');
    assert.deepEqual(answer.body.reset, ['s3']);
    assert.equal(files(), 0);
    assert.deepEqual((await s3.send(new ListBucketsCommand({}))).Buckets ?? [], []);
    await s3.send(new CreateBucketCommand({ Bucket: 'reset-bucket' }));
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket: 'reset-bucket', Key: 'k' })), 'NoSuchKey', 404);
    assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'reset-bucket' }))).Uploads, undefined);
    await s3.send(new PutObjectCommand({ Bucket: 'reset-bucket', Key: 'k', Body: 'new' }));
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'reset-bucket', Key: 'k' }))).Body!.transformToString(), 'new');
  });

  test('empties CloudWatch Logs: groups with their streams, events and filters', async () => {
    const logs = new CloudWatchLogsClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/reset/group' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/reset/group', logStreamName: 's' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/reset/group', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'old' }] }));
    await logs.send(new PutMetricFilterCommand({ logGroupName: '/reset/group', filterName: 'f', filterPattern: 'ERROR', metricTransformations: [{ metricName: 'm', metricNamespace: 'n', metricValue: '1' }] }));
    const answer = await reset('?service=logs');
    assert.deepEqual(answer.body.reset, ['logs']);
    assert.deepEqual((await logs.send(new DescribeLogGroupsCommand({}))).logGroups, []);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/reset/group' }));
    assert.deepEqual((await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/reset/group' }))).logStreams, []);
  });

  test('empties CloudWatch: metrics and alarms with their history; new ones work at once', async () => {
    const cw = new CloudWatchClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    try {
      await cw.send(new PutMetricDataCommand({ Namespace: 'Reset/Test', MetricData: [{ MetricName: 'Orders', Value: 3 }] }));
      await cw.send(new PutMetricAlarmCommand({
        AlarmName: 'reset-orders', Namespace: 'Reset/Test', MetricName: 'Orders', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
      }));
      assert.equal((await cw.send(new ListMetricsCommand({ Namespace: 'Reset/Test' }))).Metrics?.length, 1);
      const answer = await reset('?service=monitoring');
      assert.deepEqual([answer.status, answer.body.reset], [200, ['monitoring']]);
      assert.deepEqual((await cw.send(new ListMetricsCommand({ Namespace: 'Reset/Test' }))).Metrics ?? [], []);
      assert.deepEqual((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [], []);
      assert.deepEqual((await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'reset-orders' }))).AlarmHistoryItems ?? [], []);
      await cw.send(new PutMetricAlarmCommand({
        AlarmName: 'after-reset', Namespace: 'Reset/Test', MetricName: 'Orders', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
      }));
      assert.deepEqual((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms?.map((a) => a.AlarmName), ['after-reset']);
    } finally {
      cw.destroy();
    }
  });
});
