import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AddPermissionCommand, CreateFunctionCommand, waitUntilFunctionActiveV2, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand, GetBucketNotificationConfigurationCommand, GetObjectCommand, PutBucketNotificationConfigurationCommand,
  PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { rejectsWith } from './support/aws-errors.js';
import { s3Client } from './support/s3.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, NODE_HANDLER_ZIP, ROLE } from './support/zip.js';

interface OutboxRow {
  destination: string;
  message: string;
  last_error: string | null;
}

// A function that records each S3 event it receives as an object in `chain-out`: the
// notification → Lambda → S3 chain.
const CHAIN_ZIP = makeZip({
  'index.js': `
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
const s3 = new S3Client({ forcePathStyle: true });
exports.handler = async (event) => {
  const record = event.Records[0];
  const key = decodeURIComponent(record.s3.object.key.replace(/\\+/g, ' '));
  await s3.send(new PutObjectCommand({ Bucket: 'chain-out', Key: 'seen/' + key, Body: JSON.stringify(event) }));
};
`,
});

describe('S3 event notifications', () => {
  let server: TestServer;
  let s3: S3Client;
  let lambda: LambdaClient;
  const bucket = 'photos';
  const fnArn = 'arn:aws:lambda:us-east-1:000000000000:function:on-photo';

  async function outbox(): Promise<OutboxRow[]> {
    return server.lambkin.store.selectFrom('s3_notification_outbox').select(['destination', 'message', 'last_error']).orderBy('id').execute();
  }
  async function clearOutbox(): Promise<void> {
    await server.lambkin.store.deleteFrom('s3_notification_outbox').execute();
  }

  before(async () => {
    server = await startTestServer();
    s3 = s3Client(server);
    lambda = server.lambda();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'on-photo', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP } }));
  });
  after(async () => {
    s3?.destroy();
    lambda?.destroy();
    await server?.stop();
  });

  const lambdaConfig = (events: string[], rules: Array<{ Name: 'prefix' | 'suffix'; Value: string }> = [], Id = 'photo-rule') => ({
    Id, LambdaFunctionArn: fnArn, Events: events as never, ...(rules.length ? { Filter: { Key: { FilterRules: rules } } } : {}),
  });

  test('a function that does not allow s3.amazonaws.com is refused, as AWS does', async () => {
    const err = await rejectsWith(
      s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: { LambdaFunctionConfigurations: [lambdaConfig(['s3:ObjectCreated:*'])] } })),
      'InvalidArgument', 400, 'Unable to validate the following destination configurations',
    );
    assert.ok(err);
    await rejectsWith(
      s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: { LambdaFunctionConfigurations: [{ ...lambdaConfig(['s3:ObjectCreated:*']), LambdaFunctionArn: `${fnArn}-missing` }] } })),
      'InvalidArgument', 400, 'Unable to validate the following destination configurations',
    );
  });

  test('configuration is validated (events, filter rules, overlaps) and read back', async () => {
    await lambda.send(new AddPermissionCommand({ FunctionName: 'on-photo', StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: `arn:aws:s3:::${bucket}`, SourceAccount: '000000000000' }));
    await rejectsWith(
      s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: { LambdaFunctionConfigurations: [lambdaConfig(['s3:ObjectCreated:Nope'])] } })),
      'InvalidArgument', 400, 'The event is not supported for notifications',
    );
    await rejectsWith(
      s3.send(new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: { LambdaFunctionConfigurations: [lambdaConfig(['s3:ObjectCreated:*'], [{ Name: 'prefix', Value: 'a/' }], 'one'), lambdaConfig(['s3:ObjectCreated:Put'], [{ Name: 'prefix', Value: 'a/b/' }], 'two')] },
      })),
      'InvalidArgument', 400, 'Configurations overlap. Configurations on the same bucket cannot share a common event type.',
    );
    // Different suffixes do not overlap.
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          lambdaConfig(['s3:ObjectCreated:*', 's3:ObjectRemoved:*'], [{ Name: 'prefix', Value: 'photos/' }, { Name: 'suffix', Value: '.jpg' }], 'jpg-rule'),
          lambdaConfig(['s3:ObjectCreated:*'], [{ Name: 'prefix', Value: 'photos/' }, { Name: 'suffix', Value: '.png' }], 'png-rule'),
        ],
      },
    }));
    const read = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    assert.equal(read.LambdaFunctionConfigurations?.length, 2);
    const jpg = read.LambdaFunctionConfigurations?.[0];
    assert.equal(jpg?.Id, 'jpg-rule');
    assert.equal(jpg?.LambdaFunctionArn, fnArn);
    assert.deepEqual(jpg?.Events, ['s3:ObjectCreated:*', 's3:ObjectRemoved:*']);
    assert.deepEqual(jpg?.Filter?.Key?.FilterRules, [{ Name: 'Prefix', Value: 'photos/' }, { Name: 'Suffix', Value: '.jpg' }]);
  });

  // Queues that do not exist (validation skipped, as `SkipDestinationValidation` allows): their
  // messages stay in the outbox whether or not an SQS sink runs, so the records can be read there.
  const absentQueue = (name: string) => `arn:aws:sqs:us-east-1:000000000000:absent-${name}`;
  const pending = async () => (await outbox()).filter((r) => (JSON.parse(r.destination) as { arn: string }).arn.includes(':absent-'));

  test('object changes write spec §4.4 records into the outbox in the same transaction; filters apply', async () => {
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      SkipDestinationValidation: true,
      NotificationConfiguration: {
        QueueConfigurations: [
          { Id: 'jpg-rule', QueueArn: absentQueue('jpg'), Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'photos/' }, { Name: 'suffix', Value: '.jpg' }] } } },
          { Id: 'png-rule', QueueArn: absentQueue('png'), Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'photos/' }, { Name: 'suffix', Value: '.png' }] } } },
        ],
      },
    }));
    await clearOutbox();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'photos/red flower.jpg', Body: 'jpeg bytes' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'photos/skip.gif', Body: 'gif' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'other/x.jpg', Body: 'jpg' }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'photos/copy.png', CopySource: `${bucket}/photos/skip.gif` }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'photos/red flower.jpg' }));
    const rows = await pending();
    const records = rows.map((r) => (JSON.parse(JSON.parse(r.message).body as string) as { Records: Array<Record<string, any>> }).Records[0]!);
    assert.deepEqual(records.map((r) => [r.eventName, r.s3.object.key, r.s3.configurationId]), [
      ['ObjectCreated:Put', 'photos/red+flower.jpg', 'jpg-rule'],
      ['ObjectCreated:Copy', 'photos/copy.png', 'png-rule'],
      ['ObjectRemoved:Delete', 'photos/red+flower.jpg', 'jpg-rule'],
    ]);
    const put = records[0]!;
    assert.equal(put.eventVersion, '2.1');
    assert.equal(put.eventSource, 'aws:s3');
    assert.equal(put.awsRegion, 'us-east-1');
    assert.match(put.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(put.s3.s3SchemaVersion, '1.0');
    assert.equal(put.s3.bucket.name, bucket);
    assert.equal(put.s3.bucket.arn, `arn:aws:s3:::${bucket}`);
    assert.equal(put.s3.object.size, 'jpeg bytes'.length);
    assert.match(put.s3.object.eTag, /^[0-9a-f]{32}$/);
    assert.match(put.s3.object.sequencer, /^[0-9A-F]+$/);
    assert.equal(put.s3.object.versionId, undefined);
    assert.equal(records[2]!.s3.object.size, undefined);
    assert.ok(records[2]!.s3.object.sequencer > put.s3.object.sequencer);
    assert.deepEqual(JSON.parse(rows[0]!.message).sentBy, { principalService: 's3.amazonaws.com', sourceArn: `arn:aws:s3:::${bucket}`, accountId: '000000000000' });
  });

  test('queues and topics get s3:TestEvent on configuration; EventBridge is configured', async () => {
    await clearOutbox();
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      SkipDestinationValidation: true,
      NotificationConfiguration: {
        QueueConfigurations: [{ Id: 'q', QueueArn: absentQueue('queue'), Events: ['s3:ObjectCreated:Put'] }],
        TopicConfigurations: [{ Id: 't', TopicArn: 'arn:aws:sns:us-east-1:000000000000:absent-topic', Events: ['s3:ObjectRemoved:*'] }],
        EventBridgeConfiguration: {},
      },
    }));
    const read = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    assert.equal(read.QueueConfigurations?.[0]?.QueueArn, absentQueue('queue'));
    assert.equal(read.TopicConfigurations?.[0]?.TopicArn, 'arn:aws:sns:us-east-1:000000000000:absent-topic');
    assert.ok(read.EventBridgeConfiguration);
    const tests = (await pending()).map((r) => JSON.parse(JSON.parse(r.message).body as string) as Record<string, string>);
    assert.deepEqual(tests.map((t) => [t.Service, t.Event, t.Bucket]), [['Amazon S3', 's3:TestEvent', bucket], ['Amazon S3', 's3:TestEvent', bucket]]);
    await clearOutbox();
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'q/a b.txt', Body: 'x' }));
    assert.deepEqual((await pending()).map((r) => JSON.parse(r.destination).arn), [absentQueue('queue')]);
  });

  test('pending notifications survive a restart', async () => {
    const before = await pending();
    assert.ok(before.length > 0);
    await server.restart();
    s3.destroy();
    s3 = s3Client(server);
    lambda.destroy();
    lambda = server.lambda();
    const after = await pending();
    assert.deepEqual(after.map((r) => r.message), before.map((r) => r.message));
  });

  test('notification → Lambda (async invoke) → S3 chain', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'chain-in' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'chain-out' }));
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'chain', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 30, Code: { ZipFile: CHAIN_ZIP } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60, minDelay: 1 }, { FunctionName: 'chain' });
    await lambda.send(new AddPermissionCommand({ FunctionName: 'chain', StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::chain-in' }));
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket: 'chain-in',
      NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:chain', Events: ['s3:ObjectCreated:*'] }] },
    }));
    await clearOutbox();
    await s3.send(new PutObjectCommand({ Bucket: 'chain-in', Key: 'in/hello world.txt', Body: 'chain me' }));
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const seen = await s3.send(new GetObjectCommand({ Bucket: 'chain-out', Key: 'seen/in/hello world.txt' }));
        const event = JSON.parse(await seen.Body!.transformToString()) as { Records: Array<{ eventName: string; s3: { object: { key: string; size: number } } }> };
        assert.equal(event.Records[0]!.eventName, 'ObjectCreated:Put');
        assert.equal(event.Records[0]!.s3.object.key, 'in/hello+world.txt');
        assert.equal(event.Records[0]!.s3.object.size, 'chain me'.length);
        return;
      } catch (err) {
        if ((err as Error).name !== 'NoSuchKey' || Date.now() > deadline) throw err;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  });
});
