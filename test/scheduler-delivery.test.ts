import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateFunctionCommand, DeleteFunctionConcurrencyCommand, PutFunctionConcurrencyCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ShiftableClock } from '../src/clock.js';
import type { ScheduleDoc } from '../src/services/events/scheduler/model.js';
import { nextScheduledFiring } from '../src/services/events/scheduler/plan.js';
import { RecordingServer, recorderSource } from './support/recording-server.js';
import { startTestServer, type TestServer } from './support/server.js';
import { sqsClient } from './support/sqs.js';
import { makeZip, ROLE } from './support/zip.js';

const T0 = Date.parse('2026-06-01T09:00:00Z');
/** An Input naming every context attribute Scheduler fills in. */
const CONTEXT_INPUT = JSON.stringify({
  arn: '<aws.scheduler.schedule-arn>', time: '<aws.scheduler.scheduled-time>', execution: '<aws.scheduler.execution-id>', attempt: '<aws.scheduler.attempt-number>',
});

function flexibleDoc(minutes: number): ScheduleDoc {
  return {
    Name: 'f', GroupName: 'default', Arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/f', ScheduleExpression: 'rate(1 hour)', State: 'ENABLED',
    FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: minutes }, Target: { Arn: 'arn:aws:sqs:us-east-1:000000000000:q', RoleArn: ROLE },
    ActionAfterCompletion: 'NONE', CreationDate: T0, LastModificationDate: T0,
  };
}

describe('EventBridge Scheduler delivery: flexible time windows, retries, dead-letter queues and context attributes', () => {
  const clock = new ShiftableClock(T0);
  let recording: RecordingServer;
  let server: TestServer;
  let scheduler: SchedulerClient;
  let sqs: SQSClient;

  async function queue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    return { url, arn };
  }

  before(async () => {
    recording = await RecordingServer.start();
    server = await startTestServer({}, { eventsClock: clock });
    scheduler = new SchedulerClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    sqs = sqsClient(server.url);
  });
  after(async () => {
    await server.stop();
    await recording.close();
  });

  test('a FLEXIBLE window places the firing at a random time from its start to MaximumWindowInMinutes later', () => {
    const doc = flexibleDoc(15);
    const windowStart = T0 + 3_600_000;
    assert.deepEqual(nextScheduledFiring(doc, T0, () => 0), { windowStart, fireAt: windowStart });
    assert.equal(nextScheduledFiring(doc, T0, () => 0.999999)!.fireAt, windowStart + 15 * 60_000 - 1);
    const times = Array.from({ length: 500 }, () => nextScheduledFiring(doc, T0)!.fireAt);
    assert.ok(times.every((t) => t >= windowStart && t < windowStart + 15 * 60_000), 'every firing within the window');
    assert.ok(new Set(times).size > 400, 'firings are spread over the window');
    assert.ok(Math.max(...times) - Math.min(...times) > 10 * 60_000, 'the spread covers most of the window');
    assert.deepEqual(nextScheduledFiring({ ...doc, FlexibleTimeWindow: { Mode: 'OFF' } }, T0, () => 0.5), { windowStart, fireAt: windowStart });
  });

  test('a FLEXIBLE schedule fires once within its window, never before it starts', async () => {
    const { url, arn } = await queue('flexible');
    await scheduler.send(new CreateScheduleCommand({
      Name: 'flexible', ScheduleExpression: 'at(2026-06-01T10:00:00)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 },
      Target: { Arn: arn, RoleArn: ROLE, Input: '{"flexible":true}' },
    }));
    clock.setTime(Date.parse('2026-06-01T09:59:59Z'));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }))).Messages, undefined);
    clock.setTime(Date.parse('2026-06-01T10:10:00Z'));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10 }));
    assert.deepEqual(got.Messages?.map((m) => m.Body), ['{"flexible":true}']);
  });

  test('a failing target is retried MaximumRetryAttempts times, then the Input goes to the DLQ with the attempt attributes', async () => {
    // A FIFO queue refuses a message without a group id: every attempt fails, the queue exists.
    const fifo = await queue('refuses.fifo', { FifoQueue: 'true' });
    const dlq = await queue('schedule-dlq');
    clock.setTime(Date.parse('2026-06-01T11:00:00Z'));
    await scheduler.send(new CreateScheduleCommand({
      Name: 'retried', ScheduleExpression: 'at(2026-06-01T11:00:30)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: fifo.arn, RoleArn: ROLE, Input: '{"retry":1}', RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 }, DeadLetterConfig: { Arn: dlq.arn } },
    }));
    const started = Date.now();
    clock.setTime(Date.parse('2026-06-01T11:00:31Z'));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 15, MessageAttributeNames: ['All'] }));
    const [message] = got.Messages ?? [];
    assert.ok(message, 'the firing reached the DLQ');
    // Retries after 1 s and 2 s.
    assert.ok(Date.now() - started >= 2_500, `dead-lettered after ${Date.now() - started} ms`);
    assert.equal(message.Body, '{"retry":1}');
    const attrs = message.MessageAttributes!;
    assert.equal(attrs.RETRY_ATTEMPTS?.StringValue, '2');
    assert.equal(attrs.EXHAUSTED_RETRY_CONDITION?.StringValue, 'MaximumRetryAttempts');
    assert.equal(attrs.TARGET_ARN?.StringValue, fifo.arn);
    assert.equal(attrs['X-Amz-Scheduler-Schedule-Arn']?.StringValue, 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/retried');
    assert.equal(attrs['X-Amz-Scheduler-Attempt']?.StringValue, '3');
    assert.ok(attrs.ERROR_MESSAGE?.StringValue);
  });

  test('a target that does not exist is not retried: the Input goes to the DLQ at once', async () => {
    const dlq = await queue('missing-dlq');
    clock.setTime(Date.parse('2026-06-01T12:00:00Z'));
    await scheduler.send(new CreateScheduleCommand({
      Name: 'missing', ScheduleExpression: 'at(2026-06-01T12:00:30)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:sqs:us-east-1:000000000000:no-such-queue', RoleArn: ROLE, Input: '{"missing":1}', DeadLetterConfig: { Arn: dlq.arn } },
    }));
    clock.setTime(Date.parse('2026-06-01T12:00:31Z'));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 10, MessageAttributeNames: ['All'] }));
    const attrs = got.Messages?.[0]?.MessageAttributes;
    assert.equal(attrs?.RETRY_ATTEMPTS?.StringValue, '0');
    assert.equal(attrs?.ERROR_CODE?.StringValue, 'ResourceNotFoundException');
    assert.equal(attrs?.EXHAUSTED_RETRY_CONDITION, undefined);
  });

  test('context attributes in the Input of a Lambda target: the schedule ARN, the scheduled time, an execution id and attempt 1', async () => {
    const lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'context', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 10,
      Code: { ZipFile: makeZip({ 'index.js': recorderSource('context') }) }, Environment: { Variables: { RECORDER_URL: recording.url } },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 20, minDelay: 1 }, { FunctionName: 'context' });
    clock.setTime(Date.parse('2026-06-01T13:00:00Z'));
    await scheduler.send(new CreateScheduleCommand({
      Name: 'context', ScheduleExpression: 'at(2026-06-01T13:00:30)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:lambda:us-east-1:000000000000:function:context', RoleArn: ROLE, Input: CONTEXT_INPUT },
    }));
    // Delivered late: the scheduled time is still the firing's, not the delivery's.
    clock.setTime(Date.parse('2026-06-01T13:02:00Z'));
    await recording.until(() => recording.of('context').length === 1, 30_000);
    const event = recording.of('context')[0]!.event as Record<string, string>;
    assert.equal(event.arn, 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/context');
    assert.equal(event.time, '2026-06-01T13:00:30Z');
    assert.equal(event.attempt, '1');
    assert.match(event.execution!, /^[0-9a-f-]{16,}$/);
  });

  test('a retried delivery carries attempt-number 2, the same execution id and the same scheduled time', async () => {
    // Reserved concurrency 0 throttles the universal lambda:invoke (429, retried); lifted once the first attempt failed.
    const lambda = server.lambda();
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'context', ReservedConcurrentExecutions: 0 }));
    clock.setTime(Date.parse('2026-06-01T14:00:00Z'));
    await scheduler.send(new CreateScheduleCommand({
      Name: 'context-retried', ScheduleExpression: 'at(2026-06-01T14:00:30)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:scheduler:::aws-sdk:lambda:invoke', RoleArn: ROLE, Input: JSON.stringify({ FunctionName: 'context', Payload: JSON.parse(CONTEXT_INPUT) }) },
    }));
    clock.setTime(Date.parse('2026-06-01T14:00:31Z'));
    const arn = 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/context-retried';
    const deadline = Date.now() + 15_000;
    let firing: { id: string; attempts: number } | undefined;
    while (!firing || firing.attempts < 1) {
      assert.ok(Date.now() < deadline, 'the first attempt failed in time');
      await new Promise((resolve) => setTimeout(resolve, 50));
      firing = await server.lambkin.store.selectFrom('scheduler_deliveries').select(['id', 'attempts']).where('schedule_arn', '=', arn).executeTakeFirst();
    }
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'context' }));
    await recording.until(() => recording.of('context').length === 2, 30_000);
    const event = recording.of('context')[1]!.event as Record<string, string>;
    assert.equal(event.attempt, '2');
    assert.equal(event.execution, firing.id);
    assert.equal(event.time, '2026-06-01T14:00:30Z');
    assert.equal(event.arn, arn);
  });

  test('context attributes in the Input of a universal target (sqs:sendMessage)', async () => {
    const { url } = await queue('context-universal');
    clock.setTime(Date.parse('2026-06-01T15:00:00Z'));
    await scheduler.send(new CreateScheduleCommand({
      Name: 'context-universal', ScheduleExpression: 'at(2026-06-01T15:00:30)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', RoleArn: ROLE, Input: JSON.stringify({ QueueUrl: url, MessageBody: '<aws.scheduler.scheduled-time> #<aws.scheduler.attempt-number>' }) },
    }));
    clock.setTime(Date.parse('2026-06-01T15:00:31Z'));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 10 }));
    assert.deepEqual(got.Messages?.map((m) => m.Body), ['2026-06-01T15:00:30Z #1']);
  });
});
