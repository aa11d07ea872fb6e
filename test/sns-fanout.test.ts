import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AddPermissionCommand, CreateFunctionCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startTestServer, type TestServer } from './support/server.js';
import { fetchSigningCertificate, signatureVerifies } from './support/sns-signature.js';
import { makeZip, ROLE } from './support/zip.js';
import { snsClient, waitFor } from './sns-support.js';

const RECORDER_ZIP = makeZip({ 'index.js': "exports.handler = async (event) => { console.log('SNS-EVENT ' + JSON.stringify(event)); return 'ok'; };\n" });

/** End to end: one publish, many queues and a function, through the real SQS service and asynchronous invocation. */
describe('SNS fan-out to SQS queues and Lambda', () => {
  let server: TestServer;
  let sns: SNSClient;
  let sqs: SQSClient;
  let lambda: LambdaClient;

  before(async () => {
    server = await startTestServer();
    sns = snsClient(server);
    sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'sns-recorder', Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: RECORDER_ZIP } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60 }, { FunctionName: 'sns-recorder' });
  });
  after(() => server.stop());

  async function queue(name: string, topicArn: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const arn = Attributes!.QueueArn!;
    // As on AWS: the queue's policy lets this topic send to it.
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: arn, Condition: { ArnEquals: { 'aws:SourceArn': topicArn } } }],
    };
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify(policy) } }));
    return { url: QueueUrl!, arn };
  }

  /** Receives and deletes (a FIFO group's next messages are only handed out once the last batch is deleted). */
  async function receive(url: string, count: number): Promise<{ Body?: string; MessageAttributes?: Record<string, { StringValue?: string; DataType?: string }> }[]> {
    const out: { Body?: string; MessageAttributes?: Record<string, { StringValue?: string; DataType?: string }> }[] = [];
    const deadline = Date.now() + 30_000;
    while (out.length < count && Date.now() < deadline) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
      const messages = r.Messages ?? [];
      out.push(...messages);
      if (messages.length > 0) {
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      }
    }
    return out;
  }

  async function loggedEvents(): Promise<any[]> {
    const rows = await server.lambkin.store.selectFrom('logs_event_batches').select('events').execute();
    return rows
      .flatMap((r) => JSON.parse(r.events) as [number, string][])
      .map(([, line]) => /SNS-EVENT (.*)$/m.exec(line)?.[1])
      .filter((x): x is string => x !== undefined)
      .map((x) => JSON.parse(x));
  }

  test('one publish reaches three queues: envelope, raw with attributes, and a filter that drops it', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'fanout' }));
    const envelope = await queue('fan-envelope', TopicArn!);
    const raw = await queue('fan-raw', TopicArn!);
    const filtered = await queue('fan-filtered', TopicArn!);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: envelope.arn }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: raw.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: filtered.arn, Attributes: { FilterPolicy: '{"color":["blue"]}' } }));
    const { MessageId } = await sns.send(
      new PublishCommand({ TopicArn, Message: 'fan me out', Subject: 'subj', MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } } }),
    );
    const [env] = await receive(envelope.url, 1);
    const body = JSON.parse(env!.Body!);
    assert.equal(body.Type, 'Notification');
    assert.equal(body.MessageId, MessageId);
    assert.equal(body.TopicArn, TopicArn);
    assert.equal(body.Message, 'fan me out');
    assert.equal(body.Subject, 'subj');
    assert.deepEqual(body.MessageAttributes, { color: { Type: 'String', Value: 'red' } });
    assert.ok(signatureVerifies(body, await fetchSigningCertificate(body)), 'the envelope in the queue verifies against SigningCertURL');
    const [r] = await receive(raw.url, 1);
    assert.equal(r!.Body, 'fan me out');
    assert.equal(r!.MessageAttributes?.color?.StringValue, 'red');
    const none = await sqs.send(new ReceiveMessageCommand({ QueueUrl: filtered.url, WaitTimeSeconds: 1 }));
    assert.equal(none.Messages?.length ?? 0, 0);
  });

  test('FIFO topic to FIFO queue keeps the group order', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'ordered.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    const q = await queue('ordered.fifo', TopicArn!, { FifoQueue: 'true' });
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    for (let i = 0; i < 20; i++) await sns.send(new PublishCommand({ TopicArn, Message: `m${i}`, MessageGroupId: 'g' }));
    const got = await receive(q.url, 20);
    assert.deepEqual(got.map((m) => m.Body), Array.from({ length: 20 }, (_, i) => `m${i}`));
  });

  test('fan-out to 3 queues and 1 function (resource policy for sns.amazonaws.com)', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'everyone' }));
    const queues = await Promise.all([1, 2, 3].map((i) => queue(`everyone-${i}`, TopicArn!)));
    for (const q of queues) await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'sns-recorder', StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: TopicArn }));
    const fnArn = `arn:aws:lambda:us-east-1:000000000000:function:sns-recorder`;
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fnArn }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'for all' }));
    for (const q of queues) assert.deepEqual((await receive(q.url, 1)).map((m) => m.Body), ['for all']);
    // Generous: on a loaded machine the function's first start can take a while.
    const event = await waitFor(async () => (await loggedEvents()).find((e) => e.Records?.[0]?.Sns?.Message === 'for all'), 90_000, 'the function to run');
    assert.equal(event.Records[0].EventSource, 'aws:sns');
    assert.equal(event.Records[0].EventSubscriptionArn, SubscriptionArn);
    assert.equal(event.Records[0].Sns.TopicArn, TopicArn);
    assert.ok(signatureVerifies(event.Records[0].Sns, await fetchSigningCertificate(event.Records[0].Sns)), 'the Lambda record verifies against SigningCertUrl');
  });

  test('SNS → Lambda needs the function’s permission for sns.amazonaws.com', async () => {
    for (const FunctionName of ['sns-unpermitted', 'sns-control']) {
      await lambda.send(new CreateFunctionCommand({ FunctionName, Runtime: 'nodejs22.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: RECORDER_ZIP } }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60 }, { FunctionName });
    }
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'no-permission' }));
    const refused = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:sns-unpermitted' }));
    // A control: a function that does allow this topic, on the same publish.
    await lambda.send(new AddPermissionCommand({ FunctionName: 'sns-control', StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: TopicArn }));
    const allowed = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:sns-control' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'refused' }));
    await waitFor(async () => (await loggedEvents()).find((e) => e.Records?.[0]?.EventSubscriptionArn === allowed.SubscriptionArn), 90_000, 'the permitted function to run');
    await waitFor(async () => ((await server.lambkin.store.selectFrom('sns_deliveries').selectAll().execute()).length === 0 ? true : undefined), 10_000, 'the refused delivery to settle');
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(!(await loggedEvents()).some((e) => e.Records?.[0]?.EventSubscriptionArn === refused.SubscriptionArn));
  });
});
