import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutRuleCommand, PutTargetsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ShiftableClock } from '../src/clock.js';
import { createTable, dynamodbClient } from './support/dynamodb.js';
import { startTestServer, type TestServer } from './support/server.js';
import { allowServiceToSend, sqsClient } from './support/sqs.js';
import { makeZip, ROLE } from './support/zip.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
type Failure = Error & { $metadata: { httpStatusCode: number } };
const failure = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: Failure) => e);

describe('EventBridge Scheduler universal targets call Lambkin’s services with the Input as the request', () => {
  const clock = new ShiftableClock(Date.parse('2026-06-01T09:00:00Z'));
  let server: TestServer;
  let scheduler: SchedulerClient;
  let sqs: SQSClient;

  async function queue(name: string): Promise<{ url: string; arn: string }> {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    return { url, arn: (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn! };
  }

  async function receive(url: string): Promise<Array<{ Body?: string; MessageAttributes?: Record<string, { StringValue?: string }> }>> {
    return (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10, MessageAttributeNames: ['All'] }))).Messages ?? [];
  }

  const universal = (name: string, action: string, input: unknown, extra: Record<string, unknown> = {}) =>
    scheduler.send(new CreateScheduleCommand({
      Name: name, ScheduleExpression: 'at(2026-06-01T10:00:00)', FlexibleTimeWindow: { Mode: 'OFF' }, ActionAfterCompletion: 'DELETE',
      Target: { Arn: `arn:aws:scheduler:::aws-sdk:${action}`, RoleArn: ROLE, Input: JSON.stringify(input), ...extra },
    }));

  before(async () => {
    server = await startTestServer({}, { eventsClock: clock });
    scheduler = new SchedulerClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    sqs = sqsClient(server.url);
  });
  after(() => server.stop());

  test('universal targets are validated when the schedule is written', async () => {
    const readOnly = await failure(universal('reads', 'sqs:receiveMessage', { QueueUrl: 'x' }));
    assert.equal(readOnly.name, 'ValidationException');
    assert.equal(readOnly.message, 'Read-only action sqs:receiveMessage is not supported as a universal target.');
    const unknown = await failure(universal('ec2', 'ec2:runInstances', {}));
    assert.equal(unknown.name, 'ValidationException');
    assert.match(unknown.message, /Universal target service ec2 is not supported by Lambkin/);
    const malformed = await failure(universal('bad', 'sqs', {}));
    assert.equal(malformed.message, 'Provided Arn arn:aws:scheduler:::aws-sdk:sqs is not in correct format.');
  });

  test('sqs:sendMessage, sns:publish, dynamodb:putItem, eventbridge:putEvents and lambda:invoke each run once at the firing; a failing request goes to the DLQ', async () => {
    const direct = await queue('universal-direct');
    const viaTopic = await queue('universal-topic');
    const viaBus = await queue('universal-bus');
    const dlq = await queue('universal-dlq');
    const sns = new SNSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'universal' }));
    // SNS and EventBridge deliver into a queue only when its policy allows them, as on AWS.
    await allowServiceToSend(sqs, viaTopic.url, 'sns.amazonaws.com', TopicArn);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: viaTopic.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const ddb = dynamodbClient(server.url);
    await createTable(ddb, 'universal');
    const eb = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'from-schedule', EventPattern: JSON.stringify({ source: ['scheduled.universal'] }) }));
    await allowServiceToSend(sqs, viaBus.url, 'events.amazonaws.com', RuleArn);
    await eb.send(new PutTargetsCommand({ Rule: 'from-schedule', Targets: [{ Id: 'q', Arn: viaBus.arn }] }));
    const lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'universal-fn', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: makeZip({ 'index.js': 'exports.handler = async (e) => e;\n' }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: 'universal-fn' });

    await universal('send', 'sqs:sendMessage', { QueueUrl: direct.url, MessageBody: 'from a universal target', MessageAttributes: { kind: { DataType: 'String', StringValue: 'scheduled' } } });
    await universal('publish', 'sns:publish', { TopicArn, Message: 'published on schedule', MessageAttributes: { kind: { DataType: 'String', StringValue: 'sns' } } });
    await universal('put-item', 'dynamodb:putItem', { TableName: 'universal', Item: { id: { S: 'scheduled' }, n: { N: '7' } } });
    await universal('put-events', 'eventbridge:putEvents', { Entries: [{ Source: 'scheduled.universal', DetailType: 'Tick', Detail: '{"from":"scheduler"}' }] });
    await universal('invoke', 'lambda:invoke', { FunctionName: 'universal-fn', InvocationType: 'Event', Payload: '{"scheduled":true}' });
    await universal('fails', 'sqs:sendMessage', { QueueUrl: `${server.url}/000000000000/no-such-queue`, MessageBody: 'lost' }, { DeadLetterConfig: { Arn: dlq.arn } });

    clock.setTime(Date.parse('2026-06-01T10:00:01Z'));
    const [sent] = await receive(direct.url);
    assert.equal(sent?.Body, 'from a universal target');
    assert.equal(sent?.MessageAttributes?.kind?.StringValue, 'scheduled');
    const [published] = await receive(viaTopic.url);
    assert.equal(published?.Body, 'published on schedule');
    const [event] = await receive(viaBus.url);
    assert.deepEqual(JSON.parse(event!.Body!).detail, { from: 'scheduler' });
    const [dead] = await receive(dlq.url);
    assert.equal(JSON.parse(dead!.Body!).MessageBody, 'lost');
    assert.match(dead!.MessageAttributes!.ERROR_CODE!.StringValue!, /NonExistentQueue|QueueDoesNotExist/);
    assert.equal(dead!.MessageAttributes!.RETRY_ATTEMPTS!.StringValue, '0');
    const item = await ddb.send(new GetItemCommand({ TableName: 'universal', Key: { id: { S: 'scheduled' } } }));
    assert.equal(item.Item?.n?.N, '7');
    let invoked: Array<{ requestId: string }> = [];
    for (let i = 0; i < 100 && invoked.length === 0; i++) {
      invoked = ((await (await fetch(`${server.url}/_lambkin/invocations?function=universal-fn`)).json()) as { invocations: Array<{ requestId: string }> }).invocations;
      if (invoked.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(invoked.length, 1);
    // Once each: nothing more arrives.
    assert.deepEqual(await sqs.send(new ReceiveMessageCommand({ QueueUrl: direct.url, WaitTimeSeconds: 1 })).then((r) => r.Messages ?? []), []);
    sns.destroy();
    ddb.destroy();
    eb.destroy();
  });
});
