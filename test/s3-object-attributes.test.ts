import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectAttributesCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { rejectsWith } from './support/aws-errors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliOrBoto3Skip, runCommand } from './support/cli.js';


describe('S3 GetObjectAttributes', () => {
  let server: TestServer;
  let s3: S3Client;
  let plainVersion: string | undefined;
  const MIB5 = 5 * 1024 * 1024;
  before(async () => {
    server = await startTestServer();
    s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, forcePathStyle: true, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'attrs' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'attrs', VersioningConfiguration: { Status: 'Enabled' } }));
    plainVersion = (await s3.send(new PutObjectCommand({ Bucket: 'attrs', Key: 'plain', Body: 'hello', ChecksumAlgorithm: 'SHA256' }))).VersionId;
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'attrs', Key: 'multi', ChecksumAlgorithm: 'CRC32' }));
    const parts = [];
    for (const [n, body] of [[1, Buffer.alloc(MIB5, 1)], [2, Buffer.from('tail')]] as const) {
      const part = await s3.send(new UploadPartCommand({ Bucket: 'attrs', Key: 'multi', UploadId: upload.UploadId, PartNumber: n, Body: body, ChecksumAlgorithm: 'CRC32' }));
      parts.push({ PartNumber: n, ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32 });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: 'attrs', Key: 'multi', UploadId: upload.UploadId, MultipartUpload: { Parts: parts } }));
  });
  after(async () => {
    s3?.destroy();
    await server?.stop();
  });

  test('ETag, Checksum, StorageClass and ObjectSize of a single-part object, with its version', async () => {
    const out = await s3.send(new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'plain', ObjectAttributes: ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'] }));
    assert.equal(out.ETag, '5d41402abc4b2a76b9719d911017c592');
    assert.equal(out.Checksum?.ChecksumSHA256, 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=');
    assert.equal(out.ObjectParts, undefined);
    assert.equal(out.StorageClass, 'STANDARD');
    assert.equal(out.ObjectSize, 5);
    assert.equal(out.VersionId, plainVersion);
    assert.ok(out.LastModified instanceof Date);
    const onlySize = await s3.send(new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'plain', ObjectAttributes: ['ObjectSize'] }));
    assert.equal(onlySize.ETag, undefined);
    assert.equal(onlySize.ObjectSize, 5);
  });

  test('ObjectParts of a multipart object, paged by MaxParts and PartNumberMarker', async () => {
    const out = await s3.send(new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'multi', ObjectAttributes: ['ObjectParts', 'Checksum', 'ETag'], MaxParts: 1 }));
    assert.match(out.ETag ?? '', /^[0-9a-f]{32}-2$/);
    assert.match(out.Checksum?.ChecksumCRC32 ?? '', /-2$/);
    assert.equal(out.ObjectParts?.TotalPartsCount, 2);
    assert.equal(out.ObjectParts?.IsTruncated, true);
    assert.deepEqual(out.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size]), [[1, MIB5]]);
    const next = await s3.send(new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'multi', ObjectAttributes: ['ObjectParts'], PartNumberMarker: out.ObjectParts?.NextPartNumberMarker }));
    assert.deepEqual(next.ObjectParts?.Parts?.map((p) => [p.PartNumber, p.Size]), [[2, 4]]);
    assert.equal(next.ObjectParts?.IsTruncated, false);
  });

  test('errors: unknown attribute, missing key, unknown version', async () => {
    await rejectsWith(s3.send(new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'plain', ObjectAttributes: ['Size' as 'ETag'] })), 'InvalidArgument', 400, 'Invalid attribute name specified.');
    await rejectsWith(s3.send(new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'nope', ObjectAttributes: ['ETag'] })), 'NoSuchKey', 404);
    await rejectsWith(s3.send(new GetObjectAttributesCommand({ Bucket: 'attrs', Key: 'plain', VersionId: 'AAAAAAAAAAAAAAAA', ObjectAttributes: ['ETag'] })), 'NoSuchVersion', 404);
    await rejectsWith(s3.send(new GetObjectAttributesCommand({ Bucket: 'no-bucket', Key: 'plain', ObjectAttributes: ['ETag'] })), 'NoSuchBucket', 404);
  });

  test('the AWS CLI and boto3', { skip: awsCliOrBoto3Skip }, async () => {
    const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1' };
    const cli = await runCommand('aws', ['--endpoint-url', server.url, 's3api', 'get-object-attributes', '--bucket', 'attrs', '--key', 'multi', '--object-attributes', 'ObjectSize', 'ObjectParts'], env);
    assert.equal(cli.code, 0, cli.stderr);
    const parsed = JSON.parse(cli.stdout) as { ObjectSize: number; ObjectParts: { TotalPartsCount: number } };
    assert.equal(parsed.ObjectSize, MIB5 + 4);
    assert.equal(parsed.ObjectParts.TotalPartsCount, 2);
    const script = `
import sys, boto3
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
out = s3.get_object_attributes(Bucket='attrs', Key='plain', ObjectAttributes=['ETag', 'StorageClass', 'ObjectSize'])
print(out['ETag'], out['StorageClass'], out['ObjectSize'])
`;
    const out = await runCommand('python3', ['-c', script, server.url], {});
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.trim(), '5d41402abc4b2a76b9719d911017c592 STANDARD 5');
  });
});
