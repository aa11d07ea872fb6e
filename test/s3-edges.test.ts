import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketCommand, DeleteObjectCommand,
  DeleteObjectsCommand, GetBucketLoggingCommand, GetBucketTaggingCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand,
  ListMultipartUploadsCommand, ListObjectsV2Command, PutBucketLoggingCommand, PutBucketPolicyCommand, PutBucketTaggingCommand, PutBucketVersioningCommand,
  PutObjectCommand, PutObjectTaggingCommand, S3Client, SelectObjectContentCommand, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { rejectsWith } from './support/aws-errors.js';
import { rawRequest } from './support/raw-http.js';
import { s3Client, sha256Hex, signedS3Request } from './support/s3.js';
import { startTestServer, type TestServer } from './support/server.js';

// Texts from the Amazon S3 API Reference and User Guide (no S3 recordings in the parity data).
const PRECONDITION = 'At least one of the pre-conditions you specified did not hold';
const NO_SUCH_KEY = 'The specified key does not exist.';
const NOT_IMPLEMENTED = 'A header you provided implies functionality that is not implemented';

/** Polls `check` until it returns a value (no fixed sleeps: the flush runs in the background). */
async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('S3 at the edges through @aws-sdk/client-s3', () => {
  let server: TestServer;
  let s3: S3Client;
  const bucket = 'edges-bucket';

  before(async () => {
    server = await startTestServer({ LAMBKIN_S3_ACCESS_LOG_FLUSH_MS: '300' });
    s3 = s3Client(server);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  after(async () => {
    s3?.destroy();
    await server?.stop();
  });

  test('conditional PutObject: If-None-Match * and If-Match, as S3 answers them', async () => {
    const first = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/a', Body: 'one', IfNoneMatch: '*' }));
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/a', Body: 'two', IfNoneMatch: '*' })), 'PreconditionFailed', 412, PRECONDITION);
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/a', Body: 'two', IfNoneMatch: first.ETag! })), 'NotImplemented', 501, NOT_IMPLEMENTED);
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/a', Body: 'two', IfMatch: '"0123456789abcdef0123456789abcdef"' })), 'PreconditionFailed', 412, PRECONDITION);
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/missing', Body: 'x', IfMatch: first.ETag! })), 'NoSuchKey', 404, NO_SUCH_KEY);
    const second = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/a', Body: 'two', IfMatch: first.ETag! }));
    assert.notEqual(second.ETag, first.ETag);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond/a' }));
    assert.equal(await got.Body?.transformToString(), 'two');
    // A delete marker is no current object: If-None-Match passes, If-Match finds no key.
    await s3.send(new CreateBucketCommand({ Bucket: 'edges-versioned-cond' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'edges-versioned-cond', VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket: 'edges-versioned-cond', Key: 'k', Body: 'v1' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'edges-versioned-cond', Key: 'k' }));
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'edges-versioned-cond', Key: 'k', Body: 'v2', IfMatch: '*' })), 'NoSuchKey', 404, NO_SUCH_KEY);
    await s3.send(new PutObjectCommand({ Bucket: 'edges-versioned-cond', Key: 'k', Body: 'v2', IfNoneMatch: '*' }));
  });

  test('two writers racing with If-None-Match: * — exactly one wins', async () => {
    const writers = Array.from({ length: 8 }, (_, i) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'race/put', Body: `writer ${i}`, IfNoneMatch: '*' })).then(
        () => ({ ok: true as const, i }),
        (err: Error & { $metadata?: { httpStatusCode?: number } }) => ({ ok: false as const, i, name: err.name, status: err.$metadata?.httpStatusCode }),
      ),
    );
    const results = await Promise.all(writers);
    const winners = results.filter((r) => r.ok);
    assert.equal(winners.length, 1, JSON.stringify(results));
    for (const r of results) if (!r.ok) assert.deepEqual([r.name, r.status], ['PreconditionFailed', 412]);
    const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'race/put' }))).Body?.transformToString();
    assert.equal(body, `writer ${winners[0]!.i}`);

    // Two multipart uploads of one key completing at once: one object, the other 412.
    const uploads = await Promise.all([0, 1].map(async (i) => {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'race/multipart' }));
      const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'race/multipart', UploadId, PartNumber: 1, Body: `upload ${i}` }));
      return { UploadId: UploadId!, ETag: part.ETag! };
    }));
    const completions = await Promise.all(uploads.map((u) =>
      s3.send(new CompleteMultipartUploadCommand({
        Bucket: bucket, Key: 'race/multipart', UploadId: u.UploadId, IfNoneMatch: '*', MultipartUpload: { Parts: [{ PartNumber: 1, ETag: u.ETag }] },
      })).then(() => 'ok', (err: Error & { $metadata?: { httpStatusCode?: number } }) => `${err.name} ${err.$metadata?.httpStatusCode}`),
    ));
    assert.deepEqual([...completions].sort(), ['PreconditionFailed 412', 'ok']);
  });

  test('conditional DeleteObject and DeleteObjects: If-Match on the current version', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/del', Body: 'x' }));
    await rejectsWith(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'cond/del', IfMatch: '"ffffffffffffffffffffffffffffffff"' })), 'PreconditionFailed', 412, PRECONDITION);
    await rejectsWith(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'cond/nothing', IfMatch: '*' })), 'NoSuchKey', 404, NO_SUCH_KEY);
    // Last-modified-time and size conditions are for directory buckets: a general purpose bucket refuses them.
    await rejectsWith(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'cond/del', IfMatchSize: 1 })), 'NotImplemented', 501, NOT_IMPLEMENTED);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'cond/del', IfMatch: put.ETag! }));
    await rejectsWith(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cond/del' })), 'NotFound', 404);

    const a = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/batch-a', Body: 'a' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond/batch-b', Body: 'b' }));
    const batch = await s3.send(new DeleteObjectsCommand({
      Bucket: bucket,
      Delete: { Objects: [{ Key: 'cond/batch-a', ETag: a.ETag! }, { Key: 'cond/batch-b', ETag: '"00000000000000000000000000000000"' }] },
    }));
    assert.deepEqual(batch.Deleted?.map((d) => d.Key), ['cond/batch-a']);
    assert.deepEqual(batch.Errors?.map((e) => [e.Key, e.Code, e.Message]), [['cond/batch-b', 'PreconditionFailed', PRECONDITION]]);
  });

  test('CompleteMultipartUpload: If-None-Match, If-Match, and completing again answers as the first time', async () => {
    const key = 'mp/idempotent';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: 'only part' }));
    const parts = { Parts: [{ PartNumber: 1, ETag: part.ETag! }] };
    await rejectsWith(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, IfMatch: '"0123456789abcdef0123456789abcdef"', MultipartUpload: parts })),
      'NoSuchKey', 404, NO_SUCH_KEY,
    );
    const first = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: parts }));
    const again = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: parts }));
    assert.equal(again.ETag, first.ETag);
    assert.equal(again.Location, first.Location);
    await rejectsWith(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] } })),
      'NoSuchUpload', 404,
    );
    const { UploadId: second } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: second, PartNumber: 1, Body: 'again' }));
    await rejectsWith(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: second, IfNoneMatch: '*', MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p2.ETag! }] } })),
      'PreconditionFailed', 412, PRECONDITION,
    );
    const replaced = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: second, IfMatch: first.ETag!, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p2.ETag! }] } }));
    assert.notEqual(replaced.ETag, first.ETag);
  });

  test('ListMultipartUploads with prefix, delimiter and markers', async () => {
    const b = 'edges-uploads';
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    const ids: Record<string, string> = {};
    for (const key of ['a/1', 'a/2', 'b/1', 'c', 'c']) {
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: b, Key: key }));
      ids[key] = ids[key] ? `${ids[key]} ${UploadId}` : UploadId!;
    }
    const folded = await s3.send(new ListMultipartUploadsCommand({ Bucket: b, Delimiter: '/' }));
    assert.deepEqual(folded.CommonPrefixes?.map((p) => p.Prefix), ['a/', 'b/']);
    assert.deepEqual(folded.Uploads?.map((u) => u.Key), ['c', 'c']);
    const prefixed = await s3.send(new ListMultipartUploadsCommand({ Bucket: b, Prefix: 'a/', Delimiter: '/' }));
    assert.deepEqual(prefixed.Uploads?.map((u) => u.Key), ['a/1', 'a/2']);
    assert.equal(prefixed.CommonPrefixes, undefined);
    const page = await s3.send(new ListMultipartUploadsCommand({ Bucket: b, MaxUploads: 3 }));
    assert.equal(page.IsTruncated, true);
    assert.deepEqual(page.Uploads?.map((u) => u.Key), ['a/1', 'a/2', 'b/1']);
    const rest = await s3.send(new ListMultipartUploadsCommand({ Bucket: b, KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker }));
    assert.deepEqual(rest.Uploads?.map((u) => u.Key), ['c', 'c']);
    const cIds = ids.c!.split(' ');
    const afterFirstC = await s3.send(new ListMultipartUploadsCommand({ Bucket: b, KeyMarker: 'c', UploadIdMarker: rest.Uploads![0]!.UploadId }));
    assert.deepEqual(afterFirstC.Uploads?.map((u) => u.UploadId), [rest.Uploads![1]!.UploadId]);
    assert.deepEqual(new Set(rest.Uploads?.map((u) => u.UploadId)), new Set(cIds));
    const pastKey = await s3.send(new ListMultipartUploadsCommand({ Bucket: b, KeyMarker: 'b/1' }));
    assert.deepEqual(pastKey.Uploads?.map((u) => u.Key), ['c', 'c']);
  });

  test('copy onto itself needs a change; REPLACE and the tagging directive', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'copy/self', Body: 'x', Metadata: { a: '1' }, Tagging: 't=1' }));
    await rejectsWith(
      s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy/self', CopySource: `${bucket}/copy/self` })),
      'InvalidRequest', 400,
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy/self', CopySource: `${bucket}/copy/self`, MetadataDirective: 'REPLACE', Metadata: { b: '2' } }));
    assert.deepEqual((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'copy/self' }))).Metadata, { b: '2' });
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy/tags-copied', CopySource: `${bucket}/copy/self` }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'copy/tags-copied' }))).TagSet, [{ Key: 't', Value: '1' }]);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy/tags-replaced', CopySource: `${bucket}/copy/self`, TaggingDirective: 'REPLACE', Tagging: 'u=2' }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'copy/tags-replaced' }))).TagSet, [{ Key: 'u', Value: '2' }]);
    await rejectsWith(
      s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy/tags-replaced', CopySource: `${bucket}/copy/self`, IfNoneMatch: '*' })),
      'PreconditionFailed', 412, PRECONDITION,
    );
    // The source's checksum travels with a copy; another algorithm asked for is computed.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'copy/summed', Body: 'checksummed', ChecksumAlgorithm: 'SHA256' }));
    const kept = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy/summed-kept', CopySource: `${bucket}/copy/summed` }));
    assert.equal(kept.CopyObjectResult?.ChecksumSHA256, createHash('sha256').update('checksummed').digest('base64'));
    const changed = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'copy/summed-sha1', CopySource: `${bucket}/copy/summed`, ChecksumAlgorithm: 'SHA1' }));
    assert.equal(changed.CopyObjectResult?.ChecksumSHA1, createHash('sha1').update('checksummed').digest('base64'));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'copy/summed-sha1', ChecksumMode: 'ENABLED' }));
    assert.equal(head.ChecksumSHA1, changed.CopyObjectResult?.ChecksumSHA1);
    // In a versioned bucket, copying an older version onto its key restores it as a new version.
    const v = 'edges-copy-versions';
    await s3.send(new CreateBucketCommand({ Bucket: v }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: v, VersioningConfiguration: { Status: 'Enabled' } }));
    const old = await s3.send(new PutObjectCommand({ Bucket: v, Key: 'doc', Body: 'old' }));
    await s3.send(new PutObjectCommand({ Bucket: v, Key: 'doc', Body: 'new' }));
    const restored = await s3.send(new CopyObjectCommand({ Bucket: v, Key: 'doc', CopySource: `${v}/doc?versionId=${old.VersionId}` }));
    assert.equal(restored.CopySourceVersionId, old.VersionId);
    assert.ok(restored.VersionId && restored.VersionId !== old.VersionId);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: v, Key: 'doc' }))).Body?.transformToString(), 'old');
  });

  test('tagging rules: counts, reserved prefix, duplicates, characters, NoSuchTagSet', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tags/k', Body: 'x' }));
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    await rejectsWith(s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'tags/k', Tagging: { TagSet: many(11) } })), 'BadRequest', 400, 'Object tags cannot be greater than 10');
    await rejectsWith(s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'tags/k', Tagging: { TagSet: [{ Key: 'aws:owner', Value: 'x' }] } })), 'InvalidTag', 400, 'System tags cannot be added/updated by requester');
    await rejectsWith(s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'tags/k', Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })), 'InvalidTag', 400, 'Cannot provide multiple Tags with the same key');
    await rejectsWith(s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'tags/k', Tagging: { TagSet: [{ Key: 'k'.repeat(129), Value: '1' }] } })), 'InvalidTag', 400, 'The TagKey you have provided is invalid');
    await rejectsWith(s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'tags/k', Tagging: { TagSet: [{ Key: 'k', Value: 'v'.repeat(257) }] } })), 'InvalidTag', 400, 'The TagValue you have provided is invalid');
    await rejectsWith(s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'tags/k', Tagging: { TagSet: [{ Key: 'semi;colon', Value: '1' }] } })), 'InvalidTag', 400, 'The TagKey you have provided is invalid');
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'tags/k', Tagging: { TagSet: [{ Key: 'Straße 1+2=3', Value: 'a/b:c@d_e.f-g' }, ...many(9)] } }));
    // The same rules on PutObject's x-amz-tagging.
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tags/h', Body: 'x', Tagging: 'a=1&a=2' })), 'InvalidTag', 400, 'Cannot provide multiple Tags with the same key');
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tags/h', Body: 'x', Tagging: 'aws%3Ax=1' })), 'InvalidTag', 400, 'System tags cannot be added/updated by requester');
    await rejectsWith(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), 'NoSuchTagSet', 404, 'The TagSet does not exist');
    await rejectsWith(s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: many(51) } })), 'BadRequest', 400, 'Bucket tag count cannot be greater than 50');
    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: many(50) } }));
    assert.equal((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet?.length, 50);
  });

  test('buckets: location constraints, ownership across accounts, BucketNotEmpty, delete markers', async () => {
    await rejectsWith(s3.send(new CreateBucketCommand({ Bucket: 'edges-moon', CreateBucketConfiguration: { LocationConstraint: 'moon-1' as never } })), 'InvalidLocationConstraint', 400, 'The specified location-constraint is not valid');
    await rejectsWith(s3.send(new CreateBucketCommand({ Bucket: 'edges-use1', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } })), 'InvalidLocationConstraint', 400, 'The specified location-constraint is not valid');
    const eu = s3Client(server, { region: 'eu-west-1' });
    await rejectsWith(
      eu.send(new CreateBucketCommand({ Bucket: 'edges-eu-wrong', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } })),
      'IllegalLocationConstraintException', 400, 'The us-west-2 location constraint is incompatible for the region specific endpoint this request was sent to.',
    );
    eu.destroy();
    const other = new S3Client({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: '111122223333', secretAccessKey: 'test' } });
    await rejectsWith(other.send(new CreateBucketCommand({ Bucket: bucket })), 'BucketAlreadyExists', 409);
    other.destroy();

    const v = 'edges-markers';
    await s3.send(new CreateBucketCommand({ Bucket: v }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: v, VersioningConfiguration: { Status: 'Enabled' } }));
    const put = await s3.send(new PutObjectCommand({ Bucket: v, Key: 'k', Body: 'x' }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: v, Key: 'k' }));
    assert.equal(marker.DeleteMarker, true);
    assert.ok(marker.VersionId && marker.VersionId !== put.VersionId);
    await s3.send(new DeleteObjectCommand({ Bucket: v, Key: 'k', VersionId: put.VersionId }));
    // Only a delete marker is left, and that is enough to keep the bucket.
    await rejectsWith(s3.send(new DeleteBucketCommand({ Bucket: v })), 'BucketNotEmpty', 409, 'The bucket you tried to delete is not empty');
    const removed = await s3.send(new DeleteObjectCommand({ Bucket: v, Key: 'k', VersionId: marker.VersionId }));
    assert.equal(removed.DeleteMarker, true);
    assert.equal(removed.VersionId, marker.VersionId);
    await s3.send(new DeleteBucketCommand({ Bucket: v }));
  });

  test("server access logging: configuration, its checks, and records delivered to a target bucket whose policy lets S3's log delivery write", async () => {
    const source = 'edges-logged';
    const target = 'edges-logs';
    await s3.send(new CreateBucketCommand({ Bucket: source }));
    await s3.send(new CreateBucketCommand({ Bucket: target, ObjectOwnership: 'BucketOwnerEnforced' }));
    /** The policy the S3 User Guide gives a log target: `logging.s3.amazonaws.com` may put objects for one source bucket of this account. */
    const loggingPolicy = (bucket: string, sourceBucket: string) => JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/*`,
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${sourceBucket}` }, StringEquals: { 'aws:SourceAccount': '000000000000' } },
      }],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: target, Policy: loggingPolicy(target, source) }));
    // A target whose policy names another source bucket gets nothing from this one. Its records are
    // noted first, so they are dealt with before the other target's object is written.
    const closedSource = 'edges-logged-closed';
    const closed = 'edges-logs-closed';
    await s3.send(new CreateBucketCommand({ Bucket: closedSource }));
    await s3.send(new CreateBucketCommand({ Bucket: closed, ObjectOwnership: 'BucketOwnerEnforced' }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: closed, Policy: loggingPolicy(closed, source) }));
    await s3.send(new PutBucketLoggingCommand({ Bucket: closedSource, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: closed, TargetPrefix: 'access/' } } }));
    await s3.send(new PutObjectCommand({ Bucket: closedSource, Key: 'k', Body: 'x' }));
    assert.deepEqual((await s3.send(new GetBucketLoggingCommand({ Bucket: source }))).LoggingEnabled, undefined);
    await rejectsWith(
      s3.send(new PutBucketLoggingCommand({ Bucket: source, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'edges-no-such-target', TargetPrefix: 'x/' } } })),
      'InvalidTargetBucketForLogging', 400, 'The target bucket for logging does not exist',
    );
    const eu = s3Client(server, { region: 'eu-west-1' });
    await eu.send(new CreateBucketCommand({ Bucket: 'edges-logs-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    eu.destroy();
    await rejectsWith(
      s3.send(new PutBucketLoggingCommand({ Bucket: source, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'edges-logs-eu', TargetPrefix: 'x/' } } })),
      'CrossLocationLoggingProhibitted', 403, 'Cross S3 location logging not allowed. ',
    );
    const other = new S3Client({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: '111122223333', secretAccessKey: 'test' } });
    await other.send(new CreateBucketCommand({ Bucket: 'edges-logs-other-account' }));
    other.destroy();
    await rejectsWith(
      s3.send(new PutBucketLoggingCommand({ Bucket: source, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'edges-logs-other-account', TargetPrefix: 'x/' } } })),
      'InvalidTargetBucketForLogging', 400, 'The owner for the bucket to be logged and the target bucket must be the same.',
    );
    await s3.send(new PutBucketLoggingCommand({ Bucket: source, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: target, TargetPrefix: 'access/' } } }));
    assert.deepEqual((await s3.send(new GetBucketLoggingCommand({ Bucket: source }))).LoggingEnabled, { TargetBucket: target, TargetPrefix: 'access/' });

    await s3.send(new PutObjectCommand({ Bucket: source, Key: 'photos/cat 1.jpg', Body: 'meow' }));
    await s3.send(new GetObjectCommand({ Bucket: source, Key: 'photos/cat 1.jpg' })).then((r) => r.Body?.transformToString());
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket: source, Key: 'absent' })), 'NoSuchKey', 404);
    // Records may come in more than one object (a flush can fall between the requests).
    let text = '';
    const logKeys = await eventually(async () => {
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: target, Prefix: 'access/' }));
      const keys = listed.Contents?.map((c) => c.Key!) ?? [];
      text = '';
      for (const key of keys) text += await (await s3.send(new GetObjectCommand({ Bucket: target, Key: key }))).Body!.transformToString();
      return text.includes(' REST.GET.OBJECT absent ') ? keys : undefined;
    }, 'access log objects with every request');
    assert.match(logKeys[0]!, /^access\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$/);
    const lines = text.trim().split('\n');
    const put = lines.find((l) => l.includes(' REST.PUT.OBJECT '));
    assert.ok(put, text);
    // owner bucket [time] ip requester request-id operation key "request-uri" status error bytes size total turnaround "referer" "agent" version host-id sigv cipher auth host tls ap acl
    assert.match(
      put!,
      /^[0-9a-f]{64} edges-logged \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] \S+ arn:aws:iam::000000000000:root \S+ REST\.PUT\.OBJECT photos\/cat%201\.jpg "PUT \/edges-logged\/photos\/cat%201\.jpg[^"]* HTTP\/1\.1" 200 - - 4 \d+ \d+ "-" "[^"]+" - \S+ SigV4 - AuthHeader \S+ - - -$/,
    );
    const get = lines.find((l) => l.includes(' REST.GET.OBJECT photos/'));
    assert.match(get!, / 200 - 4 4 /);
    const missing = lines.find((l) => l.includes(' REST.GET.OBJECT absent '));
    assert.match(missing!, / 404 NoSuchKey \d+ - \d+ - /);
    // The logging configuration requests themselves are logged too.
    assert.ok(lines.some((l) => l.includes(' REST.PUT.LOGGING_STATUS ')), text);
    assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: closed }))).KeyCount, 0, 'the target whose policy names another source');

    await s3.send(new PutBucketLoggingCommand({ Bucket: source, BucketLoggingStatus: {} }));
    assert.equal((await s3.send(new GetBucketLoggingCommand({ Bucket: source }))).LoggingEnabled, undefined);
  });

  test('SelectObjectContent answers as S3 answers an account without S3 Select', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'select/data.csv', Body: 'a,b\n1,2\n' }));
    const select = (Key: string) =>
      s3.send(new SelectObjectContentCommand({
        Bucket: bucket, Key, Expression: 'SELECT * FROM S3Object', ExpressionType: 'SQL',
        InputSerialization: { CSV: {} }, OutputSerialization: { CSV: {} },
      }));
    await rejectsWith(select('select/data.csv'), 'MethodNotAllowed', 405, 'The specified method is not allowed against this resource.');
    await rejectsWith(select('select/absent.csv'), 'NoSuchKey', 404, NO_SUCH_KEY);
  });

  test('response details: XML content type and both request ids on errors, HEAD errors without a body', async () => {
    const signed = async (method: string, path: string) => (await signedS3Request(server.url, { method, path, headers: { 'x-amz-content-sha256': sha256Hex('') } })).response;
    const missing = await signed('GET', `/${bucket}/no/such/key`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['content-type'], 'application/xml');
    assert.ok(missing.headers['x-amz-request-id']);
    assert.ok(missing.headers['x-amz-id-2']);
    assert.match(missing.body, /<Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>no\/such\/key<\/Key>/);
    const head = await signed('HEAD', `/${bucket}/no/such/key`);
    assert.equal(head.status, 404);
    assert.equal(head.body.length, 0);
    assert.ok(head.headers['x-amz-id-2']);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'details/obj', Body: 'abc' }));
    const ok = await signed('HEAD', `/${bucket}/details/obj`);
    assert.equal(ok.headers['accept-ranges'], 'bytes');
    assert.match(ok.headers['etag'] as string, /^"[0-9a-f]{32}"$/);
    assert.match(ok.headers['last-modified'] as string, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    assert.ok(ok.headers['x-amz-id-2']);
    const unsigned = await rawRequest(server.url, { method: 'GET', path: `/${bucket}/details/obj` });
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.headers['content-type'], 'application/xml');
    assert.ok(unsigned.headers['x-amz-request-id'] && unsigned.headers['x-amz-id-2']);
    // Refused at the edge (bad signature): still S3's XML with both ids.
    const forged = await rawRequest(server.url, {
      method: 'GET', path: `/${bucket}/details/obj`,
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00', 'x-amz-date': '20260101T000000Z', 'x-amz-content-sha256': sha256Hex('') },
    });
    assert.equal(forged.status, 403);
    assert.equal(forged.headers['content-type'], 'application/xml');
    assert.ok(forged.headers['x-amz-request-id'] && forged.headers['x-amz-id-2']);
  });
});
