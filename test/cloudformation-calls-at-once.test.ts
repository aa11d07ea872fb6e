import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateChangeSetCommand, CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, ExecuteChangeSetCommand, ListChangeSetsCommand,
  ListStacksCommand, UpdateStackCommand, UpdateTerminationProtectionCommand, waitUntilStackCreateComplete, waitUntilStackDeleteComplete, waitUntilStackUpdateComplete, type CloudFormationClient, type Stack,
} from '@aws-sdk/client-cloudformation';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { cloudFormationClient } from './support/cloudformation.js';
import { startTestServer, type TestServer } from './support/server.js';

/**
 * A custom resource whose function answers after `DelayMs`: the stack's operation runs that long,
 * long enough for the calls the tests make beside it. `Round` changes what an update changes. The
 * parameter read from Parameter Store (as the CDK's BootstrapVersion is) makes each call that
 * starts an operation wait on a request of its own between reading the stack and writing it.
 */
const slowStack = (delayMs: number, round = 0) => JSON.stringify({
  Parameters: { Version: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/calls-at-once/version' } },
  Resources: {
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Timeout: 30,
        Code: {
          ZipFile: [
            "const response = require('cfn-response');",
            'exports.handler = async (event, context) => {',
            '  await new Promise((r) => setTimeout(r, Number(event.ResourceProperties.DelayMs)));',
            "  await response.send(event, context, response.SUCCESS, { Round: event.ResourceProperties.Round }, 'slow-thing');",
            '};',
          ].join('\n'),
        },
      },
    },
    Thing: { Type: 'Custom::Slow', Properties: { ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] }, ServiceTimeout: 60, DelayMs: delayMs, Round: String(round) } },
  },
  Outputs: { Round: { Value: { 'Fn::GetAtt': ['Thing', 'Round'] } } },
});

describe('CloudFormation calls at once on one stack', () => {
  let server: TestServer;
  let cfn: CloudFormationClient;
  const waiter = () => ({ client: cfn, maxWaitTime: 60, minDelay: 1, maxDelay: 1 });
  before(async () => {
    server = await startTestServer();
    cfn = cloudFormationClient(server.url);
    const ssm = new SSMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await ssm.send(new PutParameterCommand({ Name: '/calls-at-once/version', Type: 'String', Value: '1' }));
  });
  after(() => server.stop());

  const describeStack = async (name: string): Promise<Stack> => (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;

  /** Waits (polling every 50 ms) until the stack exists with `status`. */
  async function untilStatus(name: string, status: string): Promise<void> {
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      const found = await describeStack(name).catch(() => undefined);
      if (found?.StackStatus === status) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`stack ${name} never reached ${status}`);
  }

  /** The statuses of the stack's own events, newest first. */
  const stackStatuses = async (stackId: string): Promise<string[]> =>
    (await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }))).StackEvents!.filter((e) => e.ResourceType === 'AWS::CloudFormation::Stack').map((e) => e.ResourceStatus!);

  test('termination protection set while the create runs is kept when it completes', async () => {
    const creating = cfn.send(new CreateStackCommand({ StackName: 'protected', TemplateBody: slowStack(2000) }));
    await untilStatus('protected', 'CREATE_IN_PROGRESS');
    await cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'protected', EnableTerminationProtection: true }));
    await creating;
    await waitUntilStackCreateComplete(waiter(), { StackName: 'protected' });
    const stack = await describeStack('protected');
    assert.equal(stack.EnableTerminationProtection, true);
    assert.deepEqual(stack.Outputs?.map((o) => [o.OutputKey, o.OutputValue]), [['Round', '0']]);
    await assert.rejects(cfn.send(new DeleteStackCommand({ StackName: 'protected' })), (err: Error) => err.message === 'Stack [protected] cannot be deleted while TerminationProtection is enabled');
    await cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'protected', EnableTerminationProtection: false }));
    await cfn.send(new DeleteStackCommand({ StackName: 'protected' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: stack.StackId! });
  });

  /** A created stack's id. */
  async function created(name: string): Promise<string> {
    await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: slowStack(0) }));
    await waitUntilStackCreateComplete(waiter(), { StackName: name });
    return (await describeStack(name)).StackId!;
  }

  test('three updates and a change set executed at once: one update runs, the others are refused with CloudFormation\'s errors', async () => {
    const stackId = await created('busy');
    await cfn.send(new CreateChangeSetCommand({ StackName: 'busy', ChangeSetName: 'round-9', TemplateBody: slowStack(1500, 9) }));
    const before = (await stackStatuses(stackId)).length;
    const calls = await Promise.allSettled([
      ...[1, 2, 3].map((round) => cfn.send(new UpdateStackCommand({ StackName: 'busy', TemplateBody: slowStack(1500, round) }))),
      cfn.send(new ExecuteChangeSetCommand({ StackName: 'busy', ChangeSetName: 'round-9' })),
    ]);
    const started = calls.filter((c) => c.status === 'fulfilled');
    const refusals = calls.flatMap((c, i) => (c.status === 'rejected' ? [[i < 3 ? 'update' : 'execute', (c.reason as Error).name, (c.reason as Error).message]] : []));
    assert.equal(started.length, 1, `refused: ${JSON.stringify(refusals)}`);
    for (const [call, name, message] of refusals) {
      if (call === 'update') assert.deepEqual([name, message], ['ValidationError', `Stack:${stackId} is in UPDATE_IN_PROGRESS state and can not be updated.`]);
      else assert.equal(name, 'InvalidChangeSetStatusException');
    }
    await waitUntilStackUpdateComplete(waiter(), { StackName: 'busy' });
    assert.deepEqual((await stackStatuses(stackId)).slice(0, -before).filter((s) => s === 'UPDATE_IN_PROGRESS'), ['UPDATE_IN_PROGRESS']);
    await cfn.send(new DeleteStackCommand({ StackName: 'busy' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: stackId });
  });

  test('an update and a delete at once: one of them runs, the other is refused', async () => {
    const stackId = await created('contested');
    const mark = (await stackStatuses(stackId)).length;
    const [update, del] = await Promise.allSettled([
      cfn.send(new UpdateStackCommand({ StackName: 'contested', TemplateBody: slowStack(1500, 4) })),
      cfn.send(new DeleteStackCommand({ StackName: 'contested' })),
    ]);
    const statuses = (await stackStatuses(stackId)).slice(0, -mark);
    if (update.status === 'fulfilled') {
      assert.equal(del.status, 'rejected');
      assert.equal((del as PromiseRejectedResult).reason.message, 'Stack [contested] cannot be deleted while in status UPDATE_IN_PROGRESS');
      assert.ok(!statuses.includes('DELETE_IN_PROGRESS'), statuses.join());
      await waitUntilStackUpdateComplete(waiter(), { StackName: 'contested' });
      await cfn.send(new DeleteStackCommand({ StackName: 'contested' }));
    } else {
      assert.equal(del.status, 'fulfilled');
      assert.equal((update.reason as Error).message, `Stack:${stackId} is in DELETE_IN_PROGRESS state and can not be updated.`);
      assert.ok(!statuses.includes('UPDATE_IN_PROGRESS'), statuses.join());
    }
    await waitUntilStackDeleteComplete(waiter(), { StackName: stackId });
  });

  /** The live stacks named `name`: their ids. */
  const liveStacks = async (name: string): Promise<string[]> =>
    (await cfn.send(new ListStacksCommand({}))).StackSummaries!.filter((s) => s.StackName === name && s.StackStatus !== 'DELETE_COMPLETE').map((s) => s.StackId!);

  /** What the calls answered: the fulfilled ones' values, the refused ones' [error name, message]. */
  function outcomes<T>(calls: PromiseSettledResult<T>[]): { done: T[]; refused: string[][] } {
    return {
      done: calls.flatMap((c) => (c.status === 'fulfilled' ? [c.value] : [])),
      refused: calls.flatMap((c) => (c.status === 'rejected' ? [[(c.reason as Error).name, (c.reason as Error).message]] : [])),
    };
  }

  test('two creates of one new stack at once: one stack, the other call is refused as AlreadyExists', async () => {
    const { done, refused } = outcomes(await Promise.allSettled([1, 2].map(() => cfn.send(new CreateStackCommand({ StackName: 'twice', TemplateBody: slowStack(0) })))));
    const live = await liveStacks('twice');
    assert.equal(live.length, 1, `live stacks: ${live.join()}; refused: ${JSON.stringify(refused)}`);
    assert.equal(done.length, 1);
    assert.equal(done[0]!.StackId, live[0]);
    assert.deepEqual(refused, [['AlreadyExistsException', 'Stack [twice] already exists']]);
    await waitUntilStackCreateComplete(waiter(), { StackName: 'twice' });
    await cfn.send(new DeleteStackCommand({ StackName: 'twice' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: live[0] });
  });

  test('two change sets of one name at once: one is made, the other call is refused as AlreadyExists', async () => {
    const stackId = await created('named');
    const { done, refused } = outcomes(await Promise.allSettled([1, 2].map((round) => cfn.send(new CreateChangeSetCommand({ StackName: 'named', ChangeSetName: 'same', TemplateBody: slowStack(0, round) })))));
    const sets = (await cfn.send(new ListChangeSetsCommand({ StackName: stackId }))).Summaries!;
    assert.deepEqual(sets.map((s) => s.ChangeSetName), ['same'], `refused: ${JSON.stringify(refused)}`);
    assert.equal(done.length, 1);
    assert.deepEqual(refused, [['AlreadyExistsException', 'ChangeSet same already exists']]);
    await cfn.send(new DeleteStackCommand({ StackName: 'named' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: stackId });
  });

  test('CREATE change sets for one new stack at once: one stack in review holds them, a repeated name is refused', async () => {
    const { done, refused } = outcomes(await Promise.allSettled(['first', 'second', 'first'].map((name) =>
      cfn.send(new CreateChangeSetCommand({ StackName: 'reviewed', ChangeSetName: name, ChangeSetType: 'CREATE', TemplateBody: slowStack(0) })))));
    const live = await liveStacks('reviewed');
    assert.equal(live.length, 1, `live stacks: ${live.join()}; refused: ${JSON.stringify(refused)}`);
    assert.deepEqual(done.map((d) => d.StackId), [live[0], live[0]]);
    assert.deepEqual(refused, [['AlreadyExistsException', 'ChangeSet first already exists']]);
    const sets = (await cfn.send(new ListChangeSetsCommand({ StackName: live[0] }))).Summaries!;
    assert.deepEqual(sets.map((s) => s.ChangeSetName).sort(), ['first', 'second']);
    await cfn.send(new DeleteStackCommand({ StackName: 'reviewed' }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: live[0] });
  });

  test('once a change set\'s update shows, the change sets show it executed and the others obsolete', async () => {
    const stackId = await created('executed');
    const names = Array.from({ length: 12 }, (_, i) => `round-${i + 1}`);
    for (const [i, name] of names.entries()) await cfn.send(new CreateChangeSetCommand({ StackName: 'executed', ChangeSetName: name, TemplateBody: slowStack(1000, i + 1) }));
    /** Polls (every 5 ms) until the stack shows the update, then answers the change sets' execution statuses. */
    async function seen(): Promise<string[]> {
      const end = Date.now() + 30_000;
      while (Date.now() < end) {
        if ((await describeStack(stackId)).StackStatus === 'UPDATE_IN_PROGRESS') {
          return (await cfn.send(new ListChangeSetsCommand({ StackName: stackId }))).Summaries!.map((s) => `${s.ChangeSetName}:${s.ExecutionStatus}`).sort();
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error('the update never showed');
    }
    const watching = [seen(), seen(), seen()];
    await cfn.send(new ExecuteChangeSetCommand({ StackName: 'executed', ChangeSetName: 'round-1' }));
    const expected = names.map((n) => `${n}:${n === 'round-1' ? 'EXECUTE_COMPLETE' : 'OBSOLETE'}`).sort();
    for (const statuses of await Promise.all(watching)) assert.deepEqual(statuses, expected);
    await waitUntilStackUpdateComplete(waiter(), { StackName: stackId });
    await cfn.send(new DeleteStackCommand({ StackName: stackId }));
    await waitUntilStackDeleteComplete(waiter(), { StackName: stackId });
  });
});
