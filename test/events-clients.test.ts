import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, boto3Skip, runCommand } from './support/cli.js';

// Independent clients: botocore's serializers and signer through the AWS CLI and boto3.
// The script lives with the sources (it is not compiled), two levels up from dist/test.
const BOTO3_SCRIPT = fileURLToPath(new URL('../../test/clients/boto3_events.py', import.meta.url));

describe('EventBridge through the AWS CLI and boto3', () => {
  let server: TestServer;
  let workDir: string;
  const env = () => ({
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: path.join(workDir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, 'no-credentials'),
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
  });

  async function aws(...args: string[]): Promise<Record<string, any>> {
    const r = await runCommand('aws', ['--endpoint-url', server.url, '--output', 'json', 'events', ...args], env());
    assert.equal(r.code, 0, `aws events ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, any>);
  }

  before(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'lambkin-events-cli-'));
    server = await startTestServer();
  });
  after(async () => {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('AWS CLI: schedule and pattern rules, targets, put-events, test-event-pattern, errors', { skip: awsCliSkip }, async () => {
    const rule = await aws('put-rule', '--name', 'hourly-report', '--schedule-expression', 'cron(0 * * * ? *)', '--description', 'counts');
    assert.equal(rule.RuleArn, 'arn:aws:events:us-east-1:000000000000:rule/hourly-report');
    // The CLI starts slowly (seconds per call on a loaded machine): a few calls cover its serializers.
    await aws('put-targets', '--rule', 'hourly-report', '--targets', 'Id=1,Arn=arn:aws:lambda:us-east-1:000000000000:function:report');
    const listed = await aws('list-rules');
    assert.deepEqual(listed.Rules, [{ Name: 'hourly-report', Arn: rule.RuleArn, ScheduleExpression: 'cron(0 * * * ? *)', State: 'ENABLED', Description: 'counts', EventBusName: 'default' }]);
    const put = await aws('put-events', '--entries', JSON.stringify([{ Source: 'aws.s3', DetailType: 'Object Created', Detail: JSON.stringify({ object: { key: 'a.png' } }) }]));
    assert.equal(put.FailedEntryCount, 0);
    const tested = await aws('test-event-pattern', '--event-pattern', '{"source":["aws.s3"]}', '--event', JSON.stringify({ id: '1', source: 'aws.s3', 'detail-type': 'x', account: '000000000000', region: 'us-east-1', time: '2026-01-01T00:00:00Z', resources: [], detail: {} }));
    assert.equal(tested.Result, true);
    const bad = await runCommand('aws', ['--endpoint-url', server.url, 'events', 'put-rule', '--name', 'bad', '--schedule-expression', 'rate(1 hours)'], env());
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /ValidationException.*Parameter ScheduleExpression is not valid\./);
  });

  test('boto3: buses, rules with paginators, targets, put_events, test_event_pattern, errors', { skip: boto3Skip }, async () => {
    const r = await runCommand('python3', [BOTO3_SCRIPT, server.url], { AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'OK');
  });
});
