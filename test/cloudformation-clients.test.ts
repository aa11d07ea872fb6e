import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CreateChangeSetCommand, DeleteChangeSetCommand, DescribeChangeSetCommand, DescribeStacksCommand, ExecuteChangeSetCommand, ListChangeSetsCommand,
  waitUntilChangeSetCreateComplete, waitUntilStackCreateComplete, waitUntilStackUpdateComplete, type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { cloudFormationClient } from './support/cloudformation.js';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, boto3Skip } from './support/cli.js';


const APP = `
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String
    Default: dev
Mappings:
  Settings:
    dev: { Batch: 5 }
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: !Sub '\${AWS::StackName}-worker'
      Runtime: nodejs22.x
      Handler: index.handler
      Role: !Sub 'arn:aws:iam::\${AWS::AccountId}:role/worker'
      Code:
        ZipFile: "exports.handler = async () => 'worked';"
  Trigger:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !GetAtt Worker.Arn
      EventSourceArn: !GetAtt Jobs.Arn
      BatchSize: !FindInMap [Settings, !Ref Env, Batch]
Outputs:
  Queue:
    Value: !Ref Jobs
`;

describe('CloudFormation from the AWS CLI, boto3 and change sets', () => {
  let server: TestServer;
  let cfn: CloudFormationClient;
  let workDir: string;

  before(async () => {
    server = await startTestServer();
    cfn = cloudFormationClient(server.url);
    workDir = mkdtempSync(path.join(tmpdir(), 'lambkin-cfn-'));
  });
  after(async () => {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(cmd, args, {
        env: {
          ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_ENDPOINT_URL: server.url,
          AWS_CONFIG_FILE: path.join(workDir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, 'no-credentials'), AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true',
        },
      }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
    });
  }

  test('aws cloudformation deploy, describe-stack-events, delete-stack and wait', { skip: awsCliSkip }, async () => {
    const file = path.join(workDir, 'app.yaml');
    writeFileSync(file, APP);
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', server.url, '--output', 'json', 'cloudformation', ...args]);
    const started = Date.now();
    const deployed = await aws('deploy', '--template-file', file, '--stack-name', 'cli-app');
    assert.equal(deployed.code, 0, deployed.stderr);
    assert.match(deployed.stdout, /Successfully created\/updated stack - cli-app/);
    // The CLI polls every 30 s; Lambkin answers ExecuteChangeSet once the stack is done.
    assert.ok(Date.now() - started < 20_000, `deploy took ${Date.now() - started} ms`);
    const invoked = await server.lambda().send(new InvokeCommand({ FunctionName: 'cli-app-worker' }));
    assert.equal(Buffer.from(invoked.Payload!).toString(), '"worked"');

    const again = await aws('deploy', '--template-file', file, '--stack-name', 'cli-app');
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /No changes to deploy. Stack cli-app is up to date/);

    const events = await aws('describe-stack-events', '--stack-name', 'cli-app');
    assert.equal(events.code, 0, events.stderr);
    const list = (JSON.parse(events.stdout) as { StackEvents: { LogicalResourceId: string; ResourceStatus: string }[] }).StackEvents;
    assert.deepEqual(list[0], { ...list[0], LogicalResourceId: 'cli-app', ResourceStatus: 'CREATE_COMPLETE' });
    assert.ok(list.some((e) => e.LogicalResourceId === 'cli-app' && e.ResourceStatus === 'REVIEW_IN_PROGRESS'));

    assert.equal((await aws('delete-stack', '--stack-name', 'cli-app')).code, 0);
    const waited = await aws('wait', 'stack-delete-complete', '--stack-name', 'cli-app');
    assert.equal(waited.code, 0, waited.stderr);
    await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: 'cli-app' })), /Stack with id cli-app does not exist/);
  });

  test('change sets: CREATE for a new stack, UPDATE with the resource changes, Execute, List, Delete', async () => {
    const created = await cfn.send(new CreateChangeSetCommand({ StackName: 'cs-app', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: APP }));
    assert.match(created.Id ?? '', /^arn:aws:cloudformation:us-east-1:000000000000:changeSet\/first\//);
    await waitUntilChangeSetCreateComplete({ client: cfn, maxWaitTime: 30, minDelay: 1 }, { StackName: 'cs-app', ChangeSetName: 'first' });
    const review = await cfn.send(new DescribeStacksCommand({ StackName: 'cs-app' }));
    assert.equal(review.Stacks![0]!.StackStatus, 'REVIEW_IN_PROGRESS');
    const described = await cfn.send(new DescribeChangeSetCommand({ StackName: 'cs-app', ChangeSetName: 'first' }));
    assert.equal(described.Status, 'CREATE_COMPLETE');
    assert.equal(described.ExecutionStatus, 'AVAILABLE');
    assert.deepEqual(described.Changes?.map((c) => [c.ResourceChange?.Action, c.ResourceChange?.LogicalResourceId]).sort(), [['Add', 'Jobs'], ['Add', 'Trigger'], ['Add', 'Worker']]);
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: created.Id }));
    await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 60, minDelay: 1 }, { StackName: 'cs-app' });

    const renamed = APP.replace("FunctionName: !Sub '${AWS::StackName}-worker'", "FunctionName: !Sub '${AWS::StackName}-worker2'").replace('Default: dev', 'Default: dev\n    Description: environment');
    await cfn.send(new CreateChangeSetCommand({ StackName: 'cs-app', ChangeSetName: 'second', TemplateBody: renamed, Description: 'rename' }));
    const update = await cfn.send(new DescribeChangeSetCommand({ StackName: 'cs-app', ChangeSetName: 'second' }));
    assert.deepEqual(update.Changes?.map((c) => c.ResourceChange), [
      { Action: 'Modify', LogicalResourceId: 'Worker', PhysicalResourceId: 'cs-app-worker', ResourceType: 'AWS::Lambda::Function', Replacement: 'True', Scope: ['Properties'],
        Details: [{ Target: { Attribute: 'Properties', Name: 'FunctionName', RequiresRecreation: 'Always' }, Evaluation: 'Static', ChangeSource: 'DirectModification' }] },
    ]);
    const listed = await cfn.send(new ListChangeSetsCommand({ StackName: 'cs-app' }));
    assert.deepEqual(listed.Summaries?.map((s) => [s.ChangeSetName, s.ExecutionStatus]), [['first', 'EXECUTE_COMPLETE'], ['second', 'AVAILABLE']]);
    await cfn.send(new ExecuteChangeSetCommand({ StackName: 'cs-app', ChangeSetName: 'second' }));
    await waitUntilStackUpdateComplete({ client: cfn, maxWaitTime: 60, minDelay: 1 }, { StackName: 'cs-app' });
    const invoked = await server.lambda().send(new InvokeCommand({ FunctionName: 'cs-app-worker2' }));
    assert.equal(Buffer.from(invoked.Payload!).toString(), '"worked"');
    await assert.rejects(server.lambda().send(new InvokeCommand({ FunctionName: 'cs-app-worker' })), /ResourceNotFound|not found/i);

    const empty = await cfn.send(new CreateChangeSetCommand({ StackName: 'cs-app', ChangeSetName: 'third', UsePreviousTemplate: true }));
    const failed = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: empty.Id }));
    assert.equal(failed.Status, 'FAILED');
    assert.equal(failed.StatusReason, "The submitted information didn't contain changes. Submit different information to create a change set.");
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: empty.Id }));
    await assert.rejects(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'third', StackName: 'cs-app' })), (err: Error) => {
      assert.equal(err.name, 'ChangeSetNotFoundException');
      assert.equal(err.message, 'ChangeSet [third] does not exist');
      return true;
    });
  });

  test('boto3 creates a stack, waits with its waiter and reads the outputs', { skip: boto3Skip }, async () => {
    const script = `
import boto3, json, sys
cfn = boto3.client('cloudformation', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
cfn.create_stack(StackName='py-app', TemplateBody=sys.argv[2])
cfn.get_waiter('stack_create_complete').wait(StackName='py-app', WaiterConfig={'Delay': 1, 'MaxAttempts': 60})
stack = cfn.describe_stacks(StackName='py-app')['Stacks'][0]
resources = cfn.describe_stack_resources(StackName='py-app')['StackResources']
try:
    cfn.describe_stack_resource(StackName='py-app', LogicalResourceId='Nope')
except cfn.exceptions.ClientError as e:
    err = e.response['Error']
print(json.dumps({'status': stack['StackStatus'], 'outputs': stack['Outputs'], 'resources': sorted(r['LogicalResourceId'] for r in resources), 'error': err['Code']}))
`;
    const r = await run('python3', ['-c', script, server.url, APP]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { status: string; outputs: { OutputKey: string; OutputValue: string }[]; resources: string[]; error: string };
    assert.equal(out.status, 'CREATE_COMPLETE');
    assert.equal(out.outputs[0]!.OutputKey, 'Queue');
    assert.deepEqual(out.resources, ['Jobs', 'Trigger', 'Worker']);
    assert.equal(out.error, 'ValidationError');
  });
});
