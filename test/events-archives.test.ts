import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import {
  CancelReplayCommand, CreateArchiveCommand, CreateEventBusCommand, DeleteArchiveCommand, DescribeArchiveCommand, DescribeReplayCommand, EventBridgeClient,
  ListArchivesCommand, ListReplaysCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, StartReplayCommand, UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { allowServiceToSend } from './support/sqs.js';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip } from './support/cli.js';

const ACCOUNT = '000000000000';
const BUS_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/orders`;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

async function rejectsWith(promise: Promise<unknown>, name: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, name);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    assert.equal(err.$metadata?.httpStatusCode, 400);
    return true;
  });
}

describe('EventBridge archives and replays', () => {
  let server: TestServer;
  let eb: EventBridgeClient;
  let sqs: SQSClient;
  const queues = new Map<string, string>();

  /** Bodies of the messages in a rule's queue until `count` arrived, plus any that follow within a second. */
  async function drain(rule: string, count: number): Promise<Array<Record<string, any>>> {
    const url = queues.get(rule)!;
    const bodies: Array<Record<string, any>> = [];
    for (let i = 0; i < 30; i++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
      for (const m of got.Messages ?? []) {
        bodies.push(JSON.parse(m.Body!) as Record<string, any>);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle! }));
      }
      if (bodies.length >= count && (got.Messages ?? []).length === 0) break;
    }
    return bodies;
  }

  async function ruleToQueue(name: string, pattern: unknown): Promise<string> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `archive-${name}` }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, EventBusName: 'orders', EventPattern: JSON.stringify(pattern) }));
    await allowServiceToSend(sqs, QueueUrl!, 'events.amazonaws.com', RuleArn);
    await eb.send(new PutTargetsCommand({ Rule: name, EventBusName: 'orders', Targets: [{ Id: 'q', Arn: Attributes!.QueueArn! }] }));
    queues.set(name, QueueUrl!);
    return RuleArn!;
  }

  async function completed(name: string): Promise<Record<string, any>> {
    for (let i = 0; i < 200; i++) {
      const replay = await eb.send(new DescribeReplayCommand({ ReplayName: name }));
      if (replay.State === 'COMPLETED' || replay.State === 'FAILED' || replay.State === 'CANCELLED') return replay;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`replay ${name} did not end`);
  }

  before(async () => {
    server = await startTestServer();
    eb = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    sqs = new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    await eb.send(new CreateEventBusCommand({ Name: 'orders' }));
  });
  after(async () => {
    eb.destroy();
    sqs.destroy();
    await server.stop();
  });

  test('an archive keeps the events its pattern matches; a replay sends them with replay-name to the rules it names, or to all', async () => {
    const ruleA = await ruleToQueue('all-a', { source: ['shop'] });
    await ruleToQueue('all-c', { source: ['shop'] });
    await ruleToQueue('live-only', { source: ['shop'], 'replay-name': [{ exists: false }] });
    const created = await eb.send(new CreateArchiveCommand({ ArchiveName: 'shop-archive', EventSourceArn: BUS_ARN, EventPattern: '{"source":["shop"]}', RetentionDays: 3, Description: 'orders' }));
    assert.equal(created.ArchiveArn, `arn:aws:events:us-east-1:${ACCOUNT}:archive/shop-archive`);
    assert.equal(created.State, 'ENABLED');
    const put = await eb.send(new PutEventsCommand({
      Entries: [
        { Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"order":1}', EventBusName: 'orders' },
        { Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"order":2}', EventBusName: 'orders' },
        { Source: 'other', DetailType: 'Noise', Detail: '{}', EventBusName: 'orders' },
      ],
    }));
    for (const rule of ['all-a', 'all-c', 'live-only']) assert.equal((await drain(rule, 2)).length, 2, rule);

    const archive = await eb.send(new DescribeArchiveCommand({ ArchiveName: 'shop-archive' }));
    assert.equal(archive.EventCount, 2);
    assert.ok((archive.SizeBytes ?? 0) > 0);
    assert.equal(archive.EventSourceArn, BUS_ARN);
    assert.equal(archive.EventPattern, '{"source":["shop"]}');
    assert.equal(archive.RetentionDays, 3);
    assert.equal(archive.Description, 'orders');

    const window = { EventStartTime: new Date(Date.now() - 120_000), EventEndTime: new Date(Date.now() + 120_000) };
    const started = await eb.send(new StartReplayCommand({ ReplayName: 'only-a', EventSourceArn: created.ArchiveArn, ...window, Destination: { Arn: BUS_ARN, FilterArns: [ruleA] } }));
    assert.equal(started.State, 'STARTING');
    assert.equal(started.ReplayArn, `arn:aws:events:us-east-1:${ACCOUNT}:replay/only-a`);
    const done = await completed('only-a');
    assert.equal(done.State, 'COMPLETED');
    assert.ok(done.EventLastReplayedTime instanceof Date);
    assert.ok(done.ReplayEndTime instanceof Date);
    assert.deepEqual(done.Destination, { Arn: BUS_ARN, FilterArns: [ruleA] });
    const replayed = await drain('all-a', 2);
    assert.deepEqual(replayed.map((e) => e.detail.order).sort(), [1, 2]);
    assert.ok(replayed.every((e) => e['replay-name'] === 'only-a'));
    assert.deepEqual(replayed.map((e) => e.id).sort(), put.Entries!.slice(0, 2).map((e) => e.EventId).sort(), 'the archived events keep their ids');
    assert.equal((await drain('all-c', 0)).length, 0, 'a rule the replay does not name gets nothing');

    await eb.send(new StartReplayCommand({ ReplayName: 'everyone', EventSourceArn: created.ArchiveArn, ...window, Destination: { Arn: BUS_ARN } }));
    await completed('everyone');
    assert.equal((await drain('all-a', 2)).length, 2);
    assert.equal((await drain('all-c', 2)).length, 2);
    assert.equal((await drain('live-only', 0)).length, 0, 'a pattern can leave replays out');
    assert.equal((await eb.send(new DescribeArchiveCommand({ ArchiveName: 'shop-archive' }))).EventCount, 2, 'replayed events are not archived again');

    const listed = await eb.send(new ListReplaysCommand({ State: 'COMPLETED' }));
    assert.deepEqual(listed.Replays?.map((r) => r.ReplayName), ['everyone', 'only-a']);
    await rejectsWith(eb.send(new CancelReplayCommand({ ReplayName: 'everyone' })), 'IllegalStatusException', 'Replay everyone is not in a valid state for this operation.');
  });

  test('archive lifecycle and AWS errors', async () => {
    const { ArchiveArn } = await eb.send(new CreateArchiveCommand({ ArchiveName: 'everything', EventSourceArn: BUS_ARN }));
    await rejectsWith(eb.send(new CreateArchiveCommand({ ArchiveName: 'everything', EventSourceArn: BUS_ARN })), 'ResourceAlreadyExistsException', 'Archive everything already exists.');
    await rejectsWith(eb.send(new CreateArchiveCommand({ ArchiveName: 'x', EventSourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/nope` })), 'ResourceNotFoundException', 'Event bus nope does not exist.');
    await rejectsWith(eb.send(new CreateArchiveCommand({ ArchiveName: 'x', EventSourceArn: BUS_ARN, EventPattern: '{"source":"shop"}' })), 'InvalidEventPatternException', /^Event pattern is not valid\. Reason: /);
    await rejectsWith(eb.send(new CreateArchiveCommand({ ArchiveName: 'a'.repeat(49), EventSourceArn: BUS_ARN })), 'ValidationException', `1 validation error detected: Value '${'a'.repeat(49)}' at 'archiveName' failed to satisfy constraint: Member must have length less than or equal to 48`);
    await rejectsWith(eb.send(new DescribeArchiveCommand({ ArchiveName: 'nope' })), 'ResourceNotFoundException', 'Archive nope does not exist.');
    await rejectsWith(eb.send(new ListArchivesCommand({ NamePrefix: 'e', State: 'ENABLED' })), 'ValidationException', 'At most one filter is allowed for ListArchives. Use either : State, EventSourceArn, or NamePrefix.');

    const updated = await eb.send(new UpdateArchiveCommand({ ArchiveName: 'everything', RetentionDays: 7, EventPattern: '{"source":["x"]}' }));
    assert.equal(updated.ArchiveArn, ArchiveArn);
    const described = await eb.send(new DescribeArchiveCommand({ ArchiveName: 'everything' }));
    assert.equal(described.RetentionDays, 7);
    assert.equal(described.EventPattern, '{"source":["x"]}');
    assert.deepEqual((await eb.send(new ListArchivesCommand({ NamePrefix: 'every' }))).Archives?.map((a) => [a.ArchiveName, a.State, a.RetentionDays]), [['everything', 'ENABLED', 7]]);

    const window = { EventStartTime: new Date(Date.now() - 60_000), EventEndTime: new Date() };
    const defaultBus = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;
    await rejectsWith(eb.send(new StartReplayCommand({ ReplayName: 'r', EventSourceArn: ArchiveArn, ...window, Destination: { Arn: defaultBus } })), 'ValidationException', 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
    await rejectsWith(
      eb.send(new StartReplayCommand({ ReplayName: 'r', EventSourceArn: ArchiveArn, EventStartTime: window.EventEndTime, EventEndTime: window.EventStartTime, Destination: { Arn: BUS_ARN } })),
      'ValidationException', 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
    );
    await rejectsWith(
      eb.send(new StartReplayCommand({ ReplayName: 'r', EventSourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:archive/gone`, ...window, Destination: { Arn: BUS_ARN } })),
      'ValidationException', 'Parameter EventSourceArn is not valid. Reason: Archive gone does not exist.',
    );
    await rejectsWith(
      eb.send(new StartReplayCommand({ ReplayName: 'r', EventSourceArn: ArchiveArn, ...window, Destination: { Arn: BUS_ARN, FilterArns: [`arn:aws:events:us-east-1:${ACCOUNT}:rule/on-default`] } })),
      'ValidationException', 'Parameter Destination.FilterArns is not valid. Reason: Rule must be on the destination event bus.',
    );
    await rejectsWith(eb.send(new DescribeReplayCommand({ ReplayName: 'nope' })), 'ResourceNotFoundException', 'Replay nope does not exist.');

    await eb.send(new DeleteArchiveCommand({ ArchiveName: 'everything' }));
    await rejectsWith(eb.send(new DeleteArchiveCommand({ ArchiveName: 'everything' })), 'ResourceNotFoundException', 'Archive everything does not exist.');
  });

  test('AWS CLI: create-archive, start-replay, describe-replay', { skip: awsCliSkip }, async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1' };
    const aws = (...args: string[]) =>
      new Promise<Record<string, any>>((resolve, reject) =>
        execFile('aws', ['--endpoint-url', server.url, '--output', 'json', 'events', ...args], { env }, (err, out, stderr) => (err ? reject(new Error(stderr)) : resolve(out.trim() ? (JSON.parse(out) as Record<string, any>) : {}))),
      );
    const archive = await aws('create-archive', '--archive-name', 'cli-archive', '--event-source-arn', BUS_ARN, '--retention-days', '1');
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'cli', DetailType: 'x', Detail: '{"n":1}', EventBusName: 'orders' }] }));
    assert.equal((await aws('describe-archive', '--archive-name', 'cli-archive')).EventCount, 1);
    const now = Math.floor(Date.now() / 1000);
    await aws('start-replay', '--replay-name', 'cli-replay', '--event-source-arn', archive.ArchiveArn, '--event-start-time', String(now - 120), '--event-end-time', String(now + 120), '--destination', `Arn=${BUS_ARN}`);
    await completed('cli-replay');
    const described = await aws('describe-replay', '--replay-name', 'cli-replay');
    assert.equal(described.State, 'COMPLETED');
    assert.equal(described.EventSourceArn, archive.ArchiveArn);
    assert.deepEqual((await aws('list-archives', '--event-source-arn', BUS_ARN)).Archives.map((a: { ArchiveName: string }) => a.ArchiveName).sort(), ['cli-archive', 'shop-archive']);
  });
});
