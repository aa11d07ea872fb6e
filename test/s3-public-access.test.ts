import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateBucketCommand, DeletePublicAccessBlockCommand, GetBucketAclCommand, GetObjectAclCommand, GetPublicAccessBlockCommand, PutBucketAclCommand,
  PutBucketPolicyCommand, PutObjectAclCommand, PutObjectCommand, PutPublicAccessBlockCommand, S3Client,
} from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from './support/server.js';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

describe('S3 ACLs, Block Public Access and bucket policies for anonymous callers', () => {
  let server: TestServer;
  let s3: S3Client;
  before(async () => {
    server = await startTestServer();
    s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, forcePathStyle: true });
    for (const Bucket of ['site', 'policied']) await s3.send(new CreateBucketCommand({ Bucket }));
  });
  after(async () => {
    await server.stop();
  });

  /** An unsigned request, as a browser or curl sends it. */
  const anonymous = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${server.url}/${path}`, init);
    return { status: res.status, body: await res.text() };
  };
  const denied = async (path: string, init: RequestInit = {}) => {
    const res = await anonymous(path, init);
    assert.equal(res.status, 403, `${path}: ${res.body}`);
    assert.match(res.body, /<Code>AccessDenied<\/Code><Message>Access Denied<\/Message>/);
  };
  const rejectsWith = (promise: Promise<unknown>, code: string, status: number) =>
    assert.rejects(promise, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, code);
      assert.equal(err.$metadata?.httpStatusCode, status);
      return true;
    });

  test('a public-read object is readable without a signature; a private one is not', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'index.html', Body: '<h1>hi</h1>', ACL: 'public-read' }));
    await s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'secret.txt', Body: 'psst' }));
    assert.deepEqual(await anonymous('site/index.html'), { status: 200, body: '<h1>hi</h1>' });
    assert.equal((await anonymous('site/index.html', { method: 'HEAD' })).status, 200);
    await denied('site/secret.txt');
    await denied('site/missing.txt');
    // Listing needs READ on the bucket, writing WRITE.
    await denied('site');
    await denied('site/new.txt', { method: 'PUT', body: 'x' });
    const nowhere = await anonymous('nowhere/x');
    assert.equal(nowhere.status, 404);
    assert.match(nowhere.body, /<Code>NoSuchBucket<\/Code>/);

    const acl = await s3.send(new GetObjectAclCommand({ Bucket: 'site', Key: 'index.html' }));
    assert.equal(acl.Owner?.ID?.length, 64);
    assert.deepEqual(acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.URI ?? g.Grantee?.ID, g.Permission]), [
      ['CanonicalUser', acl.Owner?.ID, 'FULL_CONTROL'],
      ['Group', ALL_USERS, 'READ'],
    ]);
    await s3.send(new PutObjectAclCommand({ Bucket: 'site', Key: 'index.html', ACL: 'private' }));
    await denied('site/index.html');
    assert.equal((await s3.send(new GetObjectAclCommand({ Bucket: 'site', Key: 'index.html' }))).Grants?.length, 1);
    // A grant in an AccessControlPolicy document works as the canned ACL does.
    await s3.send(new PutObjectAclCommand({
      Bucket: 'site', Key: 'index.html',
      AccessControlPolicy: { Owner: acl.Owner, Grants: [{ Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' }] },
    }));
    assert.equal((await anonymous('site/index.html')).status, 200);
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'x', Body: 'x', ACL: 'world-readable' as 'private' })), 'InvalidArgument', 400);
    await rejectsWith(s3.send(new GetObjectAclCommand({ Bucket: 'site', Key: 'missing' })), 'NoSuchKey', 404);
  });

  test('bucket ACLs: public-read lists, public-read-write takes uploads', async () => {
    await s3.send(new PutBucketAclCommand({ Bucket: 'site', ACL: 'public-read' }));
    const list = await anonymous('site?list-type=2');
    assert.equal(list.status, 200);
    assert.match(list.body, /<Key>index.html<\/Key>/);
    await denied('site/new.txt', { method: 'PUT', body: 'x' });
    await s3.send(new PutBucketAclCommand({ Bucket: 'site', ACL: 'public-read-write' }));
    assert.equal((await anonymous('site/dropbox.txt', { method: 'PUT', body: 'dropped' })).status, 200);
    const grants = (await s3.send(new GetBucketAclCommand({ Bucket: 'site' }))).Grants?.map((g) => g.Permission);
    assert.deepEqual(grants, ['FULL_CONTROL', 'READ', 'WRITE']);
    await s3.send(new PutBucketAclCommand({ Bucket: 'site', ACL: 'private' }));
    await denied('site');
  });

  test('Block Public Access overrides public ACLs and refuses new ones', async () => {
    await rejectsWith(s3.send(new GetPublicAccessBlockCommand({ Bucket: 'site' })), 'NoSuchPublicAccessBlockConfiguration', 404);
    assert.equal((await anonymous('site/index.html')).status, 200);
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: 'site', PublicAccessBlockConfiguration: { IgnorePublicAcls: true, BlockPublicAcls: true } }));
    assert.deepEqual((await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'site' }))).PublicAccessBlockConfiguration, {
      BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false,
    });
    await denied('site/index.html');
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'more.html', Body: 'x', ACL: 'public-read' })), 'AccessDenied', 403);
    await rejectsWith(s3.send(new PutBucketAclCommand({ Bucket: 'site', ACL: 'public-read' })), 'AccessDenied', 403);
    await s3.send(new PutObjectCommand({ Bucket: 'site', Key: 'more.html', Body: 'x', ACL: 'private' }));
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'site' }));
    assert.equal((await anonymous('site/index.html')).status, 200);
  });

  test('a bucket policy for Principal "*" lets anonymous callers in; Deny and Block Public Access win', async () => {
    for (const Key of ['public/a.txt', 'public/hidden.txt', 'private/b.txt']) await s3.send(new PutObjectCommand({ Bucket: 'policied', Key, Body: Key }));
    await denied('policied/public/a.txt');
    await s3.send(new PutBucketPolicyCommand({
      Bucket: 'policied',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::policied/public/*' },
          { Sid: 'Hidden', Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::policied/public/hidden.txt' },
          { Sid: 'LocalList', Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::policied', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
        ],
      }),
    }));
    assert.deepEqual(await anonymous('policied/public/a.txt'), { status: 200, body: 'public/a.txt' });
    await denied('policied/public/hidden.txt');
    await denied('policied/private/b.txt');
    // The condition does not hold for a loopback caller.
    await denied('policied');
    // The owner's signed requests are not held to the policy's statements for everyone.
    await s3.send(new PutObjectCommand({ Bucket: 'policied', Key: 'public/hidden.txt', Body: 'still writable' }));

    await s3.send(new PutPublicAccessBlockCommand({ Bucket: 'policied', PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
    await denied('policied/public/a.txt');
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: 'policied', PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }));
    assert.equal((await anonymous('policied/public/a.txt')).status, 200);
    await rejectsWith(s3.send(new PutBucketPolicyCommand({
      Bucket: 'policied',
      Policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::policied/*' }] }),
    })), 'AccessDenied', 403);
  });
});
