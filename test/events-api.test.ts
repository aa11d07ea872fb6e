import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  TestEventPatternCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { DeliverySinks } from '../src/contracts/delivery-sinks.js';
import { rejectsWith } from './support/aws-errors.js';
import { recorderArn, RecordingSink } from './support/recording-sink.js';
import { startTestServer, type TestServer } from './support/server.js';

const ACCOUNT = '000000000000';

describe('EventBridge API', () => {
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

  describe('event buses', () => {
    test('the default bus always exists and cannot be deleted', async () => {
      const bus = await eb.send(new DescribeEventBusCommand({}));
      assert.equal(bus.Name, 'default');
      assert.equal(bus.Arn, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`);
      const listed = await eb.send(new ListEventBusesCommand({}));
      assert.ok(listed.EventBuses?.some((b) => b.Name === 'default'));
      await rejectsWith(eb.send(new DeleteEventBusCommand({ Name: 'default' })), 'ValidationException', 400, 'Cannot delete event bus default.');
    });

    test('create, describe, list with prefix and pages, delete', async () => {
      const created = await eb.send(new CreateEventBusCommand({ Name: 'orders', Description: 'order events' }));
      assert.equal(created.EventBusArn, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/orders`);
      assert.equal(created.Description, 'order events');
      await rejectsWith(eb.send(new CreateEventBusCommand({ Name: 'orders' })), 'ResourceAlreadyExistsException', 400, 'Event bus orders already exists.');
      const described = await eb.send(new DescribeEventBusCommand({ Name: created.EventBusArn }));
      assert.equal(described.Name, 'orders');
      assert.equal(described.Description, 'order events');
      assert.ok(described.CreationTime instanceof Date);
      for (const n of ['page-0', 'page-1', 'page-2']) await eb.send(new CreateEventBusCommand({ Name: n }));
      const first = await eb.send(new ListEventBusesCommand({ NamePrefix: 'page-', Limit: 2 }));
      assert.deepEqual(first.EventBuses?.map((b) => b.Name), ['page-0', 'page-1']);
      assert.ok(first.NextToken);
      const second = await eb.send(new ListEventBusesCommand({ NamePrefix: 'page-', Limit: 2, NextToken: first.NextToken }));
      assert.deepEqual(second.EventBuses?.map((b) => b.Name), ['page-2']);
      assert.equal(second.NextToken, undefined);
      await eb.send(new DeleteEventBusCommand({ Name: 'page-2' }));
      await rejectsWith(eb.send(new DescribeEventBusCommand({ Name: 'page-2' })), 'ResourceNotFoundException', 400, 'Event bus page-2 does not exist.');
      await rejectsWith(eb.send(new DeleteEventBusCommand({ Name: 'page-2' })), 'ResourceNotFoundException', 400, 'Event bus page-2 does not exist.');
    });

    test('bus names are validated as the model says', async () => {
      await rejectsWith(
        eb.send(new CreateEventBusCommand({ Name: 'bad name!' })),
        'ValidationException',
        400,
        "1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+",
      );
    });
  });

  describe('rules', () => {
    const pattern = JSON.stringify({ source: ['shop'], 'detail-type': ['OrderPlaced'] });

    test('put, describe, list, enable, disable, delete', async () => {
      const put = await eb.send(new PutRuleCommand({ Name: 'orders-rule', EventPattern: pattern, Description: 'd' }));
      assert.equal(put.RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/orders-rule`);
      const described = await eb.send(new DescribeRuleCommand({ Name: 'orders-rule' }));
      assert.deepEqual(
        { ...described, $metadata: undefined },
        { $metadata: undefined, Name: 'orders-rule', Arn: put.RuleArn, EventPattern: pattern, State: 'ENABLED', Description: 'd', EventBusName: 'default', CreatedBy: ACCOUNT },
      );
      await eb.send(new DisableRuleCommand({ Name: 'orders-rule' }));
      assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'orders-rule' }))).State, 'DISABLED');
      await eb.send(new EnableRuleCommand({ Name: 'orders-rule' }));
      assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'orders-rule' }))).State, 'ENABLED');
      await eb.send(new DeleteRuleCommand({ Name: 'orders-rule' }));
      await rejectsWith(eb.send(new DescribeRuleCommand({ Name: 'orders-rule' })), 'ResourceNotFoundException', 400, 'Rule orders-rule does not exist on EventBus default.');
    });

    test('rules on a custom bus have the bus in their ARN; list by prefix with pages', async () => {
      await eb.send(new CreateEventBusCommand({ Name: 'rules-bus' }));
      for (const i of [0, 1, 2, 3]) {
        const r = await eb.send(new PutRuleCommand({ Name: `r-${i}`, EventBusName: 'rules-bus', EventPattern: pattern }));
        assert.equal(r.RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/rules-bus/r-${i}`);
      }
      const first = await eb.send(new ListRulesCommand({ EventBusName: 'rules-bus', NamePrefix: 'r-', Limit: 3 }));
      assert.deepEqual(first.Rules?.map((r) => r.Name), ['r-0', 'r-1', 'r-2']);
      assert.equal(first.Rules?.[0]?.EventBusName, 'rules-bus');
      const second = await eb.send(new ListRulesCommand({ EventBusName: 'rules-bus', NamePrefix: 'r-', Limit: 3, NextToken: first.NextToken }));
      assert.deepEqual(second.Rules?.map((r) => r.Name), ['r-3']);
      await rejectsWith(eb.send(new DescribeRuleCommand({ Name: 'r-0' })), 'ResourceNotFoundException', 400, 'Rule r-0 does not exist on EventBus default.');
      await rejectsWith(eb.send(new ListRulesCommand({ EventBusName: 'no-such-bus' })), 'ResourceNotFoundException', 400, 'Event bus no-such-bus does not exist.');
    });

    test('PutRule validation: pattern, schedule, bus', async () => {
      await rejectsWith(eb.send(new PutRuleCommand({ Name: 'x' })), 'ValidationException', 400, 'Parameter(s) EventPattern or ScheduleExpression must be specified.');
      await rejectsWith(eb.send(new PutRuleCommand({ Name: 'x', EventPattern: '{"source": "shop"}' })), 'InvalidEventPatternException', 400, 'Event pattern is not valid. Reason: "source" must be an object or an array');
      await rejectsWith(eb.send(new PutRuleCommand({ Name: 'x', EventPattern: '{"a": [{"numeric": [">", 0, ">", 0]}]}' })), 'InvalidEventPatternException', 400, 'Event pattern is not valid. Reason: Bad numeric range operator: >');
      for (const expression of ['rate(1 minutes)', 'rate(5 minute)', 'cron(0 10 * * * *)', 'cron(INVALID)', 'cron(71 8 1 * ? *)']) {
        await rejectsWith(eb.send(new PutRuleCommand({ Name: 'x', ScheduleExpression: expression })), 'ValidationException', 400, 'Parameter ScheduleExpression is not valid.');
      }
      await eb.send(new CreateEventBusCommand({ Name: 'sched-bus' }));
      await rejectsWith(eb.send(new PutRuleCommand({ Name: 'x', EventBusName: 'sched-bus', ScheduleExpression: 'rate(1 minute)' })), 'ValidationException', 400, 'ScheduleExpression is supported only on the default event bus.');
      await rejectsWith(eb.send(new PutRuleCommand({ Name: 'x', EventBusName: 'missing-bus', EventPattern: pattern })), 'ResourceNotFoundException', 400, 'Event bus missing-bus does not exist.');
      await rejectsWith(
        eb.send(new PutRuleCommand({ Name: 'bad/name', EventPattern: pattern })),
        'ValidationException',
        400,
        "1 validation error detected: Value 'bad/name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
      );
      const ok = await eb.send(new PutRuleCommand({ Name: 'sched-ok', ScheduleExpression: 'cron(0 9 ? * 2#1 *)' }));
      assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'sched-ok' }))).ScheduleExpression, 'cron(0 9 ? * 2#1 *)');
      assert.ok(ok.RuleArn);
    });
  });

  describe('targets', () => {
    test('put, list, replace, remove; a rule with targets cannot be deleted', async () => {
      await eb.send(new PutRuleCommand({ Name: 'targets-rule', EventPattern: '{"source":["t"]}' }));
      const put = await eb.send(
        new PutTargetsCommand({
          Rule: 'targets-rule',
          Targets: [
            { Id: 'a', Arn: recorderArn('a'), RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 120 }, DeadLetterConfig: { Arn: recorderArn('dlq') } },
            { Id: 'b', Arn: recorderArn('b'), Input: '{"constant":true}' },
          ],
        }),
      );
      assert.equal(put.FailedEntryCount, 0);
      assert.deepEqual(put.FailedEntries, []);
      await eb.send(new PutTargetsCommand({ Rule: 'targets-rule', Targets: [{ Id: 'b', Arn: recorderArn('b2') }] }));
      const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: 'targets-rule' }));
      assert.deepEqual(listed.Targets, [
        { Id: 'a', Arn: recorderArn('a'), RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 120 }, DeadLetterConfig: { Arn: recorderArn('dlq') } },
        { Id: 'b', Arn: recorderArn('b2') },
      ]);
      assert.deepEqual((await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: recorderArn('b2') }))).RuleNames, ['targets-rule']);
      await rejectsWith(eb.send(new DeleteRuleCommand({ Name: 'targets-rule' })), 'ValidationException', 400, "Rule can't be deleted since it has targets.");
      const removed = await eb.send(new RemoveTargetsCommand({ Rule: 'targets-rule', Ids: ['a', 'b'] }));
      assert.equal(removed.FailedEntryCount, 0);
      await eb.send(new DeleteRuleCommand({ Name: 'targets-rule' }));
    });

    test('target validation as AWS', async () => {
      await rejectsWith(eb.send(new PutTargetsCommand({ Rule: 'nope', Targets: [{ Id: 'a', Arn: recorderArn('a') }] })), 'ResourceNotFoundException', 400, 'Rule nope does not exist on EventBus default.');
      await eb.send(new PutRuleCommand({ Name: 'tv', EventPattern: '{"source":["t"]}' }));
      await rejectsWith(
        eb.send(new PutTargetsCommand({ Rule: 'tv', Targets: [{ Id: '!@#$@!#$', Arn: recorderArn('a') }] })),
        'ValidationException',
        400,
        "1 validation error detected: Value '!@#$@!#$' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
      );
      await rejectsWith(
        eb.send(new PutTargetsCommand({ Rule: 'tv', Targets: [{ Id: 'x', Arn: recorderArn('a'), Input: '{}', InputPath: '$.detail' }] })),
        'ValidationException',
        400,
        'Only one of Input, InputPath, or InputTransformer must be provided for target x.',
      );
      await rejectsWith(
        eb.send(new PutTargetsCommand({ Rule: 'tv', Targets: [{ Id: 'x', Arn: recorderArn('a'), InputTransformer: { InputPathsMap: { a: '$.detail' }, InputTemplate: '"<a> <notdefinedkey>"' } }] })),
        'ValidationException',
        400,
        'InputTemplate for target x contains invalid placeholder notdefinedkey.',
      );
      await eb.send(new PutTargetsCommand({ Rule: 'tv', Targets: [1, 2, 3, 4, 5].map((i) => ({ Id: `t${i}`, Arn: recorderArn(`t${i}`) })) }));
      await rejectsWith(eb.send(new PutTargetsCommand({ Rule: 'tv', Targets: [{ Id: 't6', Arn: recorderArn('t6') }] })), 'LimitExceededException', 400, 'The requested resource exceeds the maximum number allowed.');
    });
  });

  // Targets here are an in-process recording sink registered with the server, not real services:
  // these check routing, transforms, retries and DLQs; events-targets-integration.test.ts
  // delivers to real Lambda functions and SQS queues.
  describe('PutEvents and delivery into an in-process recording sink', () => {
    test('per-entry results: ids for good entries, AWS errors for bad ones; the request size limit', async () => {
      const res = await eb.send(
        new PutEventsCommand({
          Entries: [
            { Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"id":1}' },
            { DetailType: 'x', Detail: '{}' },
            { Source: 'shop', Detail: '{}' },
            { Source: 'shop', DetailType: 'x' },
            { Source: 'shop', DetailType: 'x', Detail: '"a string"' },
            { Source: 'shop', DetailType: 'x', Detail: '{"to":"nowhere"}', EventBusName: 'no-such-bus' },
          ],
        }),
      );
      assert.equal(res.FailedEntryCount, 4);
      assert.match(res.Entries?.[0]?.EventId ?? '', /^[0-9a-f-]{36}$/);
      assert.deepEqual(res.Entries?.slice(1, 5), [
        { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
        { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
        { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
        { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      ]);
      // AWS accepts (and drops) events for a bus that does not exist.
      assert.ok(res.Entries?.[5]?.EventId);
      await rejectsWith(
        eb.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' })) })),
        'ValidationException',
        400,
        /^1 validation error detected: Value '.*' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/,
      );
      const big = JSON.stringify({ pad: 'x'.repeat(256 * 1024) });
      await rejectsWith(eb.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: big }] })), 'ValidationException', 400, 'Total size of the entries in the request is over the limit.');
    });

    test('matched events reach their targets as the event, Input, InputPath or InputTransformer output', async () => {
      await eb.send(new PutRuleCommand({ Name: 'deliver', EventPattern: JSON.stringify({ source: ['shop'], detail: { total: [{ numeric: ['>', 100] }] } }) }));
      await eb.send(
        new PutTargetsCommand({
          Rule: 'deliver',
          Targets: [
            { Id: 'whole', Arn: recorderArn('whole') },
            { Id: 'const', Arn: recorderArn('const'), Input: '{"fixed":1}' },
            { Id: 'path', Arn: recorderArn('path'), InputPath: '$.detail.customer' },
            {
              Id: 'json',
              Arn: recorderArn('json'),
              InputTransformer: { InputPathsMap: { type: '$.detail-type', total: '$.detail.total', customer: '$.detail.customer', missing: '$.detail.nope' }, InputTemplate: '{"type": <type>, "total": <total>, "who": "<type> for <total>", "customer": <customer>, "missing": <missing>, "rule": "<aws.events.rule-name>"}' },
            },
            { Id: 'text', Arn: recorderArn('text'), InputTransformer: { InputPathsMap: { total: '$.detail.total', customer: '$.detail.customer' }, InputTemplate: '"Total <total> for <customer>"' } },
          ],
        }),
      );
      const res = await eb.send(
        new PutEventsCommand({
          Entries: [
            { Source: 'shop', DetailType: 'OrderPlaced', Detail: JSON.stringify({ total: 250, customer: { name: 'ann' } }), Resources: ['arn:aws:shop:::order/1'] },
            { Source: 'shop', DetailType: 'OrderPlaced', Detail: JSON.stringify({ total: 5 }) },
          ],
        }),
      );
      const [whole] = await recorder.waitFor(recorderArn('whole'));
      const event = JSON.parse(whole!.body);
      assert.deepEqual(Object.keys(event), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
      assert.equal(event.id, res.Entries?.[0]?.EventId);
      assert.deepEqual({ ...event, id: undefined, time: undefined }, {
        version: '0', id: undefined, 'detail-type': 'OrderPlaced', source: 'shop', account: ACCOUNT, time: undefined, region: 'us-east-1', resources: ['arn:aws:shop:::order/1'], detail: { total: 250, customer: { name: 'ann' } },
      });
      assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(whole!.sentBy?.principalService, 'events.amazonaws.com');
      assert.equal(whole!.sentBy?.sourceArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/deliver`);
      assert.equal((await recorder.waitFor(recorderArn('const')))[0]!.body, '{"fixed":1}');
      assert.deepEqual(JSON.parse((await recorder.waitFor(recorderArn('path')))[0]!.body), { name: 'ann' });
      assert.deepEqual(JSON.parse((await recorder.waitFor(recorderArn('json')))[0]!.body), {
        type: 'OrderPlaced', total: 250, who: 'OrderPlaced for 250', customer: { name: 'ann' }, missing: '', rule: 'deliver',
      });
      assert.equal(JSON.parse((await recorder.waitFor(recorderArn('text')))[0]!.body), 'Total 250 for {name:ann}');
      // The second event (total 5) matched nothing: still one delivery per target.
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(recorder.for(recorderArn('whole')).length, 1);
    });

    test('disabled rules do not match', async () => {
      await eb.send(new PutRuleCommand({ Name: 'off', EventPattern: '{"source":["off-src"]}', State: 'DISABLED' }));
      await eb.send(new PutTargetsCommand({ Rule: 'off', Targets: [{ Id: 'o', Arn: recorderArn('off') }] }));
      await eb.send(new PutEventsCommand({ Entries: [{ Source: 'off-src', DetailType: 'x', Detail: '{}' }] }));
      await eb.send(new EnableRuleCommand({ Name: 'off' }));
      await eb.send(new PutEventsCommand({ Entries: [{ Source: 'off-src', DetailType: 'x', Detail: '{"second":true}' }] }));
      const got = await recorder.waitFor(recorderArn('off'));
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(recorder.for(recorderArn('off')).length, 1);
      assert.deepEqual(JSON.parse(got[0]!.body).detail, { second: true });
    });

    test('a bus target forwards the event to another bus, whose rules route it on', async () => {
      await eb.send(new CreateEventBusCommand({ Name: 'downstream' }));
      await eb.send(new PutRuleCommand({ Name: 'to-downstream', EventPattern: '{"source":["fwd"]}' }));
      await eb.send(new PutTargetsCommand({ Rule: 'to-downstream', Targets: [{ Id: 'bus', Arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/downstream` }] }));
      await eb.send(new PutRuleCommand({ Name: 'on-downstream', EventBusName: 'downstream', EventPattern: '{"detail-type":["Forwarded"]}' }));
      await eb.send(new PutTargetsCommand({ Rule: 'on-downstream', EventBusName: 'downstream', Targets: [{ Id: 'rec', Arn: recorderArn('downstream') }] }));
      await eb.send(new PutEventsCommand({ Entries: [{ Source: 'fwd', DetailType: 'Forwarded', Detail: '{"hop":1}', Resources: ['r1'] }] }));
      const [msg] = await recorder.waitFor(recorderArn('downstream'));
      const event = JSON.parse(msg!.body);
      assert.equal(event.source, 'fwd');
      assert.deepEqual(event.resources, ['r1']);
      assert.deepEqual(event.detail, { hop: 1 });
    });

    test('a target that does not exist is not retried: the event goes straight to the DLQ', async () => {
      await eb.send(new PutRuleCommand({ Name: 'to-missing-bus', EventPattern: '{"source":["lost"]}' }));
      await eb.send(
        new PutTargetsCommand({
          Rule: 'to-missing-bus',
          Targets: [{ Id: 'bus', Arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/not-there`, DeadLetterConfig: { Arn: recorderArn('lost-dlq') } }],
        }),
      );
      await eb.send(new PutEventsCommand({ Entries: [{ Source: 'lost', DetailType: 'x', Detail: '{"n":2}' }] }));
      const [dead] = await recorder.waitFor(recorderArn('lost-dlq'));
      assert.match(dead!.attributes?.ERROR_MESSAGE?.value ?? '', /Event bus not-there does not exist\./);
      assert.deepEqual(JSON.parse(dead!.body).detail, { n: 2 });
      assert.equal(dead!.attributes?.RETRY_ATTEMPTS?.value, '0');
      assert.equal(dead!.attributes?.ERROR_CODE?.value, 'ResourceNotFoundException');
      assert.equal(dead!.attributes?.EXHAUSTED_RETRY_CONDITION, undefined);
    });

    test('failed deliveries are retried, then sent to the target DLQ with the failure attributes', async () => {
      recorder.failArns.add(recorderArn('broken'));
      await eb.send(new PutRuleCommand({ Name: 'retry', EventPattern: '{"source":["retry-src"]}' }));
      await eb.send(
        new PutTargetsCommand({
          Rule: 'retry',
          Targets: [{ Id: 'broken', Arn: recorderArn('broken'), RetryPolicy: { MaximumRetryAttempts: 1 }, DeadLetterConfig: { Arn: recorderArn('retry-dlq') } }],
        }),
      );
      await eb.send(new PutEventsCommand({ Entries: [{ Source: 'retry-src', DetailType: 'x', Detail: '{"n":1}' }] }));
      // First attempt, one retry after ~1 s of back-off, then the DLQ.
      const [dead] = await recorder.waitFor(recorderArn('retry-dlq'), 1, 10_000);
      assert.deepEqual(JSON.parse(dead!.body).detail, { n: 1 });
      assert.equal(dead!.attributes?.RULE_ARN?.value, `arn:aws:events:us-east-1:${ACCOUNT}:rule/retry`);
      assert.equal(dead!.attributes?.TARGET_ARN?.value, recorderArn('broken'));
      assert.equal(dead!.attributes?.RETRY_ATTEMPTS?.value, '1');
      assert.equal(dead!.attributes?.EXHAUSTED_RETRY_CONDITION?.value, 'MaximumRetryAttempts');
      assert.match(dead!.attributes?.ERROR_MESSAGE?.value ?? '', /recorder refused/);
    });
  });

  describe('durability', () => {
    test('rules, targets and undelivered events survive a restart; delivery into the recording sink resumes', async () => {
      recorder.failArns.add(recorderArn('durable'));
      await eb.send(new PutRuleCommand({ Name: 'durable', EventPattern: '{"source":["durable-src"]}' }));
      await eb.send(new PutTargetsCommand({ Rule: 'durable', Targets: [{ Id: 'd', Arn: recorderArn('durable') }] }));
      await eb.send(new PutEventsCommand({ Entries: [{ Source: 'durable-src', DetailType: 'x', Detail: '{"kept":true}' }] }));
      await new Promise((r) => setTimeout(r, 300));
      await server.restart(() => {
        recorder.failArns.delete(recorderArn('durable'));
      });
      eb.destroy();
      eb = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'durable' }))).State, 'ENABLED');
      assert.equal((await eb.send(new ListTargetsByRuleCommand({ Rule: 'durable' }))).Targets?.length, 1);
      const [msg] = await recorder.waitFor(recorderArn('durable'), 1, 10_000);
      assert.deepEqual(JSON.parse(msg!.body).detail, { kept: true });
    });
  });

  describe('TestEventPattern and tags', () => {
    test('TestEventPattern answers with the rule matcher', async () => {
      const event = JSON.stringify({ id: '1', source: 'shop', 'detail-type': 'x', account: ACCOUNT, region: 'us-east-1', time: '2026-01-01T00:00:00Z', resources: [], detail: { n: 5 } });
      assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":["<",10]}]}}', Event: event }))).Result, true);
      assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: '{"source":[{"prefix":"x"}]}', Event: event }))).Result, false);
      await rejectsWith(eb.send(new TestEventPatternCommand({ EventPattern: '{"source":[]}', Event: event })), 'InvalidEventPatternException', 400, 'Event pattern is not valid. Reason: Empty arrays are not allowed');
      await rejectsWith(eb.send(new TestEventPatternCommand({ EventPattern: '{"source":["x"]}', Event: '["not", "an", "object"]' })), 'ValidationException', 400, 'Parameter Event is not valid.');
      await rejectsWith(eb.send(new TestEventPatternCommand({ EventPattern: '{"source":["x"]}', Event: '{"testEvent": "value"}' })), 'ValidationException', 400, 'Parameter Event is not valid.');
    });

    test('tag, list and untag rules and buses', async () => {
      const rule = await eb.send(new PutRuleCommand({ Name: 'tagged', EventPattern: '{"source":["x"]}', Tags: [{ Key: 'team', Value: 'a' }] }));
      await eb.send(new TagResourceCommand({ ResourceARN: rule.RuleArn, Tags: [{ Key: 'env', Value: 'dev' }] }));
      assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: rule.RuleArn }))).Tags, [{ Key: 'team', Value: 'a' }, { Key: 'env', Value: 'dev' }]);
      await eb.send(new UntagResourceCommand({ ResourceARN: rule.RuleArn, TagKeys: ['team'] }));
      assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: rule.RuleArn }))).Tags, [{ Key: 'env', Value: 'dev' }]);
      const bus = await eb.send(new CreateEventBusCommand({ Name: 'tagged-bus', Tags: [{ Key: 'k', Value: 'v' }] }));
      assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: bus.EventBusArn }))).Tags, [{ Key: 'k', Value: 'v' }]);
      await rejectsWith(
        eb.send(new ListTagsForResourceCommand({ ResourceARN: `arn:aws:events:us-east-1:${ACCOUNT}:rule/missing` })),
        'ResourceNotFoundException',
        400,
        'Rule missing does not exist on EventBus default.',
      );
      await rejectsWith(eb.send(new ListTagsForResourceCommand({ ResourceARN: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/missing` })), 'ResourceNotFoundException', 400, 'Event bus missing does not exist.');
    });
  });
});
