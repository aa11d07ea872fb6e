import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectLegalHoldCommand, GetObjectLockConfigurationCommand, GetObjectRetentionCommand, GetBucketVersioningCommand,
  HeadObjectCommand, PutBucketVersioningCommand, PutObjectCommand, PutObjectLegalHoldCommand, PutObjectLockConfigurationCommand, PutObjectRetentionCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { rejectsWith } from './support/aws-errors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliOrBoto3Skip, runCommand } from './support/cli.js';

const LOCKED = 'Access Denied because object protected by object lock.';

describe('S3 Object Lock', () => {
  let server: TestServer;
  let s3: S3Client;
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);
  before(async () => {
    server = await startTestServer();
    s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'vault', ObjectLockEnabledForBucket: true }));
  });
  after(async () => {
    s3?.destroy();
    await server?.stop();
  });

  test('a bucket created with Object Lock is versioned for good; the configuration holds a default retention', async () => {
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: 'vault' }))).Status, 'Enabled');
    assert.deepEqual((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'vault' }))).ObjectLockConfiguration, { ObjectLockEnabled: 'Enabled' });
    await rejectsWith(s3.send(new PutBucketVersioningCommand({ Bucket: 'vault', VersioningConfiguration: { Status: 'Suspended' } })), 'InvalidBucketState', 409,
      'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.');
    await s3.send(new CreateBucketCommand({ Bucket: 'plain' }));
    await rejectsWith(s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'plain' })), 'ObjectLockConfigurationNotFoundError', 404, 'Object Lock configuration does not exist for this bucket');
    await rejectsWith(s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'plain', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } })), 'InvalidBucketState', 409);
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'plain', Key: 'k', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: inDays(1) })), 'InvalidRequest', 400,
      'Bucket is missing Object Lock Configuration');
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'vault', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } }));
    const config = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'vault' }));
    assert.deepEqual(config.ObjectLockConfiguration?.Rule?.DefaultRetention, { Mode: 'GOVERNANCE', Days: 1 });
    // A new version gets the default retention.
    const put = await s3.send(new PutObjectCommand({ Bucket: 'vault', Key: 'defaulted', Body: 'x' }));
    const retention = await s3.send(new GetObjectRetentionCommand({ Bucket: 'vault', Key: 'defaulted', VersionId: put.VersionId }));
    assert.equal(retention.Retention?.Mode, 'GOVERNANCE');
    assert.ok(Math.abs(retention.Retention!.RetainUntilDate!.getTime() - inDays(1).getTime()) < 60_000);
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'vault', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
  });

  test('GOVERNANCE retention refuses deleting the version unless bypassed; COMPLIANCE cannot be shortened', async () => {
    const gov = await s3.send(new PutObjectCommand({ Bucket: 'vault', Key: 'gov', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: inDays(2) }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'vault', Key: 'gov' }));
    assert.equal(head.ObjectLockMode, 'GOVERNANCE');
    assert.ok(head.ObjectLockRetainUntilDate instanceof Date);
    await rejectsWith(s3.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'gov', VersionId: gov.VersionId })), 'AccessDenied', 403, LOCKED);
    // A delete without a version only adds a delete marker: allowed.
    assert.equal((await s3.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'gov' }))).DeleteMarker, true);
    const batch = await s3.send(new DeleteObjectsCommand({ Bucket: 'vault', Delete: { Objects: [{ Key: 'gov', VersionId: gov.VersionId }] } }));
    assert.equal(batch.Errors?.[0]?.Code, 'AccessDenied');
    // Shortening needs the bypass; then the version can go.
    await rejectsWith(s3.send(new PutObjectRetentionCommand({ Bucket: 'vault', Key: 'gov', VersionId: gov.VersionId, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: inDays(1) } })), 'AccessDenied', 403, LOCKED);
    await s3.send(new PutObjectRetentionCommand({ Bucket: 'vault', Key: 'gov', VersionId: gov.VersionId, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: inDays(3) } }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'gov', VersionId: gov.VersionId, BypassGovernanceRetention: true }));

    const comp = await s3.send(new PutObjectCommand({ Bucket: 'vault', Key: 'comp', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: inDays(2) }));
    await rejectsWith(s3.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'comp', VersionId: comp.VersionId, BypassGovernanceRetention: true })), 'AccessDenied', 403, LOCKED);
    await rejectsWith(s3.send(new PutObjectRetentionCommand({
      Bucket: 'vault', Key: 'comp', VersionId: comp.VersionId, BypassGovernanceRetention: true, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: inDays(2) },
    })), 'AccessDenied', 403, LOCKED);
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'vault', Key: 'past', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(Date.now() - 60_000) })),
      'InvalidArgument', 400, 'The retain until date must be in the future!');
  });

  test('a legal hold blocks deletion until it is lifted', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: 'vault', Key: 'held', Body: 'x' }));
    await rejectsWith(s3.send(new GetObjectLegalHoldCommand({ Bucket: 'vault', Key: 'held' })), 'NoSuchObjectLockConfiguration', 404, 'The specified object does not have a ObjectLock configuration');
    await rejectsWith(s3.send(new GetObjectRetentionCommand({ Bucket: 'vault', Key: 'held' })), 'NoSuchObjectLockConfiguration', 404);
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: 'vault', Key: 'held', LegalHold: { Status: 'ON' } }));
    assert.equal((await s3.send(new GetObjectLegalHoldCommand({ Bucket: 'vault', Key: 'held' }))).LegalHold?.Status, 'ON');
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'vault', Key: 'held' }))).ObjectLockLegalHoldStatus, 'ON');
    await rejectsWith(s3.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'held', VersionId: put.VersionId, BypassGovernanceRetention: true })), 'AccessDenied', 403, LOCKED);
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: 'vault', Key: 'held', LegalHold: { Status: 'OFF' } }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'held', VersionId: put.VersionId }));
  });

  test('a multipart upload takes the lock headers of its creation, checked as PutObject checks them, or the default retention', async () => {
    const upload = async (key: string, lock: { ObjectLockMode?: 'GOVERNANCE' | 'COMPLIANCE'; ObjectLockRetainUntilDate?: Date; ObjectLockLegalHoldStatus?: 'ON' | 'OFF' } = {}) => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'vault', Key: key, ...lock }));
      const part = await s3.send(new UploadPartCommand({ Bucket: 'vault', Key: key, UploadId, PartNumber: 1, Body: 'only part' }));
      return s3.send(new CompleteMultipartUploadCommand({ Bucket: 'vault', Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    };
    await rejectsWith(s3.send(new CreateMultipartUploadCommand({ Bucket: 'plain', Key: 'k', ObjectLockLegalHoldStatus: 'ON' })), 'InvalidRequest', 400,
      'Bucket is missing Object Lock Configuration');
    await rejectsWith(s3.send(new CreateMultipartUploadCommand({ Bucket: 'vault', Key: 'k', ObjectLockMode: 'GOVERNANCE' })), 'InvalidArgument', 400,
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied');
    await rejectsWith(s3.send(new CreateMultipartUploadCommand({ Bucket: 'vault', Key: 'k', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(Date.now() - 60_000) })),
      'InvalidArgument', 400, 'The retain until date must be in the future!');

    const until = inDays(2);
    const locked = await upload('mp-locked', { ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: 'ON' });
    const retention = await s3.send(new GetObjectRetentionCommand({ Bucket: 'vault', Key: 'mp-locked', VersionId: locked.VersionId }));
    assert.equal(retention.Retention?.Mode, 'COMPLIANCE');
    assert.equal(retention.Retention?.RetainUntilDate?.toISOString(), until.toISOString());
    assert.equal((await s3.send(new GetObjectLegalHoldCommand({ Bucket: 'vault', Key: 'mp-locked' }))).LegalHold?.Status, 'ON');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'vault', Key: 'mp-locked' }));
    assert.equal(head.ObjectLockMode, 'COMPLIANCE');
    assert.equal(head.ObjectLockLegalHoldStatus, 'ON');
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: 'vault', Key: 'mp-locked', LegalHold: { Status: 'OFF' } }));
    await rejectsWith(s3.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'mp-locked', VersionId: locked.VersionId, BypassGovernanceRetention: true })), 'AccessDenied', 403, LOCKED);

    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'vault', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Years: 1 } } } }));
    try {
      const defaulted = await upload('mp-defaulted');
      const got = await s3.send(new GetObjectRetentionCommand({ Bucket: 'vault', Key: 'mp-defaulted', VersionId: defaulted.VersionId }));
      assert.equal(got.Retention?.Mode, 'GOVERNANCE');
      assert.ok(got.Retention!.RetainUntilDate!.getTime() > inDays(364).getTime());
      await rejectsWith(s3.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'mp-defaulted', VersionId: defaulted.VersionId })), 'AccessDenied', 403, LOCKED);
      await rejectsWith(s3.send(new GetObjectLegalHoldCommand({ Bucket: 'vault', Key: 'mp-defaulted' })), 'NoSuchObjectLockConfiguration', 404);
    } finally {
      await s3.send(new PutObjectLockConfigurationCommand({ Bucket: 'vault', ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
    }
  });

  test('the governance bypass needs s3:BypassGovernanceRetention for an IAM user; account keys always have it', async () => {
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const userClient = async (name: string, actions: string[]) => {
      await iam.send(new CreateUserCommand({ UserName: name }));
      const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: ['arn:aws:s3:::vault', 'arn:aws:s3:::vault/*'] }] };
      await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'vault', PolicyDocument: JSON.stringify(policy) }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
      return new S3Client({
        endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }, forcePathStyle: true, maxAttempts: 1,
      });
    };
    // s3:*Object* covers PutObject, DeleteObject and PutObjectRetention but not the bypass.
    const clerk = await userClient('clerk', ['s3:*Object*']);
    const admin = await userClient('custodian', ['s3:*Object*', 's3:BypassGovernanceRetention']);
    try {
      const put = async (key: string) => (await s3.send(new PutObjectCommand({ Bucket: 'vault', Key: key, Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: inDays(2) }))).VersionId;
      const first = await put('bypass-1');
      await rejectsWith(clerk.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'bypass-1', VersionId: first, BypassGovernanceRetention: true })), 'AccessDenied', 403, 'Access Denied');
      await rejectsWith(clerk.send(new PutObjectRetentionCommand({
        Bucket: 'vault', Key: 'bypass-1', VersionId: first, BypassGovernanceRetention: true, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: inDays(1) },
      })), 'AccessDenied', 403, 'Access Denied');
      const batch = await clerk.send(new DeleteObjectsCommand({ Bucket: 'vault', BypassGovernanceRetention: true, Delete: { Objects: [{ Key: 'bypass-1', VersionId: first }] } }));
      assert.deepEqual(batch.Errors?.map((e) => [e.Code, e.Message]), [['AccessDenied', 'Access Denied']]);
      // Without the header the clerk meets the lock itself; an unlocked version it may delete.
      await rejectsWith(clerk.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'bypass-1', VersionId: first })), 'AccessDenied', 403, LOCKED);
      const unlocked = await clerk.send(new PutObjectCommand({ Bucket: 'vault', Key: 'bypass-free', Body: 'x' }));
      await clerk.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'bypass-free', VersionId: unlocked.VersionId }));

      await admin.send(new PutObjectRetentionCommand({
        Bucket: 'vault', Key: 'bypass-1', VersionId: first, BypassGovernanceRetention: true, Retention: { Mode: 'GOVERNANCE', RetainUntilDate: inDays(1) },
      }));
      await admin.send(new DeleteObjectCommand({ Bucket: 'vault', Key: 'bypass-1', VersionId: first, BypassGovernanceRetention: true }));
      const second = await put('bypass-2');
      const done = await admin.send(new DeleteObjectsCommand({ Bucket: 'vault', BypassGovernanceRetention: true, Delete: { Objects: [{ Key: 'bypass-2', VersionId: second }] } }));
      assert.deepEqual(done.Deleted?.map((d) => d.VersionId), [second]);
      assert.equal(done.Errors, undefined);
    } finally {
      clerk.destroy();
      admin.destroy();
      iam.destroy();
    }
  });

  test('the AWS CLI and boto3', { skip: awsCliOrBoto3Skip }, async () => {
    const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1' };
    const cli = (...args: string[]) => runCommand('aws', ['--endpoint-url', server.url, 's3api', ...args], env);
    assert.equal((await cli('create-bucket', '--bucket', 'cli-vault', '--object-lock-enabled-for-bucket')).code, 0);
    const put = JSON.parse((await cli('put-object', '--bucket', 'cli-vault', '--key', 'k', '--object-lock-legal-hold-status', 'ON')).stdout) as { VersionId: string };
    const denied = await cli('delete-object', '--bucket', 'cli-vault', '--key', 'k', '--version-id', put.VersionId);
    assert.match(denied.stderr, /AccessDenied.*object protected by object lock/);
    const script = `
import sys, boto3, datetime
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
print(s3.get_object_legal_hold(Bucket='cli-vault', Key='k')['LegalHold']['Status'])
until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
s3.put_object_retention(Bucket='cli-vault', Key='k', Retention={'Mode': 'COMPLIANCE', 'RetainUntilDate': until})
print(s3.get_object_retention(Bucket='cli-vault', Key='k')['Retention']['Mode'])
print(s3.get_object_lock_configuration(Bucket='cli-vault')['ObjectLockConfiguration']['ObjectLockEnabled'])
`;
    const out = await runCommand('python3', ['-c', script, server.url], {});
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(out.stdout.trim().split('\n'), ['ON', 'COMPLIANCE', 'Enabled']);
  });
});
