import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  CreateFunctionCommand, GetProvisionedConcurrencyConfigCommand, InvokeCommand, PublishVersionCommand, PutFunctionConcurrencyCommand,
  CreateEventSourceMappingCommand, PutProvisionedConcurrencyConfigCommand, waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { NODE_HANDLER_ZIP, ROLE } from './support/zip.js';
import { allowServiceToSend, sqsClient } from './support/sqs.js';
import { kinesisClient } from './support/kinesis.js';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createStreamTable, dynamodbClient } from './support/dynamodb-streams.js';
import { createActiveStream, putRecords, sleep } from './support/stream-mappings.js';

const MINUTE = 60_000;

describe('platform metrics: AWS/Lambda concurrency and stream ages, AWS/SQS, AWS/Events', () => {
  let server: TestServer;
  let cw: CloudWatchClient;
  before(async () => {
    server = await startTestServer();
    cw = new CloudWatchClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  after(async () => {
    await server?.stop();
  });

  const sum = async (Namespace: string, MetricName: string, Dimensions: { Name: string; Value: string }[], want: number) => {
    let total = 0;
    for (let i = 0; i < 50; i++) {
      const out = await cw.send(new GetMetricStatisticsCommand({ Namespace, MetricName, Dimensions, StartTime: new Date(Date.now() - 10 * MINUTE), EndTime: new Date(Date.now() + MINUTE), Period: 600, Statistics: ['Sum'] }));
      total = out.Datapoints?.reduce((n, p) => n + (p.Sum ?? 0), 0) ?? 0;
      if (total >= want) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return total;
  };

  /** The highest Maximum of the last ten minutes, once `ready` accepts it (or after 5 s). */
  const maximum = async (MetricName: string, Dimensions: { Name: string; Value: string }[], ready: (max: number | undefined) => boolean) => {
    let max: number | undefined;
    for (let i = 0; i < 50; i++) {
      const out = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName, Dimensions, StartTime: new Date(Date.now() - 10 * MINUTE), EndTime: new Date(Date.now() + MINUTE), Period: 600, Statistics: ['Maximum'] }));
      const points = out.Datapoints ?? [];
      max = points.length ? Math.max(...points.map((p) => p.Maximum ?? 0)) : undefined;
      if (ready(max)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return max;
  };

  const createFunction = async (FunctionName: string) => {
    const lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({ FunctionName, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName });
    return lambda;
  };

  // Before any other test invokes a function: the account's executions so far are only these.
  test('a version with provisioned concurrency records ProvisionedConcurrentExecutions and ProvisionedConcurrencyUtilization', async () => {
    const lambda = await createFunction('provisioned');
    const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: 'provisioned' }));
    await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'provisioned', Qualifier: Version, ProvisionedConcurrentExecutions: 2 }));
    let status: string | undefined;
    for (let i = 0; i < 300 && status !== 'READY'; i++) {
      status = (await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'provisioned', Qualifier: Version }))).Status;
      if (status !== 'READY') await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(status, 'READY');
    await lambda.send(new InvokeCommand({ FunctionName: 'provisioned', Qualifier: Version, Payload: Buffer.from('{}') }));
    const resource = [{ Name: 'FunctionName', Value: 'provisioned' }, { Name: 'Resource', Value: `provisioned:${Version}` }];
    assert.equal(await maximum('ProvisionedConcurrentExecutions', resource, (m) => m !== undefined), 1);
    assert.equal(await maximum('ProvisionedConcurrentExecutions', [{ Name: 'FunctionName', Value: 'provisioned' }], (m) => m !== undefined), 1);
    // One of the two provisioned environments was busy at most.
    assert.equal(await maximum('ProvisionedConcurrencyUtilization', resource, (m) => m !== undefined), 0.5);
  });

  test('UnreservedConcurrentExecutions counts on-demand executions of functions without reserved concurrency', async () => {
    const lambda = await createFunction('reserved');
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'reserved', ReservedConcurrentExecutions: 5 }));
    await lambda.send(new InvokeCommand({ FunctionName: 'reserved', Payload: Buffer.from('{}') }));
    // So far a provisioned environment (the test before) and a reserved function ran.
    assert.equal(await maximum('ConcurrentExecutions', [{ Name: 'FunctionName', Value: 'reserved' }], (m) => m !== undefined), 1);
    assert.equal(await maximum('UnreservedConcurrentExecutions', [], (m) => m !== undefined), 0);
    // $LATEST of the provisioned function runs on demand, unreserved.
    await lambda.send(new InvokeCommand({ FunctionName: 'provisioned', Payload: Buffer.from('{}') }));
    assert.equal(await maximum('UnreservedConcurrentExecutions', [], (m) => m === 1), 1);
    assert.equal(await maximum('ProvisionedConcurrentExecutions', [{ Name: 'FunctionName', Value: 'provisioned' }, { Name: 'Resource', Value: 'provisioned' }], () => true), undefined);
  });

  test('a Kinesis mapping records IteratorAge: how long before the send the stream received the batch’s last record', async () => {
    const lambda = await createFunction('aged');
    const kinesis = kinesisClient(server.url);
    try {
      const arn = await createActiveStream(kinesis, 'aged');
      await putRecords(kinesis, 'aged', [{ key: 'a', data: 1 }, { key: 'b', data: 2 }]);
      // The records wait in the stream before the mapping exists: the age counts from their arrival.
      await sleep(400);
      await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'aged:$LATEST', EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON' }));
      const byFunction = await maximum('IteratorAge', [{ Name: 'FunctionName', Value: 'aged' }], (m) => m !== undefined);
      assert.ok(byFunction !== undefined && byFunction >= 400 && byFunction < 60_000, `IteratorAge ${byFunction}`);
      const byResource = await maximum('IteratorAge', [{ Name: 'FunctionName', Value: 'aged' }, { Name: 'Resource', Value: 'aged:$LATEST' }], (m) => m !== undefined);
      assert.equal(byResource, byFunction);
    } finally {
      kinesis.destroy();
    }
  });

  test('a DynamoDB stream mapping records IteratorAge too', async () => {
    const lambda = await createFunction('aged-table');
    const ddb = dynamodbClient(server.url);
    try {
      const arn = await createStreamTable(ddb, 'aged-table');
      await ddb.send(new PutItemCommand({ TableName: 'aged-table', Item: { id: { S: 'a' } } }));
      await sleep(400);
      await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'aged-table', EventSourceArn: arn, StartingPosition: 'TRIM_HORIZON' }));
      const age = await maximum('IteratorAge', [{ Name: 'FunctionName', Value: 'aged-table' }, { Name: 'Resource', Value: 'aged-table' }], (m) => m !== undefined);
      assert.ok(age !== undefined && age >= 400 && age < 60_000, `IteratorAge ${age}`);
    } finally {
      ddb.destroy();
    }
  });

  test('SQS counts messages sent, received and deleted per QueueName', async () => {
    const sqs = sqsClient(server.url);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'counted' }));
    for (const body of ['a', 'b']) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: received.Messages![0]!.ReceiptHandle! }));
    const dims = [{ Name: 'QueueName', Value: 'counted' }];
    assert.equal(await sum('AWS/SQS', 'NumberOfMessagesSent', dims, 2), 2);
    assert.equal(await sum('AWS/SQS', 'NumberOfMessagesReceived', dims, 1), 1);
    assert.equal(await sum('AWS/SQS', 'NumberOfMessagesDeleted', dims, 1), 1);
  });

  test('EventBridge counts a rule’s target invocations', async () => {
    const sqs = sqsClient(server.url);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'rule-target' }));
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const events = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const { RuleArn } = await events.send(new PutRuleCommand({ Name: 'orders', EventPattern: JSON.stringify({ source: ['shop'] }) }));
    await allowServiceToSend(sqs, QueueUrl!, 'events.amazonaws.com', RuleArn);
    await events.send(new PutTargetsCommand({ Rule: 'orders', Targets: [{ Id: 'q', Arn: arn }] }));
    await events.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'order', Detail: '{}' }] }));
    assert.equal(await sum('AWS/Events', 'Invocations', [{ Name: 'RuleName', Value: 'orders' }], 1), 1);
    assert.equal(await sum('AWS/Events', 'Invocations', [], 1), 1);
  });

  test('asynchronous invokes count AsyncEventsReceived and each attempt’s AsyncEventAge', async () => {
    const lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'queued', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'queued' });
    for (let i = 0; i < 2; i++) await lambda.send(new InvokeCommand({ FunctionName: 'queued', InvocationType: 'Event', Payload: Buffer.from('{}') }));
    const dims = [{ Name: 'FunctionName', Value: 'queued' }];
    assert.equal(await sum('AWS/Lambda', 'AsyncEventsReceived', dims, 2), 2);
    let ages = 0;
    for (let i = 0; i < 100 && ages < 2; i++) {
      const out = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName: 'AsyncEventAge', Dimensions: dims, StartTime: new Date(Date.now() - 10 * MINUTE), EndTime: new Date(Date.now() + MINUTE), Period: 600, Statistics: ['SampleCount', 'Minimum'] }));
      ages = out.Datapoints?.[0]?.SampleCount ?? 0;
      if (ages < 2) await new Promise((r) => setTimeout(r, 100));
      else assert.ok((out.Datapoints?.[0]?.Minimum ?? -1) >= 0);
    }
    assert.equal(ages, 2);
  });
});
