import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { DeleteItemCommand, DescribeTableCommand, GetItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { dynamodbClient, streamsClient } from './support/dynamodb-streams.js';
import { ShiftableClock } from '../src/clock.js';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip } from './support/cli.js';

// The whole example, as a user runs it: deploy.sh drives the AWS CLI (and npm for sharp), then an
// upload to the photos bucket must produce a 200-px-wide thumbnail, a metadata message, a row in
// the photos table and, through that table's stream, its owner's counts.
const exampleDir = path.resolve('examples/thumbnail');

type Sharp = (input?: Buffer | object) => {
  png(): { toBuffer(): Promise<Buffer> };
  jpeg(): { toBuffer(): Promise<Buffer> };
  metadata(): Promise<{ width?: number; height?: number; format?: string }>;
};

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...process.env, ...env }, timeout: 300_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('thumbnail example end to end', { skip: awsCliSkip }, () => {
  let server: TestServer;
  let s3: S3Client;
  let sqs: SQSClient;
  let ddb: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  let sharp: Sharp;
  // Schedules only: moved to the next top of the hour so the hourly rule fires without waiting.
  const eventsClock = new ShiftableClock();

  before(async () => {
    server = await startTestServer({}, { eventsClock });
    const deployed = await run(path.join(exampleDir, 'deploy.sh'), [], {
      LAMBKIN_URL: server.url,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    assert.equal(deployed.code, 0, `deploy.sh failed:\n${deployed.output}`);
    sharp = createRequire(path.join(exampleDir, 'thumbnail', 'index.mjs'))('sharp') as Sharp;
    const clientConfig = { endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
    sqs = new SQSClient(clientConfig);
    ddb = dynamodbClient(server.url);
    streams = streamsClient(server.url);
  });

  after(async () => {
    s3?.destroy();
    sqs?.destroy();
    ddb?.destroy();
    streams?.destroy();
    await server?.stop();
  });

  const photoRow = async (key: string): Promise<Record<string, AttributeValue> | undefined> =>
    (await ddb.send(new GetItemCommand({ TableName: 'photos', Key: { key: { S: key } }, ConsistentRead: true }))).Item;
  /** An owner's counts once they show `photos` photos. */
  const countsOf = async (owner: string, photos: number): Promise<{ photos: number; bytes: number } | undefined> => {
    const item = (await ddb.send(new GetItemCommand({ TableName: 'photo-owners', Key: { owner: { S: owner } }, ConsistentRead: true }))).Item;
    const counts = item && { photos: Number(item.photos!.N), bytes: Number(item.bytes!.N) };
    return counts?.photos === photos ? counts : undefined;
  };
  const png = (width: number, height: number, background: string) => sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();

  test('an uploaded photo gets a 200-px thumbnail and its metadata on the queue', async () => {
    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#4a7' } }).jpeg().toBuffer();
    await s3.send(new PutObjectCommand({ Bucket: 'photos', Key: 'holiday/beach day.jpg', Body: photo, ContentType: 'image/jpeg', Metadata: { owner: 'alice' } }));

    const thumbnail = await until('the thumbnail', async () => {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: 'photos-thumbnails', Key: 'holiday/beach day.jpg' }));
        return Buffer.from(await object.Body!.transformToByteArray());
      } catch {
        return undefined;
      }
    });
    const size = await sharp(thumbnail).metadata();
    assert.equal(size.width, 200);
    assert.equal(size.height, 150);

    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'photo-metadata' }));
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, MaxNumberOfMessages: 10 }));
    const messages = received.Messages ?? [];
    assert.equal(messages.length, 1);
    assert.deepEqual(JSON.parse(messages[0]!.Body!), { key: 'holiday/beach day.jpg', size: photo.length, format: 'jpeg', width: 1200, height: 900 });
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: messages[0]!.ReceiptHandle }));

    const row = await until('the photo row', () => photoRow('holiday/beach day.jpg'));
    assert.deepEqual(
      { ...row, uploadedAt: undefined },
      {
        key: { S: 'holiday/beach day.jpg' }, owner: { S: 'alice' }, size: { N: String(photo.length) }, format: { S: 'jpeg' },
        width: { N: '1200' }, height: { N: '900' }, thumbnailKey: { S: 'holiday/beach day.jpg' }, thumbnailBucket: { S: 'photos-thumbnails' }, uploadedAt: undefined,
      },
    );
    assert.match(row.uploadedAt!.S!, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(await until('alice\'s counts', () => countsOf('alice', 1)), { photos: 1, bytes: photo.length });
  });

  test('the hourly report is an EventBridge cron() rule targeting photo-report, and counts photos and thumbnails', async () => {
    // Firing on the hour is covered by the schedule tests on a shifted clock; here the wiring is checked.
    const events = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const rule = await events.send(new DescribeRuleCommand({ Name: 'hourly-photo-report' }));
    assert.equal(rule.ScheduleExpression, 'cron(0 * * * ? *)');
    assert.equal(rule.State, 'ENABLED');
    const targets = await events.send(new ListTargetsByRuleCommand({ Rule: 'hourly-photo-report' }));
    assert.match(targets.Targets?.[0]?.Arn ?? '', /:function:photo-report$/);
    events.destroy();
    const response = await server.lambda().send(new InvokeCommand({ FunctionName: 'photo-report', Payload: Buffer.from('{"time":"2026-11-25T11:00:00Z"}') }));
    assert.equal(response.FunctionError, undefined, Buffer.from(response.Payload ?? []).toString());
    assert.deepEqual(JSON.parse(Buffer.from(response.Payload!).toString()), { time: '2026-11-25T11:00:00Z', photos: 1, thumbnails: 1 });
  });

  test('on the hour the schedule runs photo-report, whose report reaches its log', async () => {
    const nextHour = Math.ceil((eventsClock.now() + 1) / 3_600_000) * 3_600_000;
    eventsClock.setTime(nextHour + 2_000);
    const tick = new Date(nextHour).toISOString().replace('.000Z', 'Z');
    const line = await until('the scheduled report in the log', async () => {
      const logs = await run(process.execPath, [path.resolve('bin/lambkin.js'), 'logs', 'photo-report', ...server.storeArgs], {});
      return logs.output.split('\n').find((l) => l.includes('photo report') && l.includes(tick));
    });
    assert.deepEqual(JSON.parse(line.slice(line.indexOf('{'))), { time: tick, photos: 1, thumbnails: 1 });
  });

  test('the photos table\'s stream keeps per-owner counts: each record counts once, a deleted row counts down', async () => {
    const uploads = { 'bob/one.png': await png(300, 200, '#c33'), 'bob/two.png': await png(640, 480, '#33c'), 'alice/two.png': await png(100, 100, '#3c3') };
    const owners: Record<string, string> = { 'bob/one.png': 'bob', 'bob/two.png': 'bob', 'alice/two.png': 'alice' };
    await Promise.all(Object.entries(uploads).map(([key, body]) =>
      s3.send(new PutObjectCommand({ Bucket: 'photos', Key: key, Body: body, ContentType: 'image/png', Metadata: { owner: owners[key]! } }))));
    const first = (await photoRow('holiday/beach day.jpg'))!;
    const aliceBytes = Number(first.size!.N) + uploads['alice/two.png'].length;
    const bobBytes = uploads['bob/one.png'].length + uploads['bob/two.png'].length;
    assert.deepEqual(await until('bob\'s counts', () => countsOf('bob', 2)), { photos: 2, bytes: bobBytes });
    assert.deepEqual(await until('alice\'s counts', () => countsOf('alice', 2)), { photos: 2, bytes: aliceBytes });
    assert.deepEqual(await photoRow('bob/two.png').then((r) => [r!.width!.N, r!.height!.N, r!.format!.S]), ['640', '480', 'png']);

    // A retried batch: every record of the stream so far, handed to photo-counts again, moves nothing.
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: 'photos' }));
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Table!.LatestStreamArn! }));
    const { ShardIterator } = await streams.send(new GetShardIteratorCommand({
      StreamArn: Table!.LatestStreamArn!, ShardId: StreamDescription!.Shards![0]!.ShardId!, ShardIteratorType: 'TRIM_HORIZON',
    }));
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
    assert.deepEqual(Records!.map((r) => r.eventName), ['INSERT', 'INSERT', 'INSERT', 'INSERT']);
    const replay = await server.lambda().send(new InvokeCommand({ FunctionName: 'photo-counts', Payload: Buffer.from(JSON.stringify({ Records })) }));
    assert.equal(replay.FunctionError, undefined, Buffer.from(replay.Payload ?? []).toString());
    assert.deepEqual(JSON.parse(Buffer.from(replay.Payload!).toString()), { outcomes: ['already applied', 'already applied', 'already applied', 'already applied'] });
    assert.deepEqual(await countsOf('bob', 2), { photos: 2, bytes: bobBytes });
    assert.deepEqual(await countsOf('alice', 2), { photos: 2, bytes: aliceBytes });

    await ddb.send(new DeleteItemCommand({ TableName: 'photos', Key: { key: { S: 'bob/one.png' } } }));
    assert.deepEqual(await until('bob\'s count after the delete', () => countsOf('bob', 1)), { photos: 1, bytes: uploads['bob/two.png'].length });
    assert.deepEqual(await countsOf('alice', 2), { photos: 2, bytes: aliceBytes });
  });
});
