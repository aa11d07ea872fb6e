import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { cloudFormationClient } from './support/cloudformation.js';
import { startTestServer, type TestServer } from './support/server.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NODE_MODULES = path.join(REPO, 'node_modules');
const CDK_CLI = path.join(NODE_MODULES, 'aws-cdk', 'bin', 'cdk');
const cdkMissing = !existsSync(CDK_CLI) || !existsSync(path.join(NODE_MODULES, 'aws-cdk-lib'));

// A user's CDK app: a queue, a function from an asset folder, and the mapping between them.
const APP = `
const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const sqs = require('aws-cdk-lib/aws-sqs');
const { SqsEventSource } = require('aws-cdk-lib/aws-lambda-event-sources');
const app = new cdk.App();
const stack = new cdk.Stack(app, 'CdkQueueApp');
const queue = new sqs.Queue(stack, 'Jobs', { visibilityTimeout: cdk.Duration.seconds(30) });
const fn = new lambda.Function(stack, 'Worker', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromAsset(__dirname + '/handler'),
});
fn.addEventSource(new SqsEventSource(queue, { batchSize: 5 }));
// A nested stack (AWS::CloudFormation::Stack, its template published as an asset) with a queue.
class Archive extends cdk.NestedStack {
  constructor(scope, id) { super(scope, id); this.queue = new sqs.Queue(this, 'Archived'); }
}
const archive = new Archive(stack, 'Archive');
new cdk.CfnOutput(stack, 'ArchiveQueueUrl', { value: archive.queue.queueUrl });
new cdk.CfnOutput(stack, 'FunctionName', { value: fn.functionName });
new cdk.CfnOutput(stack, 'QueueUrl', { value: queue.queueUrl });
`;

const HANDLER = `
exports.handler = async (event) => {
  for (const record of event.Records ?? []) console.log('processed ' + record.body);
  return { records: (event.Records ?? []).length };
};
`;

describe('the AWS CDK against Lambkin', { skip: cdkMissing ? 'aws-cdk and aws-cdk-lib (devDependencies) are not installed: run npm ci' : false }, () => {
  let server: TestServer;
  let cfn: CloudFormationClient;
  let workDir: string;

  before(async () => {
    server = await startTestServer();
    cfn = cloudFormationClient(server.url);
    workDir = mkdtempSync(path.join(tmpdir(), 'lambkin-cdk-'));
    mkdirSync(path.join(workDir, 'handler'));
    writeFileSync(path.join(workDir, 'app.js'), APP);
    writeFileSync(path.join(workDir, 'handler', 'index.js'), HANDLER);
    writeFileSync(path.join(workDir, 'cdk.json'), JSON.stringify({ app: 'node app.js' }));
  });
  after(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const sqsClient = () => new SQSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

  /** The cdk CLI as a user runs it: only AWS_ENDPOINT_URL and keys point it at Lambkin. */
  function cdk(...args: string[]): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CDK_CLI, ...args, '--no-notices', '--no-color'], {
        cwd: workDir,
        env: {
          PATH: process.env.PATH, HOME: workDir, NODE_PATH: NODE_MODULES,
          AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: server.url,
          AWS_CONFIG_FILE: path.join(workDir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, 'no-credentials'), AWS_EC2_METADATA_DISABLED: 'true',
          // No network beyond Lambkin: no version check, no usage telemetry.
          CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true',
        },
        maxBuffer: 16 * 1024 * 1024,
      }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: stdout + stderr }));
    });
  }

  test('cdk bootstrap, cdk deploy of a function with an SQS event source and a nested stack, the message processed, cdk destroy', async () => {
    const bootstrap = await cdk('bootstrap', 'aws://000000000000/us-east-1');
    assert.equal(bootstrap.code, 0, bootstrap.output);
    assert.match(bootstrap.output, /Environment aws:\/\/000000000000\/us-east-1 bootstrapped/);
    const toolkit = (await cfn.send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }))).Stacks![0]!;
    assert.equal(toolkit.StackStatus, 'CREATE_COMPLETE');
    const ssm = new SSMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const version = await ssm.send(new GetParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version' }));
    assert.match(version.Parameter?.Value ?? '', /^\d+$/);

    // Synthesize once; deploy and destroy read the cloud assembly instead of running the app again.
    const synth = await cdk('synth', '--quiet');
    assert.equal(synth.code, 0, synth.output);
    const outputsFile = path.join(workDir, 'outputs.json');
    const deploy = await cdk('deploy', '--app', 'cdk.out', '--require-approval', 'never', '--outputs-file', outputsFile);
    assert.equal(deploy.code, 0, deploy.output);
    const outputs = (JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Record<string, string>>).CdkQueueApp!;
    const functionName = outputs.FunctionName!;
    assert.match(functionName, /^CdkQueueApp-Worker[0-9A-F]{8}-[A-Z0-9]+$/);

    const archived = await sqsClient().send(new GetQueueAttributesCommand({ QueueUrl: outputs.ArchiveQueueUrl!, AttributeNames: ['QueueArn'] }));
    assert.match(archived.Attributes?.QueueArn ?? '', /^arn:aws:sqs:us-east-1:000000000000:CdkQueueApp-ArchiveNestedStack/);

    const invoked = await server.lambda().send(new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify({ Records: [{ body: 'direct' }] }) }));
    assert.equal(Buffer.from(invoked.Payload!).toString(), '{"records":1}');

    await sqsClient().send(new SendMessageCommand({ QueueUrl: outputs.QueueUrl!, MessageBody: 'hello from sqs' }));
    const logs = new CloudWatchLogsClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const end = Date.now() + 30_000;
    let seen = false;
    while (!seen && Date.now() < end) {
      const found = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}`, filterPattern: '"processed hello from sqs"' })).catch(() => ({ events: [] }));
      seen = (found.events ?? []).length > 0;
      if (!seen) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(seen, 'the function did not log the SQS message');

    const destroy = await cdk('destroy', '--app', 'cdk.out', '--force');
    assert.equal(destroy.code, 0, destroy.output);
    assert.match(destroy.output, /CdkQueueApp: destroyed/);
    await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: 'CdkQueueApp' })), /Stack with id CdkQueueApp does not exist/);
    await assert.rejects(server.lambda().send(new GetFunctionCommand({ FunctionName: functionName })), (err: Error) => err.name === 'ResourceNotFoundException');
    await assert.rejects(sqsClient().send(new GetQueueAttributesCommand({ QueueUrl: outputs.ArchiveQueueUrl! })), (err: Error) => err.name === 'QueueDoesNotExist');
  });
});
