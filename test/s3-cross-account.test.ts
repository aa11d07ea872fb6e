import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand, GetBucketPolicyCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand, PutObjectCommand, PutPublicAccessBlockCommand, S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { rejectsWith } from './support/aws-errors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip } from './support/zip.js';
import { awsCliOrBoto3Skip, runCommand } from './support/cli.js';

const OWNER = '000000000000';
const OTHER = '111111111111';
const THIRD = '222222222222';

const allowOther = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'ReadForOther', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketPolicy'], Resource: ['arn:aws:s3:::shared-data', 'arn:aws:s3:::shared-data/*'] },
    { Sid: 'NotSecrets', Effect: 'Deny', Principal: { AWS: OTHER }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared-data/secret/*' },
  ],
});

describe('S3 buckets belong to an account', () => {
  let server: TestServer;
  const config = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => ({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const s3As = (account: string) => new S3Client({ ...config({ accessKeyId: account, secretAccessKey: 'test' }), forcePathStyle: true });
  let owner: S3Client;
  let other: S3Client;
  let third: S3Client;
  before(async () => {
    server = await startTestServer();
    owner = s3As(OWNER);
    other = s3As(OTHER);
    third = s3As(THIRD);
    await owner.send(new CreateBucketCommand({ Bucket: 'shared-data' }));
    await owner.send(new PutObjectCommand({ Bucket: 'shared-data', Key: 'report.txt', Body: 'numbers' }));
    await owner.send(new PutObjectCommand({ Bucket: 'shared-data', Key: 'secret/key.txt', Body: 'hidden' }));
  });
  after(async () => {
    for (const c of [owner, other, third]) c?.destroy();
    await server?.stop();
  });

  test('another account gets 403 AccessDenied until the bucket policy names it', async () => {
    await rejectsWith(other.send(new GetObjectCommand({ Bucket: 'shared-data', Key: 'report.txt' })), 'AccessDenied', 403, 'Access Denied');
    await rejectsWith(other.send(new ListObjectsV2Command({ Bucket: 'shared-data' })), 'AccessDenied', 403, 'Access Denied');
    await rejectsWith(other.send(new PutObjectCommand({ Bucket: 'shared-data', Key: 'x', Body: 'x' })), 'AccessDenied', 403, 'Access Denied');
    await rejectsWith(other.send(new CreateBucketCommand({ Bucket: 'shared-data' })), 'BucketAlreadyExists', 409);

    await owner.send(new PutBucketPolicyCommand({ Bucket: 'shared-data', Policy: allowOther }));
    const got = await other.send(new GetObjectCommand({ Bucket: 'shared-data', Key: 'report.txt' }));
    assert.equal(await got.Body?.transformToString(), 'numbers');
    assert.equal((await other.send(new ListObjectsV2Command({ Bucket: 'shared-data' }))).KeyCount, 2);
    // What the policy does not grant, or denies, stays refused; other accounts stay out.
    await rejectsWith(other.send(new PutObjectCommand({ Bucket: 'shared-data', Key: 'x', Body: 'x' })), 'AccessDenied', 403);
    await rejectsWith(other.send(new GetObjectCommand({ Bucket: 'shared-data', Key: 'secret/key.txt' })), 'AccessDenied', 403);
    await rejectsWith(third.send(new GetObjectCommand({ Bucket: 'shared-data', Key: 'report.txt' })), 'AccessDenied', 403);
    // The bucket policy operations are the owner account's alone, whatever the policy grants.
    await rejectsWith(other.send(new GetBucketPolicyCommand({ Bucket: 'shared-data' })), 'MethodNotAllowed', 405, 'The specified method is not allowed against this resource.');
    // ExpectedBucketOwner refuses a bucket of another owner.
    await rejectsWith(other.send(new GetObjectCommand({ Bucket: 'shared-data', Key: 'report.txt', ExpectedBucketOwner: OTHER })), 'AccessDenied', 403);
    assert.equal((await other.send(new GetObjectCommand({ Bucket: 'shared-data', Key: 'report.txt', ExpectedBucketOwner: OWNER }))).ContentLength, 7);
  });

  test('an ACL grant to AuthenticatedUsers lets any account read the object', async () => {
    await owner.send(new PutObjectCommand({ Bucket: 'shared-data', Key: 'for-all.txt', Body: 'hi', ACL: 'authenticated-read' }));
    assert.equal(await (await third.send(new GetObjectCommand({ Bucket: 'shared-data', Key: 'for-all.txt' }))).Body?.transformToString(), 'hi');
    await rejectsWith(third.send(new GetObjectCommand({ Bucket: 'shared-data', Key: 'report.txt' })), 'AccessDenied', 403);
  });

  test('a role of the other account needs its own IAM policy as well as the bucket policy', async () => {
    const iam = new IAMClient(config({ accessKeyId: OTHER, secretAccessKey: 'test' }));
    const sts = new STSClient(config({ accessKeyId: OTHER, secretAccessKey: 'test' }));
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'sts:AssumeRole' }] });
    const sessionClient = async (role: string) => {
      const creds = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${OTHER}:role/${role}`, RoleSessionName: 'cross-account' }))).Credentials!;
      return new S3Client({ ...config({ accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! }), forcePathStyle: true });
    };
    await iam.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: trust }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'reader', PolicyName: 'read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'bare', AssumeRolePolicyDocument: trust }));
    const reader = await sessionClient('reader');
    const bare = await sessionClient('bare');
    assert.equal(await (await reader.send(new GetObjectCommand({ Bucket: 'shared-data', Key: 'report.txt' }))).Body?.transformToString(), 'numbers');
    await rejectsWith(bare.send(new GetObjectCommand({ Bucket: 'shared-data', Key: 'report.txt' })), 'AccessDenied', 403);
    for (const c of [iam, sts, reader, bare]) c.destroy();
  });

  test('Lambda reads code from another account\'s bucket when its policy lets that account in', async () => {
    await owner.send(new CreateBucketCommand({ Bucket: 'layer-source' }));
    await owner.send(new PutObjectCommand({ Bucket: 'layer-source', Key: 'layer.zip', Body: makeZip({ 'nodejs/x.js': 'module.exports = 1;\n' }) }));
    const lambda = server.lambda({ accessKeyId: OTHER, secretAccessKey: 'test' });
    const publish = () => lambda.send(new PublishLayerVersionCommand({ LayerName: 'shared', Content: { S3Bucket: 'layer-source', S3Key: 'layer.zip' } }));
    await rejectsWith(publish(), 'InvalidParameterValueException', 400, 'Error occurred while GetObject. S3 Error Code: AccessDenied. S3 Error Message: Access Denied');
    await owner.send(new PutBucketPolicyCommand({
      Bucket: 'layer-source',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::layer-source/*' }] }),
    }));
    assert.equal((await publish()).Version, 1);
    lambda.destroy();
  });

  test('RestrictPublicBuckets keeps a public policy to the owner\'s account', async () => {
    await owner.send(new CreateBucketCommand({ Bucket: 'open-data' }));
    await owner.send(new PutObjectCommand({ Bucket: 'open-data', Key: 'a.txt', Body: 'a' }));
    await owner.send(new PutBucketPolicyCommand({
      Bucket: 'open-data',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::open-data/*' }] }),
    }));
    assert.equal((await third.send(new GetObjectCommand({ Bucket: 'open-data', Key: 'a.txt' }))).ContentLength, 1);
    await owner.send(new PutPublicAccessBlockCommand({ Bucket: 'open-data', PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
    await rejectsWith(third.send(new GetObjectCommand({ Bucket: 'open-data', Key: 'a.txt' })), 'AccessDenied', 403);
  });

  test('the AWS CLI and boto3 as another account', { skip: awsCliOrBoto3Skip }, async () => {
    const env = { AWS_ACCESS_KEY_ID: THIRD, AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1' };
    const denied = await runCommand('aws', ['--endpoint-url', server.url, 's3api', 'list-objects-v2', '--bucket', 'shared-data'], env);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /An error occurred \(AccessDenied\) when calling the ListObjectsV2 operation: Access Denied/);
    const script = `
import sys, boto3
from botocore.exceptions import ClientError
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id=sys.argv[2], aws_secret_access_key='test')
try:
    s3.get_object(Bucket='shared-data', Key='report.txt')
    print('allowed')
except ClientError as e:
    print(e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'])
print(s3.get_object(Bucket='shared-data', Key='for-all.txt')['Body'].read().decode())
`;
    const out = await runCommand('python3', ['-c', script, server.url, THIRD], {});
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(out.stdout.trim().split('\n'), ['AccessDenied 403', 'hi']);
    const allowed = await runCommand('python3', ['-c', script, server.url, OTHER], {});
    assert.deepEqual(allowed.stdout.trim().split('\n'), ['allowed', 'hi']);
  });
});
