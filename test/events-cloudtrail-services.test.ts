import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateConnectionCommand, CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { CreateStreamCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DeliverySinks } from '../src/contracts/delivery-sinks.js';
import { createTable, dynamodbClient } from './support/dynamodb.js';
import { kinesisClient } from './support/kinesis.js';
import { recorderArn, RecordingSink } from './support/recording-sink.js';
import { startTestServer, type TestServer } from './support/server.js';
import { sqsClient, sqsQuery } from './support/sqs.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
type Detail = { eventSource: string; eventName: string; requestParameters: Record<string, any> | null; responseElements: Record<string, any> | null };

describe('"AWS API Call via CloudTrail" events for SQS, SNS, DynamoDB, IAM, EventBridge and Kinesis writes', () => {
  let server: TestServer;
  let eb: EventBridgeClient;
  const recorder = new RecordingSink();
  const TRAIL = recorderArn('trail');

  before(async () => {
    const sinks = new DeliverySinks();
    sinks.register(recorder);
    server = await startTestServer({}, { sinks });
    eb = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    await eb.send(new PutRuleCommand({
      Name: 'trail',
      EventPattern: JSON.stringify({ source: ['aws.sqs', 'aws.sns', 'aws.dynamodb', 'aws.iam', 'aws.events', 'aws.kinesis'], 'detail-type': ['AWS API Call via CloudTrail'] }),
    }));
    await eb.send(new PutTargetsCommand({ Rule: 'trail', Targets: [{ Id: 'r', Arn: TRAIL }] }));
  });
  after(async () => {
    eb.destroy();
    await server.stop();
  });

  const details = () => recorder.for(TRAIL).map((m) => JSON.parse(m.body) as { source: string; 'detail-type': string; detail: Detail });
  const named = (name: string) => details().filter((e) => e.detail.eventName === name);

  test('management writes make an event with the request and answer; data events, reads and failed calls make none; secrets are hidden', async () => {
    const sqs = sqsClient(server.url);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'audited', Attributes: { VisibilityTimeout: '40' } }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'data event' }));
    await assert.rejects(sqs.send(new DeleteQueueCommand({ QueueUrl: `${server.url}/000000000000/no-such-queue` })));
    // The query protocol (older SDKs) is recorded too.
    assert.equal((await sqsQuery(server.url, { Action: 'CreateQueue', QueueName: 'audited-query' })).status, 200);

    const sns = new SNSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'audited' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'data event' }));

    const ddb = dynamodbClient(server.url);
    await createTable(ddb, 'audited');
    await ddb.send(new PutItemCommand({ TableName: 'audited', Item: { id: { S: 'x' } } }));

    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    await iam.send(new CreateUserCommand({ UserName: 'audited' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'audited' }));
    await iam.send(new ListUsersCommand({}));

    await eb.send(new CreateEventBusCommand({ Name: 'audited' }));
    await eb.send(new CreateConnectionCommand({ Name: 'audited', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: 'very-secret' } } }));
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 'data event', Detail: '{}' }] }));

    const kinesis = kinesisClient(server.url);
    await kinesis.send(new CreateStreamCommand({ StreamName: 'audited', ShardCount: 1 }));
    for (let i = 0; i < 50; i++) {
      try {
        await kinesis.send(new PutRecordCommand({ StreamName: 'audited', PartitionKey: 'k', Data: Buffer.from('data event') }));
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    const expected = ['CreateQueue', 'CreateTopic', 'CreateTable', 'CreateUser', 'CreateAccessKey', 'CreateEventBus', 'CreateConnection', 'CreateStream'];
    await recorder.waitFor(TRAIL, expected.length + 2, 10_000);
    for (const name of expected) assert.ok(named(name).length >= 1, `an event for ${name}`);
    for (const name of ['SendMessage', 'DeleteQueue', 'Publish', 'PutItem', 'ListUsers', 'PutEvents', 'PutRecord']) assert.deepEqual(named(name), [], `no event for ${name}`);

    const [queue, queryQueue] = named('CreateQueue');
    assert.equal(queue!.source, 'aws.sqs');
    assert.equal(queue!.detail.eventSource, 'sqs.amazonaws.com');
    // Map keys are lowerCamelCased like member names (AWS keeps them as sent).
    assert.deepEqual(queue!.detail.requestParameters, { queueName: 'audited', attributes: { visibilityTimeout: '40' } });
    assert.match(queue!.detail.responseElements!.queueUrl, /\/audited$/);
    assert.deepEqual(queryQueue!.detail.requestParameters, { queueName: 'audited-query' });
    assert.equal(named('CreateTopic')[0]!.detail.requestParameters!.name, 'audited');
    assert.equal(named('CreateTable')[0]!.source, 'aws.dynamodb');
    assert.equal(named('CreateTable')[0]!.detail.requestParameters!.tableName, 'audited');
    assert.equal(named('CreateUser')[0]!.detail.eventSource, 'iam.amazonaws.com');
    assert.equal(named('CreateStream')[0]!.detail.requestParameters!.streamName, 'audited');
    const connection = named('CreateConnection')[0]!.detail;
    assert.equal(connection.requestParameters!.authParameters.apiKeyAuthParameters.apiKeyValue, 'HIDDEN_DUE_TO_SECURITY_REASONS');
    assert.ok(!JSON.stringify(details()).includes('very-secret'));
    sqs.destroy();
    sns.destroy();
    ddb.destroy();
    iam.destroy();
    kinesis.destroy();
  });
});
