import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { ShiftableClock } from '../src/clock.js';
import { cloudFormationClient } from './support/cloudformation.js';
import { startTestServer, type TestServer } from './support/server.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SLS = path.join(REPO, 'node_modules', 'serverless', 'bin', 'serverless.js');
const PLUGIN = path.join(REPO, 'docs', 'serverless', 'lambkin-endpoint.js');
const slsMissing = !existsSync(SLS);

// A user's service: an HTTP API function and a scheduled one. nodejs22.x is newer than v3's schema
// knows (a configuration warning, not an error).
const SERVICE = `
service: slsapp
frameworkVersion: '3'
provider:
  name: aws
  runtime: nodejs22.x
  region: us-east-1
plugins:
  - ./lambkin-endpoint
functions:
  hello:
    handler: handler.hello
    events:
      - httpApi:
          path: /hello
          method: get
  tick:
    handler: handler.tick
    events:
      - schedule: rate(1 minute)
`;

const HANDLER = `
exports.hello = async (event) => ({ statusCode: 200, body: JSON.stringify({ message: 'hello from sls', path: event.rawPath }) });
exports.tick = async (event) => { console.log('tick ' + event['detail-type']); return 'ticked'; };
`;

describe('the Serverless Framework v3 against Lambkin', { skip: slsMissing ? 'serverless@3 (a devDependency) is not installed: run npm ci' : false }, () => {
  let server: TestServer;
  let cfn: CloudFormationClient;
  let workDir: string;
  let serviceDir: string;
  // Schedules run on this clock, so the test moves a minute on without waiting one.
  const clock = new ShiftableClock();

  before(async () => {
    server = await startTestServer({}, { eventsClock: clock });
    cfn = cloudFormationClient(server.url);
    workDir = mkdtempSync(path.join(tmpdir(), 'lambkin-sls-'));
    serviceDir = path.join(workDir, 'service');
    mkdirSync(serviceDir);
    mkdirSync(path.join(workDir, 'home'));
    writeFileSync(path.join(serviceDir, 'serverless.yml'), SERVICE);
    writeFileSync(path.join(serviceDir, 'handler.js'), HANDLER);
    copyFileSync(PLUGIN, path.join(serviceDir, 'lambkin-endpoint.js'));
  });
  after(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  function sls(...args: string[]): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [SLS, ...args], {
        cwd: serviceDir,
        env: {
          PATH: process.env.PATH, HOME: path.join(workDir, 'home'),
          AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: server.url,
          AWS_CONFIG_FILE: path.join(workDir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, 'no-credentials'), AWS_EC2_METADATA_DISABLED: 'true',
          // No network beyond Lambkin; stack events polled every 0.5 s instead of 5 s (both documented settings of v3).
          SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', SLS_AWS_MONITORING_FREQUENCY: '500',
        },
        maxBuffer: 16 * 1024 * 1024,
      }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: stdout + stderr }));
    });
  }

  test('sls deploy of an HTTP API and a schedule, the API answered, a redeploy with new code, the schedule fired, sls remove', async () => {
    const deployed = await sls('deploy');
    assert.equal(deployed.code, 0, deployed.output);
    assert.match(deployed.output, /Service deployed to stack slsapp-dev/);
    assert.match(deployed.output, /hello: slsapp-dev-hello/);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'slsapp-dev' }))).Stacks![0]!;
    assert.equal(stack.StackStatus, 'UPDATE_COMPLETE');
    const apiId = stack.Outputs?.find((o) => o.OutputKey === 'HttpApiId')?.OutputValue;
    assert.ok(apiId, 'no HttpApiId output');

    const answer = await fetch(`${server.url}/_lambkin/apis/${apiId}/hello`);
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { message: 'hello from sls', path: '/hello' });

    // A second deploy with changed code: a new artifact in the deployment bucket, a new version.
    writeFileSync(path.join(serviceDir, 'handler.js'), HANDLER.replace('hello from sls', 'hello again'));
    const redeployed = await sls('deploy');
    assert.equal(redeployed.code, 0, redeployed.output);
    const again = await fetch(`${server.url}/_lambkin/apis/${apiId}/hello`);
    assert.deepEqual(await again.json(), { message: 'hello again', path: '/hello' });

    clock.advance(65_000);
    const logs = new CloudWatchLogsClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const end = Date.now() + 30_000;
    let ticked = false;
    while (!ticked && Date.now() < end) {
      const found = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/slsapp-dev-tick', filterPattern: '"tick Scheduled Event"' })).catch(() => ({ events: [] }));
      ticked = (found.events ?? []).length > 0;
      if (!ticked) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(ticked, 'the scheduled function did not run');

    const removed = await sls('remove');
    assert.equal(removed.code, 0, removed.output);
    assert.match(removed.output, /Service slsapp has been successfully removed/);
    await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: 'slsapp-dev' })), /Stack with id slsapp-dev does not exist/);
    await assert.rejects(server.lambda().send(new GetFunctionCommand({ FunctionName: 'slsapp-dev-hello' })), (err: Error) => err.name === 'ResourceNotFoundException');
  });
});
