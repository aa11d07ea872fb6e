import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip } from './support/cli.js';

// The whole example, as a user runs it: deploy.sh drives the AWS CLI, producer.mjs puts clicks
// (one of them poison); the window's totals must land in DynamoDB and the poison record's
// description on the failure queue. The window is 3 s instead of the example's 60 s (deploy.sh
// reads WINDOW_SECONDS), so the test does not wait a minute.
const exampleDir = path.resolve('examples/clickstream');
const WINDOW_SECONDS = 3;

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number; output: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...process.env, ...env }, timeout: 300_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}${stderr}`, stdout });
    });
  });
}

describe('clickstream example end to end', { skip: awsCliSkip }, () => {
  let server: TestServer;
  let dynamodb: DynamoDBClient;
  let sqs: SQSClient;
  let env: Record<string, string>;

  before(async () => {
    server = await startTestServer();
    env = {
      LAMBKIN_URL: server.url,
      WINDOW_SECONDS: String(WINDOW_SECONDS),
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const deployed = await run(path.join(exampleDir, 'deploy.sh'), [], env);
    assert.equal(deployed.code, 0, `deploy.sh failed:\n${deployed.output}`);
    const clientConfig = { endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    dynamodb = new DynamoDBClient(clientConfig);
    sqs = new SQSClient(clientConfig);
  });

  after(async () => {
    dynamodb?.destroy();
    sqs?.destroy();
    await server?.stop();
  });

  test('clicks are totalled per page per window in DynamoDB; the poison record alone goes to the failure queue', async () => {
    const produced = await run(process.execPath, [path.join(exampleDir, 'producer.mjs'), '--count', '200', '--poison'], env);
    assert.equal(produced.code, 0, `producer.mjs failed:\n${produced.output}`);
    const { perPage, poisonSequenceNumber } = JSON.parse(produced.stdout) as { perPage: Record<string, number>; poisonSequenceNumber: string };

    // Each page's totals, summed over the windows its clicks fell in.
    const totals = async (): Promise<Record<string, number>> => {
      const { Items } = await dynamodb.send(new ScanCommand({ TableName: 'page-totals' }));
      const out: Record<string, number> = {};
      for (const item of Items ?? []) out[item.page!.S!] = (out[item.page!.S!] ?? 0) + Number(item.clicks!.N);
      return out;
    };
    const deadline = Date.now() + 60_000;
    let seen = await totals();
    while (!isDeepStrictEqual(seen, perPage)) {
      if (Date.now() > deadline) assert.deepEqual(seen, perPage, 'the window totals never added up to what was put');
      await new Promise((r) => setTimeout(r, 250));
      seen = await totals();
    }
    const { Items } = await dynamodb.send(new ScanCommand({ TableName: 'page-totals' }));
    for (const item of Items ?? []) assert.equal(Date.parse(item.windowEnd!.S!) - Date.parse(item.windowStart!.S!), WINDOW_SECONDS * 1000);

    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'click-failures' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, MaxNumberOfMessages: 10 }));
    assert.equal(Messages?.length, 1, 'exactly one failure record');
    const record = JSON.parse(Messages![0]!.Body!) as { requestContext: { condition: string }; KinesisBatchInfo: Record<string, unknown> };
    assert.equal(record.requestContext.condition, 'RetryAttemptsExhausted');
    // Bisection isolated the poison record: the failure names it alone.
    assert.equal(record.KinesisBatchInfo.batchSize, 1);
    assert.equal(record.KinesisBatchInfo.startSequenceNumber, poisonSequenceNumber);
    assert.equal(record.KinesisBatchInfo.endSequenceNumber, poisonSequenceNumber);
  });
});
