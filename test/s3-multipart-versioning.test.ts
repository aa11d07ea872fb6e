import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteObjectCommand,
  GetBucketVersioningCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectVersionsCommand, ListPartsCommand,
  PutBucketVersioningCommand, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { rejectsWith } from './support/aws-errors.js';
import { s3Client } from './support/s3.js';
import { startTestServer, type TestServer } from './support/server.js';

const MB = 1024 * 1024;
const md5 = (data: Buffer) => createHash('md5').update(data).digest();

describe('S3 multipart uploads and versioning', () => {
  let server: TestServer;
  let s3: S3Client;
  const bucket = 'mp-bucket';

  before(async () => {
    server = await startTestServer();
    s3 = s3Client(server);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  after(async () => {
    s3?.destroy();
    await server?.stop();
  });

  test('lib-storage Upload of 24 MB in 5 MB parts with CRC32 checksums', async () => {
    const data = randomBytes(24 * MB);
    const upload = new Upload({ client: s3, params: { Bucket: bucket, Key: 'large/blob.bin', Body: data, ChecksumAlgorithm: 'CRC32' }, partSize: 5 * MB, queueSize: 2 });
    const done = await upload.done();
    const partMd5s = [];
    for (let i = 0; i < data.length; i += 5 * MB) partMd5s.push(md5(data.subarray(i, i + 5 * MB)));
    const expectedEtag = `"${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-5"`;
    assert.equal(done.ETag, expectedEtag);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'large/blob.bin', ChecksumMode: 'ENABLED' }));
    assert.equal(head.ContentLength, data.length);
    assert.equal(head.ETag, expectedEtag);
    assert.match(head.ChecksumCRC32 ?? '', /^[A-Za-z0-9+/]{6}==-5$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'large/blob.bin' }));
    const back = Buffer.from(await got.Body!.transformToByteArray());
    assert.ok(back.equals(data));
    const part2 = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'large/blob.bin', PartNumber: 2 }));
    assert.equal(part2.PartsCount, 5);
    assert.equal(part2.ContentRange, `bytes ${5 * MB}-${10 * MB - 1}/${data.length}`);
    assert.ok(Buffer.from(await part2.Body!.transformToByteArray()).equals(data.subarray(5 * MB, 10 * MB)));
    const lastPart = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'large/blob.bin', PartNumber: 5 }));
    assert.equal(lastPart.ContentLength, 4 * MB);
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'large/blob.bin', PartNumber: 6 })), 'InvalidPartNumber', 416, 'The requested partnumber is not satisfiable');
    const ranged = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'large/blob.bin', Range: `bytes=${5 * MB - 2}-${5 * MB + 1}` }));
    assert.deepEqual(Buffer.from(await ranged.Body!.transformToByteArray()), data.subarray(5 * MB - 2, 5 * MB + 2));
  });

  test('complete validates order, ETags and part sizes; abort removes the upload; parts and uploads list', async () => {
    const key = 'manual.bin';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'application/x-test', Metadata: { m: '1' } }));
    assert.ok(UploadId);
    const p1 = randomBytes(5 * MB);
    const p2 = randomBytes(1000);
    const small = randomBytes(10);
    const e1 = (await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: p1 }))).ETag!;
    const e2 = (await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 2, Body: p2 }))).ETag!;
    const parts = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId }));
    assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag]), [[1, p1.length, e1], [2, p2.length, e2]]);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    assert.ok(uploads.Uploads?.some((u) => u.UploadId === UploadId && u.Key === key));

    await rejectsWith(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: e2 }, { PartNumber: 1, ETag: e1 }] } })),
      'InvalidPartOrder', 400, 'The list of parts was not in ascending order. Parts must be ordered by part number.');
    await rejectsWith(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"0000"' }] } })),
      'InvalidPart', 400, /One or more of the specified parts could not be found/);
    const e3 = (await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 3, Body: small }))).ETag!;
    await rejectsWith(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: e2 }, { PartNumber: 3, ETag: e3 }] } })),
      'EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size');

    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1 }, { PartNumber: 2, ETag: e2 }] } }));
    assert.match(done.ETag ?? '', /-2"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    assert.equal(got.ContentType, 'application/x-test');
    assert.deepEqual(got.Metadata, { m: '1' });
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([p1, p2])));
    await rejectsWith(s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId })), 'NoSuchUpload', 404);

    const second = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'aborted.bin' }));
    await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'aborted.bin', UploadId: second.UploadId, PartNumber: 1, Body: small }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: 'aborted.bin', UploadId: second.UploadId }));
    await rejectsWith(s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'aborted.bin', UploadId: second.UploadId, PartNumber: 2, Body: small })), 'NoSuchUpload', 404,
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.');
  });

  test('versioning: version ids, GET by version, delete markers, ListObjectVersions, deleting a marker restores', async () => {
    const b = 'versioned-bucket';
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: b }))).Status, undefined);
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'before versioning' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: b }))).Status, 'Enabled');
    const v1 = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'one' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'two' }));
    assert.ok(v1.VersionId && v2.VersionId && v1.VersionId !== v2.VersionId);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' }))).Body?.transformToString(), 'two');
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: v1.VersionId }))).Body?.transformToString(), 'one');
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: 'null' }))).Body?.transformToString(), 'before versioning');

    const del = await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k' }));
    assert.equal(del.DeleteMarker, true);
    assert.ok(del.VersionId);
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' })), 'NoSuchKey', 404);
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket: b, Key: 'k', VersionId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })), 'NoSuchVersion', 404, 'The specified version does not exist.');

    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: b }));
    assert.deepEqual(versions.Versions?.map((v) => [v.VersionId, v.IsLatest]), [[v2.VersionId, false], [v1.VersionId, false], ['null', false]]);
    assert.deepEqual(versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest]), [[del.VersionId, true]]);

    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: b, MaxKeys: 2 }));
    assert.equal(page.IsTruncated, true);
    const rest = await s3.send(new ListObjectVersionsCommand({ Bucket: b, KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker }));
    assert.equal((page.Versions?.length ?? 0) + (page.DeleteMarkers?.length ?? 0) + (rest.Versions?.length ?? 0) + (rest.DeleteMarkers?.length ?? 0), 4);

    await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k', VersionId: del.VersionId }));
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' }))).Body?.transformToString(), 'two');
    await s3.send(new DeleteObjectCommand({ Bucket: b, Key: 'k', VersionId: v2.VersionId }));
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: b, Key: 'k' }))).Body?.transformToString(), 'one');

    await s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Suspended' } }));
    const suspended = await s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'suspended' }));
    assert.equal(suspended.VersionId, 'null');
    const after = await s3.send(new ListObjectVersionsCommand({ Bucket: b }));
    assert.deepEqual(after.Versions?.map((v) => v.VersionId).sort(), [v1.VersionId, 'null'].sort());
  });
});
