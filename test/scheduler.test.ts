import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateFunctionCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import {
  CreateScheduleCommand, CreateScheduleGroupCommand, DeleteScheduleCommand, DeleteScheduleGroupCommand, GetScheduleCommand, GetScheduleGroupCommand,
  ListScheduleGroupsCommand, ListSchedulesCommand, SchedulerClient, UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ShiftableClock } from '../src/clock.js';
import { awsCli } from './support/http-doors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { sqsClient } from './support/sqs.js';
import { makeZip, ROLE } from './support/zip.js';
import { awsCliSkip } from './support/cli.js';

type Failure = Error & { $metadata: { httpStatusCode: number } };
const failure = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: Failure) => e);
const OFF = { Mode: 'OFF' as const };

describe('EventBridge Scheduler', () => {
  // Only the schedule runner reads this clock; signatures keep real time.
  const clock = new ShiftableClock(Date.parse('2026-06-01T09:00:00Z'));
  let server: TestServer;
  let scheduler: SchedulerClient;
  let sqs: SQSClient;
  let queueArn: string;
  let queueUrl: string;

  before(async () => {
    server = await startTestServer({}, { eventsClock: clock });
    scheduler = new SchedulerClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    sqs = sqsClient(server.url);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'scheduled' }))).QueueUrl!;
    queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  });
  after(() => server.stop());

  test('groups and schedules: create, get, list, update, delete, and the validation AWS does', async () => {
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'team' }));
    assert.equal((await failure(scheduler.send(new CreateScheduleGroupCommand({ Name: 'team' })))).name, 'ConflictException');
    assert.equal((await scheduler.send(new GetScheduleGroupCommand({ Name: 'team' }))).State, 'ACTIVE');
    assert.deepEqual((await scheduler.send(new ListScheduleGroupsCommand({}))).ScheduleGroups?.map((g) => g.Name), ['default', 'team']);

    const base = { FlexibleTimeWindow: OFF, Target: { Arn: queueArn, RoleArn: ROLE } };
    const missingGroup = await failure(scheduler.send(new CreateScheduleCommand({ Name: 's', GroupName: 'nope', ScheduleExpression: 'rate(5 minutes)', ...base })));
    assert.equal(missingGroup.name, 'ResourceNotFoundException');
    assert.equal(missingGroup.$metadata.httpStatusCode, 404);
    const badExpression = await failure(scheduler.send(new CreateScheduleCommand({ Name: 's', ScheduleExpression: 'rate(5 minute)', ...base })));
    assert.equal(badExpression.name, 'ValidationException');
    const badZone = await failure(scheduler.send(new CreateScheduleCommand({ Name: 's', ScheduleExpression: 'rate(5 minutes)', ScheduleExpressionTimezone: 'Mars/Olympus', ...base })));
    assert.equal(badZone.name, 'ValidationException');
    const flexible = await failure(scheduler.send(new CreateScheduleCommand({ Name: 's', ScheduleExpression: 'rate(5 minutes)', ...base, FlexibleTimeWindow: { Mode: 'FLEXIBLE' } })));
    assert.equal(flexible.message, 'MaximumWindowInMinutes must be provided when FlexibleTimeWindow is set to FLEXIBLE.');
    const badName = await failure(scheduler.send(new CreateScheduleCommand({ Name: 'a b', ScheduleExpression: 'rate(5 minutes)', ...base })));
    assert.equal(badName.name, 'ValidationException');

    const created = await scheduler.send(new CreateScheduleCommand({
      Name: 'nightly', GroupName: 'team', ScheduleExpression: 'cron(0 2 * * ? *)', ScheduleExpressionTimezone: 'Europe/Paris', Description: 'd', ...base,
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
    }));
    assert.equal(created.ScheduleArn, 'arn:aws:scheduler:us-east-1:000000000000:schedule/team/nightly');
    assert.equal((await failure(scheduler.send(new CreateScheduleCommand({ Name: 'nightly', GroupName: 'team', ScheduleExpression: 'rate(5 minutes)', ...base })))).message, 'Schedule nightly already exists.');
    const got = await scheduler.send(new GetScheduleCommand({ Name: 'nightly', GroupName: 'team' }));
    assert.equal(got.ScheduleExpressionTimezone, 'Europe/Paris');
    assert.equal(got.State, 'ENABLED');
    assert.equal(got.ActionAfterCompletion, 'NONE');
    assert.deepEqual(got.FlexibleTimeWindow, { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 });
    // Dates come from the server's (shifted) clock, as epoch seconds.
    assert.ok(got.CreationDate && Math.abs(got.CreationDate.getTime() - clock.now()) < 60_000, String(got.CreationDate));
    const notInDefault = await failure(scheduler.send(new GetScheduleCommand({ Name: 'nightly' })));
    assert.equal(notInDefault.message, 'Schedule nightly does not exist.');

    await scheduler.send(new UpdateScheduleCommand({ Name: 'nightly', GroupName: 'team', ScheduleExpression: 'cron(0 3 * * ? *)', State: 'DISABLED', ...base }));
    const updated = await scheduler.send(new GetScheduleCommand({ Name: 'nightly', GroupName: 'team' }));
    assert.equal(updated.State, 'DISABLED');
    assert.equal(updated.ScheduleExpressionTimezone, undefined);
    const listed = await scheduler.send(new ListSchedulesCommand({ GroupName: 'team', State: 'DISABLED' }));
    assert.deepEqual(listed.Schedules?.map((s) => [s.Name, s.GroupName, s.Target?.Arn]), [['nightly', 'team', queueArn]]);

    await scheduler.send(new CreateScheduleCommand({ Name: 'gone-with-group', GroupName: 'team', ScheduleExpression: 'rate(1 day)', ...base }));
    await scheduler.send(new DeleteScheduleCommand({ Name: 'nightly', GroupName: 'team' }));
    assert.equal((await failure(scheduler.send(new DeleteScheduleCommand({ Name: 'nightly', GroupName: 'team' })))).name, 'ResourceNotFoundException');
    await scheduler.send(new DeleteScheduleGroupCommand({ Name: 'team' }));
    assert.deepEqual((await scheduler.send(new ListSchedulesCommand({}))).Schedules, []);
    assert.equal((await failure(scheduler.send(new DeleteScheduleGroupCommand({ Name: 'default' })))).name, 'ValidationException');
  });

  test('at() in a time zone to SQS fires once, then ActionAfterCompletion DELETE removes the schedule', async () => {
    // 12:00 in Paris on 1 June is 10:00Z.
    await scheduler.send(new CreateScheduleCommand({
      Name: 'once', ScheduleExpression: 'at(2026-06-01T12:00:00)', ScheduleExpressionTimezone: 'Europe/Paris', FlexibleTimeWindow: OFF,
      Target: { Arn: queueArn, RoleArn: ROLE, Input: '{"hello":"at"}' }, ActionAfterCompletion: 'DELETE',
    }));
    clock.setTime(Date.parse('2026-06-01T09:59:00Z'));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }))).Messages, undefined);
    clock.setTime(Date.parse('2026-06-01T10:00:01Z'));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 10 }));
    assert.deepEqual(got.Messages?.map((m) => m.Body), ['{"hello":"at"}']);
    let deleted = false;
    for (let i = 0; i < 50 && !deleted; i++) {
      deleted = await scheduler.send(new GetScheduleCommand({ Name: 'once' })).then(() => false, (e: Error) => e.name === 'ResourceNotFoundException');
      if (!deleted) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(deleted, 'the one-time schedule was not deleted after it fired');
  });

  test('rate() to a Lambda function: an asynchronous invocation per period', async () => {
    const lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'ticked', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: makeZip({ 'index.js': 'exports.handler = async (e) => e;\n' }) },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: 'ticked' });
    await scheduler.send(new CreateScheduleCommand({
      Name: 'ticker', ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: OFF,
      Target: { Arn: 'arn:aws:lambda:us-east-1:000000000000:function:ticked', RoleArn: ROLE, Input: '{"tick":true}' },
    }));
    const invocations = async () => ((await (await fetch(`${server.url}/_lambkin/invocations?function=ticked`)).json()) as { invocations: unknown[] }).invocations.length;
    const waitFor = async (n: number) => {
      for (let i = 0; i < 150 && (await invocations()) < n; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await invocations(), n);
    };
    clock.advance(61_000);
    await waitFor(1);
    clock.advance(60_000);
    await waitFor(2);
    await scheduler.send(new DeleteScheduleCommand({ Name: 'ticker' }));
  });

  test('AWS CLI: create-schedule with a cron in a time zone, get-schedule, list-schedules', { skip: awsCliSkip }, async () => {
    const created = await awsCli(server.url, [
      'scheduler', 'create-schedule', '--name', 'cli', '--schedule-expression', 'cron(0 9 ? * MON-FRI *)', '--schedule-expression-timezone', 'America/New_York',
      '--flexible-time-window', 'Mode=OFF', '--target', `Arn=${queueArn},RoleArn=${ROLE}`,
    ]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.json().ScheduleArn, 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/cli');
    const got = await awsCli(server.url, ['scheduler', 'get-schedule', '--name', 'cli']);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.json().ScheduleExpression, 'cron(0 9 ? * MON-FRI *)');
    const listed = await awsCli(server.url, ['scheduler', 'list-schedules']);
    assert.ok((listed.json().Schedules as Array<{ Name: string }>).some((s) => s.Name === 'cli'));
  });

  test('POST /_lambkin/reset?service=scheduler removes schedules and groups', async () => {
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'to-reset' }));
    const reset = await fetch(`${server.url}/_lambkin/reset?service=scheduler`, { method: 'POST' });
    assert.equal(reset.status, 200);
    assert.deepEqual((await scheduler.send(new ListSchedulesCommand({}))).Schedules, []);
    assert.deepEqual((await scheduler.send(new ListScheduleGroupsCommand({}))).ScheduleGroups?.map((g) => g.Name), ['default']);
  });
});
