import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { CreateEventBusCommand, DescribeEventBusCommand, EventBridgeClient, PutEventsCommand, PutPermissionCommand, PutRuleCommand, PutTargetsCommand, RemovePermissionCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { allowServiceToSend } from './support/sqs.js';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip } from './support/cli.js';

const OWNER = '000000000000';
const OTHER = '111111111111';
const THIRD = '222222222222';
const BUS_ARN = `arn:aws:events:us-east-1:${OWNER}:event-bus/shared`;

async function rejectsWith(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  await assert.rejects(promise, (err: Error) => {
    assert.equal(err.name, name);
    assert.equal(err.message, message);
    return true;
  });
}

describe('event bus resource policies and cross-account PutEvents', () => {
  let server: TestServer;
  let queueUrl: string;
  const client = (accessKeyId: string) => new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1 });
  let owner: EventBridgeClient;
  let sqs: SQSClient;

  /** Sends one event to the shared bus as `account`; the entry's error code, or the account the delivered event names. */
  async function send(account: string): Promise<string> {
    const eb = client(account);
    try {
      const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'partner', DetailType: 'Hello', Detail: '{}', EventBusName: BUS_ARN }] }));
      const entry = put.Entries![0]!;
      if (entry.ErrorCode) {
        assert.equal(put.FailedEntryCount, 1);
        assert.equal(entry.ErrorMessage, `User: arn:aws:iam::${account}:root is not authorized to perform: events:PutEvents on resource: ${BUS_ARN} because no resource-based policy allows the events:PutEvents action`);
        return entry.ErrorCode;
      }
      for (let i = 0; i < 30; i++) {
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
        const message = got.Messages?.[0];
        if (!message) continue;
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
        const event = JSON.parse(message.Body!) as { id: string; account: string };
        assert.equal(event.id, entry.EventId);
        return event.account;
      }
      throw new Error('the event did not arrive');
    } finally {
      eb.destroy();
    }
  }

  before(async () => {
    server = await startTestServer();
    owner = client(OWNER);
    sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await owner.send(new CreateEventBusCommand({ Name: 'shared' }));
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'shared-bus-events' }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    const { RuleArn } = await owner.send(new PutRuleCommand({ Name: 'partner-events', EventBusName: 'shared', EventPattern: '{"source":["partner"]}' }));
    await allowServiceToSend(sqs, queueUrl, 'events.amazonaws.com', RuleArn);
    await owner.send(new PutTargetsCommand({ Rule: 'partner-events', EventBusName: 'shared', Targets: [{ Id: 'q', Arn: Attributes!.QueueArn! }] }));
  });
  after(async () => {
    owner.destroy();
    sqs.destroy();
    await server.stop();
  });

  test('another account may put events on a bus only while its policy allows it', async () => {
    assert.equal(await send(OWNER), OWNER, 'the owner needs no policy');
    assert.equal(await send(OTHER), 'AccessDeniedException');
    assert.equal((await owner.send(new DescribeEventBusCommand({ Name: 'shared' }))).Policy, undefined);

    await owner.send(new PutPermissionCommand({ EventBusName: 'shared', Action: 'events:PutEvents', Principal: OTHER, StatementId: 'other-account' }));
    const policy = JSON.parse((await owner.send(new DescribeEventBusCommand({ Name: 'shared' }))).Policy!);
    assert.deepEqual(policy, {
      Version: '2012-10-17',
      Statement: [{ Sid: 'other-account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'events:PutEvents', Resource: BUS_ARN }],
    });
    assert.equal(await send(OTHER), OTHER, "the event names the sender's account");
    assert.equal(await send(THIRD), 'AccessDeniedException');

    await owner.send(new RemovePermissionCommand({ EventBusName: 'shared', StatementId: 'other-account' }));
    assert.equal(await send(OTHER), 'AccessDeniedException');

    // A whole document: anyone, on a condition.
    await owner.send(new PutPermissionCommand({
      EventBusName: 'shared',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'third', Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: BUS_ARN, Condition: { StringEquals: { 'aws:PrincipalAccount': THIRD } } }] }),
    }));
    assert.equal(await send(THIRD), THIRD);
    assert.equal(await send(OTHER), 'AccessDeniedException');
  });

  test("a rule's target on another account's bus delivers only once that bus's policy allows the rule's account; before, the event goes to the DLQ", async () => {
    const other = client(OTHER);
    const otherSqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: OTHER, secretAccessKey: 'test' }, maxAttempts: 1 });
    const receiveOne = async (client: SQSClient, url: string) => {
      for (let i = 0; i < 30; i++) {
        const got = await client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
        const message = got.Messages?.[0];
        if (message) {
          await client.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle! }));
          return message;
        }
      }
      throw new Error('no message arrived');
    };
    try {
      await other.send(new CreateEventBusCommand({ Name: 'inbox' }));
      const inboxArn = `arn:aws:events:us-east-1:${OTHER}:event-bus/inbox`;
      const inboxQueue = (await otherSqs.send(new CreateQueueCommand({ QueueName: 'inbox-events' }))).QueueUrl!;
      const inboxQueueArn = (await otherSqs.send(new GetQueueAttributesCommand({ QueueUrl: inboxQueue, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
      const forwarded = await other.send(new PutRuleCommand({ Name: 'forwarded', EventBusName: 'inbox', EventPattern: '{"source":["forward"]}' }));
      await allowServiceToSend(otherSqs, inboxQueue, 'events.amazonaws.com', forwarded.RuleArn);
      await other.send(new PutTargetsCommand({ Rule: 'forwarded', EventBusName: 'inbox', Targets: [{ Id: 'q', Arn: inboxQueueArn }] }));
      const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'forward-dlq' }))).QueueUrl!;
      const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
      const toOther = await owner.send(new PutRuleCommand({ Name: 'to-other-account', EventPattern: '{"source":["forward"]}' }));
      await allowServiceToSend(sqs, dlq, 'events.amazonaws.com', toOther.RuleArn);
      await owner.send(new PutTargetsCommand({ Rule: 'to-other-account', Targets: [{ Id: 'bus', Arn: inboxArn, RetryPolicy: { MaximumRetryAttempts: 0 }, DeadLetterConfig: { Arn: dlqArn } }] }));

      await owner.send(new PutEventsCommand({ Entries: [{ Source: 'forward', DetailType: 'x', Detail: '{"n":1}' }] }));
      const dead = await receiveOne(sqs, dlq);
      assert.equal(JSON.parse(dead.Body!).detail.n, 1);
      assert.match(dead.MessageAttributes?.ERROR_MESSAGE?.StringValue ?? '', /not authorized to perform: events:PutEvents/);

      await other.send(new PutPermissionCommand({ EventBusName: 'inbox', Action: 'events:PutEvents', Principal: OWNER, StatementId: 'from-owner' }));
      await owner.send(new PutEventsCommand({ Entries: [{ Source: 'forward', DetailType: 'x', Detail: '{"n":2}' }] }));
      const delivered = JSON.parse((await receiveOne(otherSqs, inboxQueue)).Body!) as { account: string; detail: { n: number } };
      assert.equal(delivered.detail.n, 2);
      assert.equal(delivered.account, OWNER);
    } finally {
      other.destroy();
      otherSqs.destroy();
    }
  });

  test('permissions put at once on one bus are all kept', async () => {
    await owner.send(new CreateEventBusCommand({ Name: 'at-once' }));
    const accounts = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555', '666666666666'];
    await Promise.all(accounts.map((Principal, i) => owner.send(new PutPermissionCommand({ EventBusName: 'at-once', Action: 'events:PutEvents', Principal, StatementId: `s${i}` }))));
    const { Policy } = await owner.send(new DescribeEventBusCommand({ Name: 'at-once' }));
    const sids = (JSON.parse(Policy!) as { Statement: Array<{ Sid: string }> }).Statement.map((st) => st.Sid).sort();
    assert.deepEqual(sids, accounts.map((_, i) => `s${i}`));
  });

  test("PutPermission and RemovePermission refuse as AWS does", async () => {
    await owner.send(new CreateEventBusCommand({ Name: 'no-policy' }));
    await rejectsWith(owner.send(new PutPermissionCommand({ EventBusName: 'nope', Action: 'events:PutEvents', Principal: OTHER, StatementId: 's' })), 'ResourceNotFoundException', 'Event bus nope does not exist.');
    await rejectsWith(owner.send(new PutPermissionCommand({ EventBusName: 'no-policy', Action: 'events:PutRule', Principal: OTHER, StatementId: 's' })), 'ValidationException', "Provided value in parameter 'action' is not supported.");
    await rejectsWith(owner.send(new PutPermissionCommand({ EventBusName: 'no-policy', Action: 'events:PutEvents', StatementId: 's' })), 'ValidationException', 'Parameter Principal must be specified.');
    await rejectsWith(
      owner.send(new PutPermissionCommand({ EventBusName: 'no-policy', Action: 'events:PutEvents', Principal: 'someone', StatementId: 's' })),
      'ValidationException', "1 validation error detected: Value 'someone' at 'principal' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\d{12}|\\*)",
    );
    await rejectsWith(owner.send(new PutPermissionCommand({ EventBusName: 'no-policy', Policy: '{not json' })), 'ValidationException', 'This policy contains invalid Json');
    await rejectsWith(owner.send(new RemovePermissionCommand({ EventBusName: 'no-policy', StatementId: 's' })), 'ResourceNotFoundException', 'EventBus does not have a policy.');
    await owner.send(new PutPermissionCommand({ EventBusName: 'no-policy', Action: 'events:PutEvents', Principal: OTHER, StatementId: 's' }));
    await rejectsWith(owner.send(new RemovePermissionCommand({ EventBusName: 'no-policy', StatementId: 'other' })), 'ResourceNotFoundException', 'Statement with the provided id does not exist.');
  });

  test('AWS CLI: put-permission, describe-event-bus, remove-permission --remove-all-permissions', { skip: awsCliSkip }, async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' };
    const aws = (...args: string[]) =>
      new Promise<Record<string, any>>((resolve, reject) =>
        execFile('aws', ['--endpoint-url', server.url, '--output', 'json', 'events', ...args], { env }, (err, out, stderr) => (err ? reject(new Error(stderr)) : resolve(out.trim() ? (JSON.parse(out) as Record<string, any>) : {}))),
      );
    await aws('create-event-bus', '--name', 'cli-bus');
    await aws('put-permission', '--event-bus-name', 'cli-bus', '--action', 'events:PutEvents', '--principal', OTHER, '--statement-id', 'cli');
    const described = await aws('describe-event-bus', '--name', 'cli-bus');
    assert.equal(JSON.parse(described.Policy).Statement[0].Sid, 'cli');
    await aws('remove-permission', '--event-bus-name', 'cli-bus', '--remove-all-permissions');
    assert.equal((await aws('describe-event-bus', '--name', 'cli-bus')).Policy, undefined);
  });
});
