import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateFunctionCommand, InvokeCommand, PutFunctionEventInvokeConfigCommand, waitUntilFunctionActiveV2, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { startTestServer, type TestServer } from './support/server.js';
import { allowServiceToSend, sqsClient } from './support/sqs.js';
import { makeZip, ROLE } from './support/zip.js';

// Asynchronous invocation delivering into the embedded SQS and SNS: the DLQ message with its
// attributes, and OnSuccess/OnFailure invocation records through a queue, a topic and an event bus.
describe('asynchronous invocation into SQS, SNS and EventBridge', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let sqs: SQSClient;
  let sns: SNSClient;
  const queues: Record<string, { url: string; arn: string }> = {};

  async function createQueue(name: string): Promise<void> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    queues[name] = { url: QueueUrl!, arn: attrs.Attributes!.QueueArn! };
  }

  async function receiveOne(queue: string): Promise<Message> {
    for (let i = 0; i < 10; i++) {
      const out = await sqs.send(new ReceiveMessageCommand({
        QueueUrl: queues[queue]!.url, WaitTimeSeconds: 5, MessageAttributeNames: ['All'], MaxNumberOfMessages: 1,
      }));
      if (out.Messages?.[0]) return out.Messages[0];
    }
    throw new Error(`nothing arrived on ${queue}`);
  }

  async function createFunction(name: string, source: string, extra: Record<string, unknown> = {}): Promise<void> {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 30,
      Code: { ZipFile: makeZip({ 'index.js': source }) }, ...extra,
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: name });
  }

  async function invokeEvent(name: string, event: unknown): Promise<string> {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
    assert.equal(out.StatusCode, 202);
    return out.$metadata.requestId!;
  }

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    sqs = sqsClient(server.url);
    sns = new SNSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    for (const name of ['dlq', 'successes', 'via-topic', 'via-bus']) await createQueue(name);
  });

  after(async () => {
    sqs?.destroy();
    sns?.destroy();
    await server?.stop();
  });

  test('a failing event lands in the SQS DLQ with RequestID, ErrorCode and ErrorMessage', async () => {
    await createFunction('fails', "exports.handler = async () => { throw new Error('boom at the end'); };", {
      DeadLetterConfig: { TargetArn: queues.dlq!.arn },
    });
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'fails', MaximumRetryAttempts: 0 }));
    const requestId = await invokeEvent('fails', { order: 42 });
    const message = await receiveOne('dlq');
    assert.deepEqual(JSON.parse(message.Body!), { order: 42 });
    assert.equal(message.MessageAttributes?.RequestID?.StringValue, requestId);
    assert.equal(message.MessageAttributes?.RequestID?.DataType, 'String');
    assert.equal(message.MessageAttributes?.ErrorCode?.DataType, 'Number');
    assert.equal(message.MessageAttributes?.ErrorCode?.StringValue, '200');
    assert.equal(message.MessageAttributes?.ErrorMessage?.StringValue, 'boom at the end');
  });

  test('OnSuccess to a queue carries the version 1.0 record with the response payload', async () => {
    await createFunction('succeeds', 'exports.handler = async (event) => ({ doubled: event.n * 2 });');
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'succeeds', DestinationConfig: { OnSuccess: { Destination: queues.successes!.arn } } }));
    const requestId = await invokeEvent('succeeds', { n: 21 });
    const record = JSON.parse((await receiveOne('successes')).Body!);
    assert.equal(record.version, '1.0');
    assert.equal(record.requestContext.requestId, requestId);
    assert.equal(record.requestContext.condition, 'Success');
    assert.equal(record.requestContext.approximateInvokeCount, 1);
    assert.match(record.requestContext.functionArn, /:function:succeeds:\$LATEST$/);
    assert.deepEqual(record.requestPayload, { n: 21 });
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST' });
    assert.deepEqual(record.responsePayload, { doubled: 42 });
  });

  test('OnFailure to an SNS topic reaches the queue subscribed to it as an SNS notification', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'failures' }));
    await allowServiceToSend(sqs, queues['via-topic']!.url, 'sns.amazonaws.com', TopicArn);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queues['via-topic']!.arn }));
    await createFunction('fails-to-topic', "exports.handler = async () => { throw new Error('nope'); };");
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'fails-to-topic', MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: TopicArn } } }));
    const requestId = await invokeEvent('fails-to-topic', { id: 7 });
    const envelope = JSON.parse((await receiveOne('via-topic')).Body!);
    assert.equal(envelope.Type, 'Notification');
    assert.equal(envelope.TopicArn, TopicArn);
    const record = JSON.parse(envelope.Message);
    assert.equal(record.requestContext.requestId, requestId);
    assert.equal(record.requestContext.condition, 'RetriesExhausted');
    assert.equal(record.responseContext.functionError, 'Unhandled');
    assert.equal(record.responsePayload.errorMessage, 'nope');
  });

  test('OnSuccess to an event bus is a "Lambda Function Invocation Result - Success" event that rules route', async () => {
    const events = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    try {
      const { EventBusArn } = await events.send(new CreateEventBusCommand({ Name: 'results' }));
      const { RuleArn } = await events.send(new PutRuleCommand({
        Name: 'lambda-successes', EventBusName: 'results',
        EventPattern: JSON.stringify({ source: ['lambda'], 'detail-type': ['Lambda Function Invocation Result - Success'] }),
      }));
      await allowServiceToSend(sqs, queues['via-bus']!.url, 'events.amazonaws.com', RuleArn);
      await events.send(new PutTargetsCommand({ Rule: 'lambda-successes', EventBusName: 'results', Targets: [{ Id: 'q', Arn: queues['via-bus']!.arn }] }));
      await createFunction('succeeds-to-bus', 'exports.handler = async (event) => ({ seen: event.x });');
      await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'succeeds-to-bus', DestinationConfig: { OnSuccess: { Destination: EventBusArn } } }));
      const requestId = await invokeEvent('succeeds-to-bus', { x: 'y' });
      const event = JSON.parse((await receiveOne('via-bus')).Body!);
      assert.equal(event.source, 'lambda');
      assert.equal(event['detail-type'], 'Lambda Function Invocation Result - Success');
      assert.equal(event.account, '000000000000');
      assert.ok(event.resources.includes(EventBusArn), JSON.stringify(event.resources));
      assert.ok(event.resources.some((r: string) => /:function:succeeds-to-bus:\$LATEST$/.test(r)), JSON.stringify(event.resources));
      assert.equal(event.detail.version, '1.0');
      assert.equal(event.detail.requestContext.requestId, requestId);
      assert.equal(event.detail.requestContext.condition, 'Success');
      assert.deepEqual(event.detail.requestPayload, { x: 'y' });
      assert.deepEqual(event.detail.responsePayload, { seen: 'y' });
    } finally {
      events.destroy();
    }
  });
});
