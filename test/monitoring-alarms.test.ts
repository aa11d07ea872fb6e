import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, DeleteAlarmsCommand, DisableAlarmActionsCommand,
  GetMetricStatisticsCommand, ListMetricsCommand, PutMetricAlarmCommand, SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  AddPermissionCommand, CreateFunctionCommand, InvokeCommand, PutFunctionEventInvokeConfigCommand, waitUntilFunctionActiveV2, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ShiftableClock } from '../src/clock.js';
import { startTestServer, type TestServer } from './support/server.js';
import { allowServiceToSend, sqsClient } from './support/sqs.js';
import { makeZip, ROLE } from './support/zip.js';

const MINUTE = 60_000;
const FLAKY_JS = `exports.handler = async (event) => { if (event.fail) throw new Error('boom'); return 'fine'; };\n`;

describe('CloudWatch alarms and the AWS/Lambda metrics', () => {
  let server: TestServer;
  let cw: CloudWatchClient;
  let lambda: LambdaClient;
  let sqs: SQSClient;
  const alarmClock = new ShiftableClock();
  let topicArn: string;
  let inboxUrl: string;
  let eventsUrl: string;
  const scope = { accountId: '000000000000', region: 'us-east-1' };

  const receive = async (QueueUrl: string) => {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, MaxNumberOfMessages: 1, VisibilityTimeout: 300 }));
    assert.equal(out.Messages?.length, 1, 'a message arrives');
    return JSON.parse(out.Messages![0]!.Body!) as Record<string, unknown>;
  };
  const stateOf = async (AlarmName: string) => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [AlarmName] }))).MetricAlarms?.[0];

  before(async () => {
    server = await startTestServer({}, { monitoringClock: alarmClock });
    const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
    cw = new CloudWatchClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    lambda = server.lambda();
    sqs = sqsClient(server.url);
    const sns = new SNSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    for (const [FunctionName, code] of [['flaky', FLAKY_JS], ['on-alarm', 'exports.handler = async () => "noted";\n']] as const) {
      await lambda.send(new CreateFunctionCommand({ FunctionName, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: makeZip({ 'index.js': code }) } }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 30 }, { FunctionName });
    }
    inboxUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'alarm-inbox' }))).QueueUrl!;
    eventsUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'alarm-events' }))).QueueUrl!;
    const arnOf = async (QueueUrl: string) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'alarms' }))).TopicArn!;
    await allowServiceToSend(sqs, inboxUrl, 'sns.amazonaws.com', topicArn);
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: await arnOf(inboxUrl) }));
    // The Lambda action's event comes back through the function's OnSuccess destination.
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'on-alarm', DestinationConfig: { OnSuccess: { Destination: await arnOf(eventsUrl) } } }));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'on-alarm', StatementId: 'alarms', Action: 'lambda:InvokeFunction', Principal: 'lambda.alarms.cloudwatch.amazonaws.com' }));
  });
  after(async () => {
    await server?.stop();
  });

  test('an Errors alarm goes to ALARM after the function fails, publishing to SNS → SQS and invoking a function', async () => {
    await cw.send(new PutMetricAlarmCommand({
      AlarmName: 'flaky-errors', AlarmDescription: 'flaky fails',
      Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'flaky' }],
      Statistic: 'Sum', Period: 60, EvaluationPeriods: 2, DatapointsToAlarm: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching', AlarmActions: [topicArn, `arn:aws:lambda:us-east-1:000000000000:function:on-alarm`], OKActions: [topicArn],
    }));
    // No data, and missing data is not breaching: OK at once, and the OK action runs.
    await server.lambkin.evaluateAlarms();
    assert.equal((await stateOf('flaky-errors'))?.StateValue, 'OK');
    const ok = await receive(inboxUrl);
    assert.equal(ok.Subject, 'OK: "flaky-errors" in US East (N. Virginia)');
    assert.equal((JSON.parse(ok.Message as string) as { OldStateValue: string }).OldStateValue, 'INSUFFICIENT_DATA');

    for (const fail of [true, false, true]) await lambda.send(new InvokeCommand({ FunctionName: 'flaky', Payload: Buffer.from(JSON.stringify({ fail })) }));
    // The platform's metrics reach the store within a couple of seconds of the invocations.
    const sumOf = async (MetricName: string) => {
      const out = await cw.send(new GetMetricStatisticsCommand({
        Namespace: 'AWS/Lambda', MetricName, Dimensions: [{ Name: 'FunctionName', Value: 'flaky' }],
        StartTime: new Date(Date.now() - 10 * MINUTE), EndTime: new Date(Date.now() + MINUTE), Period: 600, Statistics: ['Sum'],
      }));
      return out.Datapoints?.reduce((n, p) => n + (p.Sum ?? 0), 0) ?? 0;
    };
    for (let i = 0; i < 50 && (await sumOf('Invocations')) < 3; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await sumOf('Invocations'), 3);
    assert.equal(await sumOf('Errors'), 2);

    // The minute the errors fell in is over once the alarm clock moves a minute on.
    alarmClock.advance(MINUTE);
    await server.lambkin.evaluateAlarms();
    const alarm = await stateOf('flaky-errors');
    assert.equal(alarm?.StateValue, 'ALARM');
    assert.match(alarm?.StateReason ?? '', /^Threshold Crossed: 1 out of the last 2 datapoints \[2\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:00\)\] was greater than or equal to the threshold \(1\.0\) \(minimum 1 datapoint for OK -> ALARM transition\)\.$|^Threshold Crossed: 2 out of the last 2 datapoints/);
    const reasonData = JSON.parse(alarm!.StateReasonData!) as { statistic: string; threshold: number; recentDatapoints: number[] };
    assert.equal(reasonData.statistic, 'Sum');
    assert.equal(reasonData.recentDatapoints.reduce((a, b) => a + b, 0), 2);

    const notification = await receive(inboxUrl);
    assert.equal(notification.Type, 'Notification');
    assert.equal(notification.Subject, 'ALARM: "flaky-errors" in US East (N. Virginia)');
    const message = JSON.parse(notification.Message as string) as Record<string, unknown>;
    assert.equal(message.AlarmName, 'flaky-errors');
    assert.equal(message.AlarmDescription, 'flaky fails');
    assert.equal(message.NewStateValue, 'ALARM');
    assert.equal(message.OldStateValue, 'OK');
    assert.equal(message.AWSAccountId, scope.accountId);
    assert.equal(message.Region, 'US East (N. Virginia)');
    assert.equal(message.AlarmArn, 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:flaky-errors');
    assert.match(message.StateChangeTime as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.deepEqual(message.Trigger, {
      MetricName: 'Errors', Namespace: 'AWS/Lambda', StatisticType: 'Statistic', Statistic: 'SUM', Unit: null,
      Dimensions: [{ value: 'flaky', name: 'FunctionName' }], Period: 60, EvaluationPeriods: 2, DatapointsToAlarm: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold', Threshold: 1, TreatMissingData: 'notBreaching', EvaluateLowSampleCountPercentile: '',
    });

    const record = await receive(eventsUrl);
    const event = record.requestPayload as { source: string; alarmArn: string; alarmData: { alarmName: string; state: { value: string }; previousState: { value: string }; configuration: { metrics: { metricStat: { metric: { name: string; dimensions: Record<string, string> } } }[] } } };
    assert.equal(event.source, 'aws.cloudwatch');
    assert.equal(event.alarmArn, 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:flaky-errors');
    assert.equal(event.alarmData.alarmName, 'flaky-errors');
    assert.equal(event.alarmData.state.value, 'ALARM');
    assert.equal(event.alarmData.previousState.value, 'OK');
    assert.deepEqual(event.alarmData.configuration.metrics[0]?.metricStat.metric, { namespace: 'AWS/Lambda', name: 'Errors', dimensions: { FunctionName: 'flaky' } });

    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'flaky-errors' }));
    const summaries = history.AlarmHistoryItems?.map((h) => `${h.HistoryItemType}: ${h.HistorySummary}`);
    assert.ok(summaries?.includes('StateUpdate: Alarm updated from OK to ALARM'));
    assert.ok(summaries?.includes('StateUpdate: Alarm updated from INSUFFICIENT_DATA to OK'));
    assert.ok(summaries?.includes('ConfigurationUpdate: Alarm "flaky-errors" created'));
    assert.ok(summaries?.includes(`Action: Successfully executed action ${topicArn}`));
    assert.equal(summaries?.[summaries.length - 1], 'ConfigurationUpdate: Alarm "flaky-errors" created', 'newest first');
  });

  test('the AWS/Lambda namespace has the function, version and account-level series with percentiles of Duration', async () => {
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/Lambda', Dimensions: [{ Name: 'FunctionName', Value: 'flaky' }] }));
    const names = new Set(listed.Metrics?.map((m) => `${m.MetricName} ${m.Dimensions?.map((d) => d.Name).join(',')}`));
    for (const expected of ['Invocations FunctionName', 'Errors FunctionName', 'Duration FunctionName', 'ConcurrentExecutions FunctionName', 'Invocations FunctionName,Resource']) {
      assert.ok(names.has(expected), `${expected} in ${[...names].join('; ')}`);
    }
    const account = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'AWS/Lambda', MetricName: 'Invocations', StartTime: new Date(Date.now() - 10 * MINUTE), EndTime: new Date(Date.now() + MINUTE), Period: 600, Statistics: ['Sum'] }));
    assert.ok((account.Datapoints?.reduce((n, p) => n + (p.Sum ?? 0), 0) ?? 0) >= 3);
    const duration = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: [{ Name: 'FunctionName', Value: 'flaky' }],
      StartTime: new Date(Date.now() - 10 * MINUTE), EndTime: new Date(Date.now() + MINUTE), Period: 600, ExtendedStatistics: ['p50', 'p99'],
    }));
    const stats = duration.Datapoints?.[0]?.ExtendedStatistics;
    assert.ok(stats && stats.p50! > 0 && stats.p99! >= stats.p50!);
    assert.equal(duration.Datapoints?.[0]?.Unit, 'Milliseconds');
  });

  test('SetAlarmState moves the alarm and runs its actions; disabled actions do not run; DeleteAlarms', async () => {
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'flaky-errors', StateValue: 'OK', StateReason: 'manual reset' }));
    assert.equal((await stateOf('flaky-errors'))?.StateReason, 'manual reset');
    const ok = await receive(inboxUrl);
    assert.equal(ok.Subject, 'OK: "flaky-errors" in US East (N. Virginia)');
    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['flaky-errors'] }));
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'flaky-errors', StateValue: 'ALARM', StateReason: 'quiet test' }));
    assert.equal((await stateOf('flaky-errors'))?.ActionsEnabled, false);
    const none = await sqs.send(new ReceiveMessageCommand({ QueueUrl: inboxUrl, WaitTimeSeconds: 1 }));
    assert.equal(none.Messages, undefined);
    await assert.rejects(cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })), (err: Error) => {
      assert.equal(err.name, 'ResourceNotFound');
      assert.equal(err.message, 'Alarm nope does not exist');
      return true;
    });
    await assert.rejects(cw.send(new SetAlarmStateCommand({ AlarmName: 'flaky-errors', StateValue: 'OK', StateReason: 'x', StateReasonData: 'not json' })), { name: 'InvalidFormatFault' });
    await assert.rejects(cw.send(new PutMetricAlarmCommand({ AlarmName: 'bad', Namespace: 'A', MetricName: 'B', Statistic: 'Sum', Period: 45, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' })), { name: 'InvalidParameterValueException' });
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['flaky-errors'] }));
    assert.equal(await stateOf('flaky-errors'), undefined);
  });
});
