import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CreateFunctionCommand, GetFunctionCommand, InvokeCommand, PublishLayerVersionCommand, UpdateFunctionCodeCommand, waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { rejectsWith } from './support/aws-errors.js';
import { s3Client } from './support/s3.js';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, ROLE } from './support/zip.js';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('base64');

describe('Lambda deploys code from the embedded S3', () => {
  let server: TestServer;
  let s3: S3Client;
  let lambda: LambdaClient;
  const v1 = makeZip({ 'index.js': 'exports.handler = async () => "from s3 v1";\n' });
  const v2 = makeZip({ 'index.js': 'exports.handler = async () => "from s3 v2";\n' });
  let v1Version: string | undefined;

  before(async () => {
    server = await startTestServer();
    s3 = s3Client(server);
    lambda = server.lambda();
    await s3.send(new CreateBucketCommand({ Bucket: 'deploy' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'deploy', VersioningConfiguration: { Status: 'Enabled' } }));
    v1Version = (await s3.send(new PutObjectCommand({ Bucket: 'deploy', Key: 'fn.zip', Body: v1 }))).VersionId;
    await s3.send(new PutObjectCommand({ Bucket: 'deploy', Key: 'fn.zip', Body: v2 }));
  });
  after(async () => {
    s3?.destroy();
    lambda?.destroy();
    await server?.stop();
  });

  test('CreateFunction and UpdateFunctionCode with S3Bucket/S3Key/S3ObjectVersion', async () => {
    const created = await lambda.send(new CreateFunctionCommand({
      FunctionName: 'from-s3', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Timeout: 30, Code: { S3Bucket: 'deploy', S3Key: 'fn.zip', S3ObjectVersion: v1Version },
    }));
    assert.equal(created.CodeSha256, sha256(v1));
    assert.equal(created.CodeSize, v1.length);
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60, minDelay: 1 }, { FunctionName: 'from-s3' });
    const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'from-s3', S3Bucket: 'deploy', S3Key: 'fn.zip' }));
    assert.equal(updated.CodeSha256, sha256(v2));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 60, minDelay: 1 }, { FunctionName: 'from-s3' });
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'from-s3' }));
    assert.equal(fn.Configuration?.CodeSha256, sha256(v2));
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'from-s3' }));
    assert.equal(Buffer.from(out.Payload ?? []).toString(), '"from s3 v2"');
  });

  test('PublishLayerVersion with Content from S3', async () => {
    const layer = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'from-s3-layer', Content: { S3Bucket: 'deploy', S3Key: 'fn.zip' } }));
    assert.equal(layer.Content?.CodeSha256, sha256(v2));
  });

  test('missing bucket, key or version gives AWS GetObject errors', async () => {
    const base = { FunctionName: 'missing', Runtime: 'nodejs22.x' as const, Handler: 'index.handler', Role: ROLE };
    await rejectsWith(lambda.send(new CreateFunctionCommand({ ...base, Code: { S3Bucket: 'no-such-bucket', S3Key: 'fn.zip' } })), 'InvalidParameterValueException', 400,
      'Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist');
    await rejectsWith(lambda.send(new CreateFunctionCommand({ ...base, Code: { S3Bucket: 'deploy', S3Key: 'nope.zip' } })), 'InvalidParameterValueException', 400,
      'Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.');
    await rejectsWith(lambda.send(new CreateFunctionCommand({ ...base, Code: { S3Bucket: 'deploy', S3Key: 'fn.zip', S3ObjectVersion: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } })), 'InvalidParameterValueException', 400,
      'Error occurred while GetObject. S3 Error Code: NoSuchVersion. S3 Error Message: The specified version does not exist.');
    await s3.send(new PutObjectCommand({ Bucket: 'deploy', Key: 'not-a-zip.zip', Body: 'plain text' }));
    await rejectsWith(lambda.send(new CreateFunctionCommand({ ...base, Code: { S3Bucket: 'deploy', S3Key: 'not-a-zip.zip' } })), 'InvalidParameterValueException', 400,
      'Could not unzip uploaded file. Please check your file, then try to upload again.');
  });
});
