import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketEncryptionCommand, DeleteBucketOwnershipControlsCommand,
  GetBucketAclCommand, GetBucketEncryptionCommand, GetBucketOwnershipControlsCommand, GetBucketRequestPaymentCommand, GetObjectCommand, HeadObjectCommand,
  PutBucketAclCommand, PutBucketEncryptionCommand, PutBucketOwnershipControlsCommand, PutBucketPolicyCommand, PutBucketRequestPaymentCommand, PutObjectAclCommand,
  PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { rejectsWith } from './support/aws-errors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliOrBoto3Skip, runCommand } from './support/cli.js';


describe('S3 ownership controls, default encryption and requester pays', () => {
  let server: TestServer;
  let s3: S3Client;
  let other: S3Client;
  const client = (accessKeyId: string) => new S3Client({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'test' }, forcePathStyle: true, maxAttempts: 1 });
  before(async () => {
    server = await startTestServer();
    s3 = client('test');
    other = client('111111111111');
  });
  after(async () => {
    s3?.destroy();
    other?.destroy();
    await server?.stop();
  });

  test('ownership controls: BucketOwnerEnforced refuses ACLs but bucket-owner-full-control', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'owned' }));
    await rejectsWith(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'owned' })), 'OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found');
    await s3.send(new PutObjectCommand({ Bucket: 'owned', Key: 'public.txt', Body: 'x', ACL: 'public-read' }));
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: 'owned', OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
    const got = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'owned' }));
    assert.deepEqual(got.OwnershipControls?.Rules, [{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'owned', Key: 'a', Body: 'x', ACL: 'public-read' })), 'AccessControlListNotSupported', 400, 'The bucket does not allow ACLs');
    await rejectsWith(s3.send(new PutBucketAclCommand({ Bucket: 'owned', ACL: 'public-read' })), 'AccessControlListNotSupported', 400);
    await rejectsWith(s3.send(new PutObjectAclCommand({ Bucket: 'owned', Key: 'public.txt', ACL: 'private' })), 'AccessControlListNotSupported', 400);
    await s3.send(new PutObjectCommand({ Bucket: 'owned', Key: 'a', Body: 'x', ACL: 'bucket-owner-full-control' }));
    // Reading ACLs still works; the old public grant no longer lets anyone in.
    assert.ok((await s3.send(new GetBucketAclCommand({ Bucket: 'owned' }))).Owner?.ID);
    const anonymous = await fetch(`${server.url}/owned/public.txt`);
    assert.equal(anonymous.status, 403);
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: 'owned' }));
    assert.equal((await fetch(`${server.url}/owned/public.txt`)).status, 200);
    await rejectsWith(s3.send(new PutBucketOwnershipControlsCommand({ Bucket: 'owned', OwnershipControls: { Rules: [{ ObjectOwnership: 'Nobody' as 'ObjectWriter' }] } })), 'MalformedXML', 400);
    await rejectsWith(s3.send(new CreateBucketCommand({ Bucket: 'enforced-public', ObjectOwnership: 'BucketOwnerEnforced', ACL: 'public-read' })), 'InvalidBucketAclWithObjectOwnership', 400,
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
    await s3.send(new CreateBucketCommand({ Bucket: 'enforced', ObjectOwnership: 'BucketOwnerEnforced' }));
    assert.equal((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'enforced' }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'BucketOwnerEnforced');
  });

  test('default encryption is SSE-S3, a bucket default or the request\'s SSE headers, echoed on PUT, GET, HEAD, copies and uploads', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sealed' }));
    const initial = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'sealed' }));
    assert.deepEqual(initial.ServerSideEncryptionConfiguration?.Rules, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
    const plain = await s3.send(new PutObjectCommand({ Bucket: 'sealed', Key: 'plain', Body: 'x' }));
    assert.equal(plain.ServerSideEncryption, 'AES256');
    const key = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    await s3.send(new PutBucketEncryptionCommand({
      Bucket: 'sealed',
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key }, BucketKeyEnabled: true }] },
    }));
    const kms = await s3.send(new PutObjectCommand({ Bucket: 'sealed', Key: 'kms', Body: 'x' }));
    assert.equal(kms.ServerSideEncryption, 'aws:kms');
    assert.equal(kms.SSEKMSKeyId, key);
    assert.equal(kms.BucketKeyEnabled, true);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'sealed', Key: 'kms' }));
    assert.deepEqual([head.ServerSideEncryption, head.SSEKMSKeyId, head.BucketKeyEnabled], ['aws:kms', key, true]);
    const get = await s3.send(new GetObjectCommand({ Bucket: 'sealed', Key: 'plain' }));
    assert.equal(get.ServerSideEncryption, 'AES256');
    // The request's header wins over the default; a copy takes the request's or the target's, not the source's.
    assert.equal((await s3.send(new PutObjectCommand({ Bucket: 'sealed', Key: 'aes', Body: 'x', ServerSideEncryption: 'AES256' }))).ServerSideEncryption, 'AES256');
    const copied = await s3.send(new CopyObjectCommand({ Bucket: 'sealed', Key: 'copy', CopySource: 'sealed/aes' }));
    assert.equal(copied.ServerSideEncryption, 'aws:kms');
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'sealed', Key: 'big', ServerSideEncryption: 'AES256' }));
    assert.equal(upload.ServerSideEncryption, 'AES256');
    const part = await s3.send(new UploadPartCommand({ Bucket: 'sealed', Key: 'big', UploadId: upload.UploadId, PartNumber: 1, Body: 'part' }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'sealed', Key: 'big', UploadId: upload.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'sealed', Key: 'big' }))).ServerSideEncryption, 'AES256');
    // S3's checks on the request headers and the configuration.
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'sealed', Key: 'bad', Body: 'x', ServerSideEncryption: 'DES' as 'AES256' })), 'InvalidArgument', 400,
      'The encryption method specified is not supported');
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'sealed', Key: 'bad', Body: 'x', ServerSideEncryption: 'AES256', SSEKMSKeyId: key })), 'InvalidArgument', 400,
      'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms');
    await rejectsWith(s3.send(new PutBucketEncryptionCommand({
      Bucket: 'sealed', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: key } }] },
    })), 'InvalidArgument', 400, 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse');
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'sealed', Key: 'c', Body: 'x', SSECustomerAlgorithm: 'AES256', SSECustomerKey: 'a'.repeat(32) })), 'InvalidRequest', 400,
      'Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.');
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: 'sealed' }));
    assert.equal((await s3.send(new GetBucketEncryptionCommand({ Bucket: 'sealed' }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');
  });

  test('requester pays: stored, and another account must say it pays', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'paid' }));
    await s3.send(new PutObjectCommand({ Bucket: 'paid', Key: 'data', Body: 'bytes' }));
    assert.equal((await s3.send(new GetBucketRequestPaymentCommand({ Bucket: 'paid' }))).Payer, 'BucketOwner');
    await s3.send(new PutBucketRequestPaymentCommand({ Bucket: 'paid', RequestPaymentConfiguration: { Payer: 'Requester' } }));
    assert.equal((await s3.send(new GetBucketRequestPaymentCommand({ Bucket: 'paid' }))).Payer, 'Requester');
    await s3.send(new PutBucketPolicyCommand({
      Bucket: 'paid',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::paid/*' }] }),
    }));
    // The owner pays for its own requests.
    assert.equal((await s3.send(new GetObjectCommand({ Bucket: 'paid', Key: 'data' }))).RequestCharged, undefined);
    await rejectsWith(other.send(new GetObjectCommand({ Bucket: 'paid', Key: 'data' })), 'AccessDenied', 403);
    const paid = await other.send(new GetObjectCommand({ Bucket: 'paid', Key: 'data', RequestPayer: 'requester' }));
    assert.equal(paid.RequestCharged, 'requester');
    assert.equal(await paid.Body?.transformToString(), 'bytes');
    await rejectsWith(s3.send(new PutBucketRequestPaymentCommand({ Bucket: 'paid', RequestPaymentConfiguration: { Payer: 'Nobody' as 'Requester' } })), 'MalformedXML', 400);
  });

  test('the AWS CLI and boto3', { skip: awsCliOrBoto3Skip }, async () => {
    const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1' };
    const cli = (...args: string[]) => runCommand('aws', ['--endpoint-url', server.url, 's3api', ...args], env);
    assert.equal((await cli('create-bucket', '--bucket', 'cli-settings', '--object-ownership', 'BucketOwnerEnforced')).code, 0);
    const acl = await cli('put-object', '--bucket', 'cli-settings', '--key', 'k', '--acl', 'public-read');
    assert.match(acl.stderr, /AccessControlListNotSupported.*The bucket does not allow ACLs/);
    assert.equal((await cli('put-bucket-encryption', '--bucket', 'cli-settings', '--server-side-encryption-configuration',
      '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/app"}}]}')).code, 0);
    const put = await cli('put-object', '--bucket', 'cli-settings', '--key', 'k');
    assert.equal(JSON.parse(put.stdout).ServerSideEncryption, 'aws:kms');
    assert.equal((await cli('put-bucket-request-payment', '--bucket', 'cli-settings', '--request-payment-configuration', 'Payer=Requester')).code, 0);
    assert.equal(JSON.parse((await cli('get-bucket-request-payment', '--bucket', 'cli-settings')).stdout).Payer, 'Requester');
    const script = `
import sys, boto3
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
print(s3.get_bucket_ownership_controls(Bucket='cli-settings')['OwnershipControls']['Rules'][0]['ObjectOwnership'])
enc = s3.get_bucket_encryption(Bucket='cli-settings')['ServerSideEncryptionConfiguration']['Rules'][0]['ApplyServerSideEncryptionByDefault']
print(enc['SSEAlgorithm'], enc['KMSMasterKeyID'])
head = s3.head_object(Bucket='cli-settings', Key='k')
print(head['ServerSideEncryption'], head['SSEKMSKeyId'])
print(s3.put_object(Bucket='cli-settings', Key='s3', Body=b'x', ServerSideEncryption='AES256')['ServerSideEncryption'])
`;
    const out = await runCommand('python3', ['-c', script, server.url], {});
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(out.stdout.trim().split('\n'), ['BucketOwnerEnforced', 'aws:kms alias/app', 'aws:kms alias/app', 'AES256']);
  });
});
