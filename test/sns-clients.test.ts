import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, boto3Skip } from './support/cli.js';

// Independent clients: botocore's query serializer and XML parser, through boto3 and the AWS CLI.
const SCRIPT = fileURLToPath(new URL('../../test/clients/boto3_sns.py', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('SNS with boto3 and the AWS CLI', () => {
  let server: TestServer;
  let workDir: string;
  before(async () => {
    server = await startTestServer();
    workDir = mkdtempSync(path.join(tmpdir(), 'lambkin-sns-cli-'));
  });
  after(async () => {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('boto3: every operation, paginators and errors', { skip: boto3Skip }, async () => {
    const r = await run('python3', [SCRIPT, server.url], { AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'OK');
  });

  test('aws sns: create, subscribe, publish, list, attributes, errors, delete', { skip: awsCliSkip }, async () => {
    const env = {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: path.join(workDir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, 'no-credentials'),
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
    };
    const aws = async (...args: string[]) => {
      const r = await run('aws', ['--endpoint-url', server.url, '--output', 'json', 'sns', ...args], env);
      assert.equal(r.code, 0, `aws sns ${args.join(' ')}: ${r.stderr}`);
      return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, any>);
    };
    const { TopicArn } = await aws('create-topic', '--name', 'cli-topic', '--attributes', 'DisplayName=Cli');
    assert.equal(TopicArn, 'arn:aws:sns:us-east-1:000000000000:cli-topic');
    const sub = await aws('subscribe', '--topic-arn', TopicArn, '--protocol', 'sqs', '--notification-endpoint', 'arn:aws:sqs:us-east-1:000000000000:cli-q', '--return-subscription-arn');
    assert.match(sub.SubscriptionArn, /^arn:aws:sns:us-east-1:000000000000:cli-topic:/);
    const pub = await aws('publish', '--topic-arn', TopicArn, '--message', 'from the cli', '--message-attributes', '{"k":{"DataType":"String","StringValue":"v"}}');
    assert.match(pub.MessageId, /^[0-9a-f-]{36}$/);
    const subs = await aws('list-subscriptions-by-topic', '--topic-arn', TopicArn);
    assert.equal(subs.Subscriptions.length, 1);
    const ta = await aws('get-topic-attributes', '--topic-arn', TopicArn);
    assert.equal(ta.Attributes.DisplayName, 'Cli');
    assert.equal(ta.Attributes.SubscriptionsConfirmed, '1');

    const missing = await run('aws', ['--endpoint-url', server.url, 'sns', 'get-topic-attributes', '--topic-arn', `${TopicArn}-nope`], env);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /An error occurred \(NotFound\) when calling the GetTopicAttributes operation: Topic does not exist/);
    await aws('delete-topic', '--topic-arn', TopicArn);
  });
});
