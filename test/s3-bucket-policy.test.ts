import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand, DeleteBucketPolicyCommand, GetBucketPolicyCommand, ListObjectsV2Command, PutBucketPolicyCommand, S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startTestServer, type TestServer } from './support/server.js';

const ACCOUNT_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] });

describe('S3 bucket policies and aws:ResourceAccount', () => {
  let server: TestServer;
  let s3: S3Client;
  const config = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => ({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1, forcePathStyle: true });
  before(async () => {
    server = await startTestServer();
    s3 = new S3Client(config({ accessKeyId: 'test', secretAccessKey: 'test' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'assets' }));
  });
  after(async () => {
    await server.stop();
  });

  test('PutBucketPolicy stores the document, GetBucketPolicy returns it, DeleteBucketPolicy removes it', async () => {
    await assert.rejects(s3.send(new GetBucketPolicyCommand({ Bucket: 'assets' })), (err: Error) => {
      assert.equal(err.name, 'NoSuchBucketPolicy');
      assert.equal(err.message, 'The bucket policy does not exist');
      return true;
    });
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::assets', 'arn:aws:s3:::assets/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'assets', Policy: policy }));
    assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket: 'assets' }))).Policy, policy);
    // Stored, not evaluated: the deny on plain HTTP does not refuse Lambkin's endpoint.
    assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: 'assets' }))).KeyCount, 0);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'assets' }));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'assets' }));
    await assert.rejects(s3.send(new GetBucketPolicyCommand({ Bucket: 'assets' })), /The bucket policy does not exist/);
  });

  test('malformed policies are refused with MalformedPolicy', async () => {
    const refused = async (policy: string, message: string) =>
      assert.rejects(s3.send(new PutBucketPolicyCommand({ Bucket: 'assets', Policy: policy })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(err.name, 'MalformedPolicy');
        assert.equal(err.message, message);
        assert.equal(err.$metadata?.httpStatusCode, 400);
        return true;
      });
    await refused('{', 'This policy contains invalid Json');
    await refused(JSON.stringify({ Version: '2012-10-17' }), 'Missing required field Statement');
    await refused(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::assets/*' }] }), 'Missing required field Principal');
    await refused(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' }] }), 'Policy has invalid resource');
    await assert.rejects(s3.send(new PutBucketPolicyCommand({ Bucket: 'nope', Policy: '{}' })), (err: Error) => err.name === 'NoSuchBucket');
  });

  test('a role whose policy requires aws:ResourceAccount reaches its own account\'s bucket only', async () => {
    const iam = new IAMClient(config({ accessKeyId: 'test', secretAccessKey: 'test' }));
    const allowIn = (account: string) => JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:List*', Resource: 'arn:aws:s3:::assets', Condition: { StringEquals: { 'aws:ResourceAccount': [account] } } }],
    });
    const s3As = async (role: string) => {
      const creds = (await new STSClient(config({ accessKeyId: 'test', secretAccessKey: 'test' })).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::000000000000:role/${role}`, RoleSessionName: 'session' }))).Credentials!;
      return new S3Client(config({ accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.SessionToken! }));
    };
    for (const [role, account] of [['own', '000000000000'], ['other', '111111111111']] as const) {
      await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: ACCOUNT_TRUST }));
      await iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'list', PolicyDocument: allowIn(account) }));
    }
    assert.equal((await (await s3As('own')).send(new ListObjectsV2Command({ Bucket: 'assets' }))).KeyCount, 0);
    await assert.rejects((await s3As('other')).send(new ListObjectsV2Command({ Bucket: 'assets' })), (err: Error) => err.name === 'AccessDenied');
  });
});
