import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketLifecycleCommand, DeleteObjectCommand, GetBucketLifecycleConfigurationCommand, ListMultipartUploadsCommand,
  ListObjectVersionsCommand, ListObjectsV2Command, PutBucketLifecycleConfigurationCommand, PutBucketNotificationConfigurationCommand, PutBucketVersioningCommand,
  PutObjectCommand, S3Client, type LifecycleRule,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ShiftableClock } from '../src/clock.js';
import { allowServiceToSend } from './support/sqs.js';
import { startTestServer, type TestServer } from './support/server.js';

const DAY = 86_400_000;

describe('S3 lifecycle rules', () => {
  let server: TestServer;
  let s3: S3Client;
  let sqs: SQSClient;
  const clock = new ShiftableClock();
  before(async () => {
    server = await startTestServer({}, { s3LifecycleClock: clock });
    const config = { endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
    s3 = new S3Client({ ...config, forcePathStyle: true });
    sqs = new SQSClient(config);
  });
  after(async () => {
    await server.stop();
  });

  const refused = (Bucket: string, rules: LifecycleRule[], code: string, message?: string) =>
    assert.rejects(s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: rules } })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, code);
      if (message) assert.equal(err.message, message);
      assert.equal(err.$metadata?.httpStatusCode, 400);
      return true;
    });

  test('Put/Get/DeleteBucketLifecycleConfiguration, with S3\'s validation', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'rules' }));
    await assert.rejects(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'rules' })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, 'NoSuchLifecycleConfiguration');
      assert.equal(err.message, 'The lifecycle configuration does not exist');
      assert.equal(err.$metadata?.httpStatusCode, 404);
      return true;
    });
    await refused('rules', [{ ID: 'a', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 0 } }], 'InvalidArgument', "'Days' for Expiration action must be a positive integer");
    await refused('rules', [{ ID: 'a', Status: 'Enabled', Filter: { Prefix: '' } }], 'InvalidRequest', 'At least one action needs to be specified in a rule');
    await refused('rules', [{ ID: 'a', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Date: new Date('2030-01-01T12:00:00Z') } }], 'InvalidArgument', "'Date' must be at midnight GMT");
    await refused('rules', [
      { ID: 'a', Status: 'Enabled', Filter: { Prefix: 'x/' }, Expiration: { Days: 1 } },
      { ID: 'a', Status: 'Enabled', Filter: { Prefix: 'y/' }, Expiration: { Days: 1 } },
    ], 'InvalidArgument', 'Rule ID must be unique. Found same ID for more than one rule');
    await refused('rules', [{ ID: 'a', Status: 'Enabled', Filter: { Tag: { Key: 'k', Value: 'v' } }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }], 'InvalidRequest', 'AbortIncompleteMultipartUpload cannot be specified with Tags.');
    await refused('rules', [{ ID: 'a', Status: 'Sometimes' as 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } }], 'MalformedXML');
    const rules: LifecycleRule[] = [
      { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 7 } },
      { ID: 'tagged', Status: 'Disabled', Filter: { And: { Prefix: 'tmp/', Tags: [{ Key: 'scratch', Value: 'yes' }] } }, Expiration: { Date: new Date('2030-01-01T00:00:00Z') } },
      { ID: 'versions', Status: 'Enabled', Filter: { Tag: { Key: 'k', Value: 'v' } }, NoncurrentVersionExpiration: { NoncurrentDays: 30, NewerNoncurrentVersions: 2 } },
      { ID: 'uploads', Status: 'Enabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } },
    ];
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'rules', LifecycleConfiguration: { Rules: rules } }));
    assert.deepEqual((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'rules' }))).Rules, rules);
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket: 'rules' }));
    await assert.rejects(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'rules' })), (err: Error) => err.name === 'NoSuchLifecycleConfiguration');
  });

  test('the sweep expires objects by age, prefix and tag, versions and uploads, and notifies LifecycleExpiration', async () => {
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'expired' }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await allowServiceToSend(sqs, queueUrl, 's3.amazonaws.com', 'arn:aws:s3:::*');
    for (const bucket of ['plain', 'versioned']) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: { QueueConfigurations: [{ Id: 'expiry', QueueArn: queueArn, Events: ['s3:LifecycleExpiration:*'] }] },
      }));
    }
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'versioned', VersioningConfiguration: { Status: 'Enabled' } }));
    const put = (Bucket: string, Key: string, Tagging?: string) => s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x', ...(Tagging ? { Tagging } : {}) }));
    await put('plain', 'logs/old.txt');
    await put('plain', 'keep/forever.txt');
    await put('plain', 'tmp/scratch.txt', 'scratch=yes');
    await put('plain', 'tmp/kept.txt', 'scratch=no');
    await put('versioned', 'doc.txt');
    await put('versioned', 'doc.txt');
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'plain', Key: 'big/file.bin' }));
    await s3.send(new PutBucketLifecycleConfigurationCommand({
      Bucket: 'plain',
      LifecycleConfiguration: {
        Rules: [
          { ID: 'logs', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Expiration: { Days: 1 } },
          { ID: 'scratch', Status: 'Enabled', Filter: { And: { Prefix: 'tmp/', Tags: [{ Key: 'scratch', Value: 'yes' }] } }, Expiration: { Days: 1 } },
          { ID: 'uploads', Status: 'Enabled', Filter: { Prefix: 'big/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } },
        ],
      },
    }));
    await s3.send(new PutBucketLifecycleConfigurationCommand({
      Bucket: 'versioned',
      LifecycleConfiguration: { Rules: [{ ID: 'all', Status: 'Enabled', Filter: {}, Expiration: { Days: 3 }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }] },
    }));
    const keys = async (Bucket: string) => ((await s3.send(new ListObjectsV2Command({ Bucket }))).Contents ?? []).map((o) => o.Key).sort();

    // Nothing is due yet.
    await server.lambkin.sweepS3Lifecycle();
    assert.deepEqual(await keys('plain'), ['keep/forever.txt', 'logs/old.txt', 'tmp/kept.txt', 'tmp/scratch.txt']);

    // Two days on (a day's expiry rounds up to the next midnight UTC): logs and tagged scratch go,
    // and the versioned bucket's noncurrent version; the upload's 2 days may not have passed.
    clock.advance(2 * DAY + 1000);
    await server.lambkin.sweepS3Lifecycle();
    assert.deepEqual(await keys('plain'), ['keep/forever.txt', 'tmp/kept.txt']);
    let versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'versioned' }));
    assert.equal(versions.Versions?.length, 1);
    assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'plain' }))).Uploads?.length, 1);

    // Four days on: the upload is aborted, the versioned object gets a delete marker.
    clock.advance(2 * DAY);
    await server.lambkin.sweepS3Lifecycle();
    assert.equal((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'plain' }))).Uploads, undefined);
    assert.notEqual(upload.UploadId, undefined);
    versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'versioned' }));
    assert.equal(versions.DeleteMarkers?.length, 1);
    assert.deepEqual(await keys('versioned'), []);

    const records: Array<{ eventName: string; key: string; bucket: string; principal: string }> = [];
    for (let i = 0; i < 10 && records.length < 4; i++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of got.Messages ?? []) {
        const body = JSON.parse(m.Body!) as { Records?: Array<{ eventName: string; userIdentity: { principalId: string }; s3: { bucket: { name: string }; object: { key: string } } }> };
        for (const r of body.Records ?? []) records.push({ eventName: r.eventName, key: r.s3.object.key, bucket: r.s3.bucket.name, principal: r.userIdentity.principalId });
      }
    }
    records.sort((a, b) => (a.bucket + a.key + a.eventName).localeCompare(b.bucket + b.key + b.eventName));
    assert.deepEqual(records, [
      { eventName: 'LifecycleExpiration:Delete', key: 'logs/old.txt', bucket: 'plain', principal: 's3.amazonaws.com' },
      { eventName: 'LifecycleExpiration:Delete', key: 'tmp/scratch.txt', bucket: 'plain', principal: 's3.amazonaws.com' },
      { eventName: 'LifecycleExpiration:Delete', key: 'doc.txt', bucket: 'versioned', principal: 's3.amazonaws.com' },
      { eventName: 'LifecycleExpiration:DeleteMarkerCreated', key: 'doc.txt', bucket: 'versioned', principal: 's3.amazonaws.com' },
    ]);
  });

  test('NewerNoncurrentVersions keeps the newest noncurrent versions; ExpiredObjectDeleteMarker removes a lone marker', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'history' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'history', VersioningConfiguration: { Status: 'Enabled' } }));
    for (let i = 0; i < 4; i++) await s3.send(new PutObjectCommand({ Bucket: 'history', Key: 'doc.txt', Body: `v${i}` }));
    await s3.send(new PutObjectCommand({ Bucket: 'history', Key: 'gone.txt', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'history', Key: 'gone.txt' }));
    await s3.send(new PutBucketLifecycleConfigurationCommand({
      Bucket: 'history',
      LifecycleConfiguration: {
        Rules: [
          { ID: 'keep-two', Status: 'Enabled', Filter: { Prefix: 'doc' }, NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 2 } },
          { ID: 'gone', Status: 'Enabled', Filter: { Prefix: 'gone' }, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, Expiration: { ExpiredObjectDeleteMarker: true } },
        ],
      },
    }));
    clock.advance(3 * DAY);
    await server.lambkin.sweepS3Lifecycle();
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'history', Prefix: 'doc' }));
    // The current version and the two newest noncurrent ones stay; the oldest goes.
    assert.equal(versions.Versions?.length, 3);
    // gone.txt's only version expired as noncurrent; its marker, then alone, went after it.
    const gone = await s3.send(new ListObjectVersionsCommand({ Bucket: 'history', Prefix: 'gone' }));
    assert.equal(gone.Versions, undefined);
    assert.equal(gone.DeleteMarkers, undefined);
  });
});
