import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DeliverySinks } from '../src/contracts/delivery-sinks.js';
import { recorderArn, RecordingSink } from './support/recording-sink.js';
import { allowServiceToSend } from './support/sqs.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

const ACCOUNT = '000000000000';

// The function reports what it received by publishing it to the `observed` bus, whose rule
// delivers to the recording sink.
const FORWARDING_HANDLER = makeZip({
  'index.js': `const { EventBridgeClient, PutEventsCommand } = require('@aws-sdk/client-eventbridge');
exports.handler = async (event) => {
  await new EventBridgeClient({}).send(new PutEventsCommand({ Entries: [{ Source: 'fn', DetailType: 'Received', EventBusName: 'observed', Detail: JSON.stringify({ received: event }) }] }));
  return 'ok';
};
`,
});

describe('EventBridge delivers to Lambda and SQS targets', () => {
  let server: TestServer;
  let eb: EventBridgeClient;
  const recorder = new RecordingSink();

  before(async () => {
    const sinks = new DeliverySinks();
    sinks.register(recorder);
    server = await startTestServer({}, { sinks });
    eb = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  after(async () => {
    eb.destroy();
    await server.stop();
  });

  test('a Lambda target is invoked asynchronously with the event once events.amazonaws.com may invoke it; without that permission the event goes to the DLQ', async () => {
    const lambda = server.lambda();
    await eb.send(new CreateEventBusCommand({ Name: 'observed' }));
    await eb.send(new PutRuleCommand({ Name: 'observe', EventBusName: 'observed', EventPattern: '{"source":["fn"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'observe', EventBusName: 'observed', Targets: [{ Id: 'rec', Arn: recorderArn('observed') }] }));
    const fn = await lambda.send(new CreateFunctionCommand({ FunctionName: 'eb-target', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: FORWARDING_HANDLER } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: 'eb-target' });
    const rule = await eb.send(new PutRuleCommand({ Name: 'to-lambda', EventPattern: '{"source":["orders"]}' }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'eb-target', StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: rule.RuleArn }));
    await eb.send(new PutTargetsCommand({ Rule: 'to-lambda', Targets: [{ Id: 'fn', Arn: fn.FunctionArn }] }));
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'orders', DetailType: 'OrderPlaced', Detail: '{"order":7}' }] }));
    const [seen] = await recorder.waitFor(recorderArn('observed'), 1, 30_000);
    const received = JSON.parse(seen!.body).detail.received;
    assert.equal(received.id, put.Entries?.[0]?.EventId);
    assert.deepEqual(received.detail, { order: 7 });
    assert.equal(received['detail-type'], 'OrderPlaced');

    // A rule the function's policy does not name: AWS refuses the invoke, EventBridge dead-letters.
    await eb.send(new PutRuleCommand({ Name: 'not-allowed', EventPattern: '{"source":["denied"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'not-allowed', Targets: [{ Id: 'fn', Arn: fn.FunctionArn, DeadLetterConfig: { Arn: recorderArn('denied-dlq') } }] }));
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'denied', DetailType: 'x', Detail: '{}' }] }));
    const [dead] = await recorder.waitFor(recorderArn('denied-dlq'), 1, 30_000);
    assert.equal(dead!.attributes?.RULE_ARN?.value, `arn:aws:events:us-east-1:${ACCOUNT}:rule/not-allowed`);
    assert.equal(JSON.parse(dead!.body).source, 'denied');
  });

  test('an SQS target receives the event as the message body', async () => {
    const sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'eb-target-queue' }));
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      const queueArn = attrs.Attributes!.QueueArn!;
      const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'to-sqs', EventPattern: '{"source":["sqs-test"]}' }));
      // As on AWS, the queue's policy must let EventBridge send for the rule.
      await allowServiceToSend(sqs, QueueUrl!, 'events.amazonaws.com', RuleArn);
      await eb.send(new PutTargetsCommand({ Rule: 'to-sqs', Targets: [{ Id: 'q', Arn: queueArn }] }));
      const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'sqs-test', DetailType: 'x', Detail: '{"hello":"queue"}' }] }));
      let body: Record<string, unknown> | undefined;
      for (let i = 0; i < 20 && !body; i++) {
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
        if (got.Messages?.[0]?.Body) body = JSON.parse(got.Messages[0].Body) as Record<string, unknown>;
      }
      assert.ok(body, 'no message arrived');
      assert.equal(body.id, put.Entries?.[0]?.EventId);
      assert.deepEqual(body.detail, { hello: 'queue' });
    } finally {
      sqs.destroy();
    }
  });
});
