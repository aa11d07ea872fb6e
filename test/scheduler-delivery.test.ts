import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ShiftableClock } from '../src/clock.js';
import type { ScheduleDoc } from '../src/services/events/scheduler/model.js';
import { nextScheduledFiring } from '../src/services/events/scheduler/plan.js';
import { startTestServer, type TestServer } from './support/server.js';
import { sqsClient } from './support/sqs.js';
import { ROLE } from './support/zip.js';

const T0 = Date.parse('2026-06-01T09:00:00Z');

function flexibleDoc(minutes: number): ScheduleDoc {
  return {
    Name: 'f', GroupName: 'default', Arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/f', ScheduleExpression: 'rate(1 hour)', State: 'ENABLED',
    FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: minutes }, Target: { Arn: 'arn:aws:sqs:us-east-1:000000000000:q', RoleArn: ROLE },
    ActionAfterCompletion: 'NONE', CreationDate: T0, LastModificationDate: T0,
  };
}

describe('EventBridge Scheduler delivery: flexible time windows, retries and dead-letter queues', () => {
  const clock = new ShiftableClock(T0);
  let server: TestServer;
  let scheduler: SchedulerClient;
  let sqs: SQSClient;

  async function queue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    return { url, arn };
  }

  before(async () => {
    server = await startTestServer({}, { eventsClock: clock });
    scheduler = new SchedulerClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    sqs = sqsClient(server.url);
  });
  after(() => server.stop());

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
});
