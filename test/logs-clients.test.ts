import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, boto3Skip, runCommand } from './support/cli.js';

// The script lives with the sources (it is not compiled), two levels up from dist/test.
const BOTO3_SCRIPT = fileURLToPath(new URL('../../test/clients/boto3_logs.py', import.meta.url));
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' };

const run = (command: string, args: string[]) => runCommand(command, args, env);

describe('the AWS CLI drives CloudWatch Logs', { skip: awsCliSkip }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const out = await run('aws', ['--endpoint-url', server.url, '--output', 'json', 'logs', ...args]);
    assert.equal(out.code, 0, out.stderr);
    return out.stdout.trim() ? (JSON.parse(out.stdout) as Record<string, unknown>) : {};
  };

  test('create-log-group, put-log-events, filter-log-events with a JSON pattern, get-log-events, describe-log-groups', async () => {
    await aws('create-log-group', '--log-group-name', '/cli/app');
    await aws('create-log-stream', '--log-group-name', '/cli/app', '--log-stream-name', 'main');
    const now = Date.now();
    const events = JSON.stringify([
      { timestamp: now, message: '{"level":"ERROR","ms":250}' },
      { timestamp: now + 1, message: '{"level":"INFO","ms":3}' },
      { timestamp: now + 2, message: 'plain ERROR line' },
    ]);
    await aws('put-log-events', '--log-group-name', '/cli/app', '--log-stream-name', 'main', '--log-events', events);
    const json = await aws('filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', '{ $.level = "ERROR" && $.ms > 100 }');
    assert.deepEqual((json.events as Array<{ message: string }>).map((e) => e.message), ['{"level":"ERROR","ms":250}']);
    const terms = await aws('filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', 'ERROR -level');
    assert.deepEqual((terms.events as Array<{ message: string }>).map((e) => e.message), ['plain ERROR line']);
    const got = await aws('get-log-events', '--log-group-name', '/cli/app', '--log-stream-name', 'main', '--start-from-head');
    assert.equal((got.events as unknown[]).length, 3);
    const groups = await aws('describe-log-groups', '--log-group-name-prefix', '/cli/');
    assert.deepEqual((groups.logGroups as Array<{ logGroupName: string }>).map((g) => g.logGroupName), ['/cli/app']);
    await aws('put-retention-policy', '--log-group-name', '/cli/app', '--retention-in-days', '14');
    const after = await aws('describe-log-groups', '--log-group-name-prefix', '/cli/');
    assert.equal((after.logGroups as Array<{ retentionInDays: number }>)[0]!.retentionInDays, 14);
    const missing = await run('aws', ['--endpoint-url', server.url, 'logs', 'describe-log-streams', '--log-group-name', '/cli/none']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /ResourceNotFoundException.*The specified log group does not exist\./);
  });
});

describe('boto3 drives CloudWatch Logs', { skip: boto3Skip }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('groups, streams, events, paginators, errors, retention, tags, an Insights query', async () => {
    const result = await run('python3', [BOTO3_SCRIPT, server.url]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'OK');
  });
});
