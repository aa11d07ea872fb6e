import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, boto3Skip, runCommand } from './support/cli.js';

// The script lives with the sources (it is not compiled), two levels up from dist/test.
const BOTO3_SCRIPT = fileURLToPath(new URL('../../test/clients/boto3_kinesis.py', import.meta.url));
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' };

const run = (command: string, args: string[]) => runCommand(command, args, env);

describe('the AWS CLI drives Kinesis', { skip: awsCliSkip }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const out = await run('aws', ['--endpoint-url', server.url, '--output', 'json', 'kinesis', ...args]);
    assert.equal(out.code, 0, out.stderr);
    return out.stdout.trim() ? (JSON.parse(out.stdout) as Record<string, unknown>) : {};
  };

  test('create-stream, put-record, get-shard-iterator, get-records', async () => {
    await aws('create-stream', '--stream-name', 'cli', '--shard-count', '1');
    // CREATING lasts 20 ms here; waiting first spares the waiter's 10-second poll.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await aws('wait', 'stream-exists', '--stream-name', 'cli');
    // CLI v1 sends --data as given; v2 reads it as base64 unless told the input is raw.
    const v2 = (await run('aws', ['--version'])).stdout.startsWith('aws-cli/2');
    const put = await aws('put-record', '--stream-name', 'cli', '--partition-key', 'pk', '--data', 'hello from the cli', ...(v2 ? ['--cli-binary-format', 'raw-in-base64-out'] : []));
    assert.equal(put.ShardId, 'shardId-000000000000');
    const it = await aws('get-shard-iterator', '--stream-name', 'cli', '--shard-id', 'shardId-000000000000', '--shard-iterator-type', 'TRIM_HORIZON');
    const got = await aws('get-records', '--shard-iterator', String(it.ShardIterator));
    const records = got.Records as Array<{ Data: string; SequenceNumber: string }>;
    assert.equal(records.length, 1);
    assert.equal(Buffer.from(records[0]!.Data, 'base64').toString(), 'hello from the cli');
    assert.equal(records[0]!.SequenceNumber, put.SequenceNumber);
  });
});

describe('boto3 drives Kinesis', { skip: boto3Skip }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('create, waiters, put_records, paginators, get_records, tags, delete', async () => {
    const result = await run('python3', [BOTO3_SCRIPT, server.url]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'OK');
  });
});
