import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CopyObjectCommand, CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetBucketLocationCommand,
  GetBucketTaggingCommand, GetObjectCommand, GetObjectTaggingCommand, HeadBucketCommand, HeadObjectCommand, ListBucketsCommand,
  ListObjectsCommand, ListObjectsV2Command, PutBucketTaggingCommand, PutObjectCommand, PutObjectTaggingCommand, S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { rejectsWith } from './support/aws-errors.js';
import { chunkSignedPut, s3Client, sha256Hex, signedS3Request } from './support/s3.js';
import { startTestServer, type TestServer } from './support/server.js';

async function rejectsWithStatus(promise: Promise<unknown>, status: number): Promise<void> {
  await assert.rejects(promise, (err: { $metadata?: { httpStatusCode?: number } }) => err.$metadata?.httpStatusCode === status);
}

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

describe('S3 buckets and objects through @aws-sdk/client-s3', () => {
  let server: TestServer;
  let s3: S3Client;
  const bucket = 'objects-bucket';

  before(async () => {
    server = await startTestServer();
    s3 = s3Client(server);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  after(async () => {
    s3?.destroy();
    await server?.stop();
  });

  test('buckets: create, head, list, location; names and regions checked as S3 does', async () => {
    const head = await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    assert.equal(head.BucketRegion, 'us-east-1');
    const listed = await s3.send(new ListBucketsCommand({}));
    assert.ok(listed.Buckets?.some((b) => b.Name === bucket && b.CreationDate instanceof Date));
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
    assert.equal(location.LocationConstraint, undefined);

    const eu = s3Client(server, { region: 'eu-west-1' });
    await eu.send(new CreateBucketCommand({ Bucket: 'eu-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    assert.equal((await eu.send(new GetBucketLocationCommand({ Bucket: 'eu-bucket' }))).LocationConstraint, 'eu-west-1');
    await rejectsWith(eu.send(new CreateBucketCommand({ Bucket: 'eu-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })), 'BucketAlreadyOwnedByYou', 409);
    eu.destroy();
    await rejectsWith(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })), 'InvalidBucketName', 400, 'The specified bucket is not valid.');
    await rejectsWith(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })), 'NotFound', 404);
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })), 'NoSuchBucket', 404, 'The specified bucket does not exist');
  });

  test('put and get keep the body, ETag (MD5), metadata and content headers', async () => {
    const body = 'hello, object';
    const put = await s3.send(new PutObjectCommand({
      Bucket: bucket, Key: 'docs/hello world+1.txt', Body: body, ContentType: 'text/plain', ContentEncoding: 'identity',
      ContentDisposition: 'attachment; filename="x.txt"', CacheControl: 'max-age=60', Metadata: { owner: 'ann', 'Mixed-Case': 'v' },
    }));
    assert.equal(put.ETag, `"${md5(body)}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'docs/hello world+1.txt' }));
    assert.equal(await got.Body?.transformToString(), body);
    assert.equal(got.ETag, `"${md5(body)}"`);
    assert.equal(got.ContentType, 'text/plain');
    assert.equal(got.ContentEncoding, 'identity');
    assert.equal(got.ContentDisposition, 'attachment; filename="x.txt"');
    assert.equal(got.CacheControl, 'max-age=60');
    assert.deepEqual(got.Metadata, { owner: 'ann', 'mixed-case': 'v' });
    assert.equal(got.ContentLength, body.length);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'docs/hello world+1.txt' }));
    assert.equal(head.ContentLength, body.length);
    assert.equal(head.ETag, `"${md5(body)}"`);
    await rejectsWith(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing' })), 'NotFound', 404);
  });

  test('a missing key answers the exact S3 XML error', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'nope/key.txt' }), { expiresIn: 60 });
    const res = await fetch(url);
    assert.equal(res.status, 404);
    const text = await res.text();
    assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>nope\/key.txt<\/Key><RequestId>[0-9A-F]{16}<\/RequestId><HostId>[^<]+<\/HostId><\/Error>$/);
    assert.equal(res.headers.get('x-amz-request-id')?.length, 16);
  });

  test('ranges and conditional requests', async () => {
    const body = '0123456789';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'range.txt', Body: body }));
    const part = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'range.txt', Range: 'bytes=2-5' }));
    assert.equal(part.$metadata.httpStatusCode, 206);
    assert.equal(part.ContentRange, 'bytes 2-5/10');
    assert.equal(await part.Body?.transformToString(), '2345');
    const tail = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'range.txt', Range: 'bytes=-3' }));
    assert.equal(await tail.Body?.transformToString(), '789');
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'range.txt', Range: 'bytes=20-30' })), 'InvalidRange', 416, 'The requested range is not satisfiable');

    const etag = `"${md5(body)}"`;
    const ok = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'range.txt', IfMatch: etag }));
    assert.equal(await ok.Body?.transformToString(), body);
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'range.txt', IfMatch: '"other"' })), 'PreconditionFailed', 412,
      'At least one of the pre-conditions you specified did not hold');
    // A 304 has no body, so the SDK can only report its status (as against AWS).
    await rejectsWithStatus(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'range.txt', IfNoneMatch: etag })), 304);
    await rejectsWithStatus(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'range.txt', IfModifiedSince: new Date(Date.now() + 3600_000) })), 304);
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'range.txt', IfUnmodifiedSince: new Date(Date.now() - 3600_000) })), 'PreconditionFailed', 412);
    const modified = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'range.txt', IfModifiedSince: new Date(Date.now() - 3600_000) }));
    assert.equal(await modified.Body?.transformToString(), body);
    // If-None-Match: * on PUT writes only when the key is new.
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'range.txt', Body: 'x', IfNoneMatch: '*' })), 'PreconditionFailed', 412);
  });

  test('copy keeps or replaces metadata; copying onto itself unchanged is refused', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'src.txt', Body: 'copy me', ContentType: 'text/x-src', Metadata: { a: '1' } }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst.txt', CopySource: `${bucket}/src.txt` }));
    assert.equal(copied.CopyObjectResult?.ETag, `"${md5('copy me')}"`);
    const dst = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dst.txt' }));
    assert.equal(dst.ContentType, 'text/x-src');
    assert.deepEqual(dst.Metadata, { a: '1' });
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'dst2.txt', CopySource: `${bucket}/src.txt`, MetadataDirective: 'REPLACE', ContentType: 'text/new', Metadata: { b: '2' } }));
    const dst2 = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'dst2.txt' }));
    assert.equal(await dst2.Body?.transformToString(), 'copy me');
    assert.equal(dst2.ContentType, 'text/new');
    assert.deepEqual(dst2.Metadata, { b: '2' });
    await rejectsWith(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'src.txt', CopySource: `${bucket}/src.txt` })), 'InvalidRequest', 400, /copy an object to itself/);
    await rejectsWith(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'x.txt', CopySource: `${bucket}/absent.txt` })), 'NoSuchKey', 404);
  });

  test('ListObjectsV2 with prefix, delimiter, max-keys, continuation and start-after; ListObjects v1 with marker', async () => {
    const b = 'listing-bucket';
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    const keys = ['a.txt', 'b/1.txt', 'b/2.txt', 'b/c/3.txt', 'd.txt', 'e/4.txt', 'f.txt'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: b, Key, Body: Key }));
    const all = await s3.send(new ListObjectsV2Command({ Bucket: b }));
    assert.deepEqual(all.Contents?.map((c) => c.Key), keys);
    assert.equal(all.KeyCount, keys.length);
    assert.equal(all.Contents?.[0]?.Size, 'a.txt'.length);

    const top = await s3.send(new ListObjectsV2Command({ Bucket: b, Delimiter: '/' }));
    assert.deepEqual(top.Contents?.map((c) => c.Key), ['a.txt', 'd.txt', 'f.txt']);
    assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['b/', 'e/']);
    const under = await s3.send(new ListObjectsV2Command({ Bucket: b, Prefix: 'b/', Delimiter: '/' }));
    assert.deepEqual(under.Contents?.map((c) => c.Key), ['b/1.txt', 'b/2.txt']);
    assert.deepEqual(under.CommonPrefixes?.map((p) => p.Prefix), ['b/c/']);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: b, Delimiter: '/', MaxKeys: 2, ContinuationToken: token }));
      seen.push(...(page.Contents ?? []).map((c) => c.Key ?? ''), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''));
      assert.ok((page.KeyCount ?? 0) <= 2);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(seen.sort(), ['a.txt', 'b/', 'd.txt', 'e/', 'f.txt']);

    const after = await s3.send(new ListObjectsV2Command({ Bucket: b, StartAfter: 'b/2.txt' }));
    assert.deepEqual(after.Contents?.map((c) => c.Key), ['b/c/3.txt', 'd.txt', 'e/4.txt', 'f.txt']);
    await rejectsWith(s3.send(new ListObjectsV2Command({ Bucket: b, ContinuationToken: 'garbage!' })), 'InvalidArgument', 400, 'The continuation token provided is incorrect');

    const v1 = await s3.send(new ListObjectsCommand({ Bucket: b, Marker: 'b/c/3.txt', MaxKeys: 2 }));
    assert.deepEqual(v1.Contents?.map((c) => c.Key), ['d.txt', 'e/4.txt']);
    assert.equal(v1.IsTruncated, true);
    const v1d = await s3.send(new ListObjectsCommand({ Bucket: b, Delimiter: '/', MaxKeys: 2 }));
    assert.equal(v1d.NextMarker, 'b/');

    await rejectsWith(s3.send(new DeleteBucketCommand({ Bucket: b })), 'BucketNotEmpty', 409, 'The bucket you tried to delete is not empty');
    const batch = await s3.send(new DeleteObjectsCommand({ Bucket: b, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    assert.equal(batch.Deleted?.length, keys.length);
    assert.equal((await s3.send(new ListObjectsV2Command({ Bucket: b }))).KeyCount, 0);
    await s3.send(new DeleteBucketCommand({ Bucket: b }));
    await rejectsWith(s3.send(new HeadBucketCommand({ Bucket: b })), 'NotFound', 404);
  });

  test('object and bucket tagging', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tagged.txt', Body: 't', Tagging: 'team=red&env=dev' }));
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tagged.txt' }));
    assert.deepEqual(tags.TagSet?.map((t) => `${t.Key}=${t.Value}`).sort(), ['env=dev', 'team=red']);
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'tagged.txt', Tagging: { TagSet: [{ Key: 'only', Value: 'one' }] } }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tagged.txt' }))).TagSet, [{ Key: 'only', Value: 'one' }]);
    assert.equal((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'tagged.txt' }))).TagCount, 1);
    await rejectsWith(s3.send(new GetBucketTaggingCommand({ Bucket: bucket })), 'NoSuchTagSet', 404, 'The TagSet does not exist');
    await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'cost', Value: 'center' }] } }));
    assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet, [{ Key: 'cost', Value: 'center' }]);
  });

  test('presigned GET and PUT URLs work; a tampered one is refused', async () => {
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: 'presigned.bin' }), { expiresIn: 300 });
    const res = await fetch(putUrl, { method: 'PUT', body: 'via presigned put' });
    assert.equal(res.status, 200);
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: 'presigned.bin' }), { expiresIn: 300 });
    const got = await fetch(getUrl);
    assert.equal(await got.text(), 'via presigned put');
    const bad = await fetch(getUrl.replace('presigned.bin', 'presigned.bim'));
    assert.equal(bad.status, 403);
    assert.match(await bad.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  });

  test('streamed bodies: SDK stream upload with CRC32 trailer, chunk-signed payloads, hash and checksum mismatches', async () => {
    const data = Buffer.alloc(300_000, 7);
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'streamed.bin', Body: Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]), ContentLength: data.length, ChecksumAlgorithm: 'CRC32' }));
    assert.equal(put.ETag, `"${md5(data)}"`);
    assert.ok(put.ChecksumCRC32);
    const back = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'streamed.bin', ChecksumMode: 'ENABLED' }));
    assert.deepEqual(Buffer.from(await back.Body!.transformToByteArray()), data);
    assert.equal(back.ChecksumCRC32, put.ChecksumCRC32);

    const signedPayload = Buffer.from('x'.repeat(150_000));
    const ok = await chunkSignedPut(server.url, `/${bucket}/chunked.txt`, signedPayload);
    assert.equal(ok.status, 200, ok.body);
    const chunked = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'chunked.txt' }));
    assert.equal(await chunked.Body?.transformToString(), signedPayload.toString());
    const tampered = await chunkSignedPut(server.url, `/${bucket}/tampered.txt`, signedPayload, { tamperChunk: 1 });
    assert.equal(tampered.status, 403);
    assert.match(tampered.body, /<Code>SignatureDoesNotMatch<\/Code>/);
    await rejectsWith(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'tampered.txt' })), 'NotFound', 404);

    const { response } = await signedS3Request(server.url, {
      method: 'PUT', path: `/${bucket}/mismatch.txt`, headers: { 'x-amz-content-sha256': sha256Hex('declared body') }, body: Buffer.from('another body!'),
    });
    assert.equal(response.status, 400);
    assert.match(response.body, /<Code>XAmzContentSHA256Mismatch<\/Code><Message>The provided 'x-amz-content-sha256' header does not match what was computed.<\/Message>/);

    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'bad-crc.txt', Body: 'abc', ChecksumCRC32: 'AAAAAA==' })), 'BadDigest', 400, 'The CRC32 you specified did not match the calculated checksum.');
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'bad-md5.txt', Body: 'abc', ContentMD5: Buffer.from(md5('xyz'), 'hex').toString('base64') })), 'BadDigest', 400);
  });

  test('STREAMING-UNSIGNED-PAYLOAD-TRAILER bodies: the checksum trailer is verified and kept', async () => {
    const data = Buffer.from('trailer checked body');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(data));
    const send = (checksum: string) => signedS3Request(server.url, {
      method: 'PUT', path: `/${bucket}/trailer.txt`,
      headers: {
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(data.length), 'x-amz-trailer': 'x-amz-checksum-crc32',
      },
      body: Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${checksum}\r\n\r\n`)]),
    });
    const bad = await send('AAAAAA==');
    assert.equal(bad.response.status, 400);
    assert.match(bad.response.body, /<Code>BadDigest<\/Code><Message>The CRC32 you specified did not match the calculated checksum.<\/Message>/);
    const good = await send(crc.toString('base64'));
    assert.equal(good.response.status, 200, good.response.body);
    assert.equal(good.response.headers['x-amz-checksum-crc32'], crc.toString('base64'));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'trailer.txt', ChecksumMode: 'ENABLED' }));
    assert.equal(await got.Body?.transformToString(), data.toString());
    assert.equal(got.ChecksumCRC32, crc.toString('base64'));
    assert.equal(got.ContentEncoding, undefined);
  });

  test('a single PUT over 5 GB is refused before any byte is stored', async () => {
    const { response } = await signedS3Request(server.url, {
      method: 'PUT', path: `/${bucket}/huge.bin`,
      headers: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(5 * 1024 ** 3 + 1) },
      body: Buffer.from('0\r\n\r\n'),
    });
    assert.equal(response.status, 400);
    assert.match(response.body, /<Code>EntityTooLarge<\/Code><Message>Your proposed upload exceeds the maximum allowed size<\/Message><ProposedSize>5368709121<\/ProposedSize><MaxSizeAllowed>5368709120<\/MaxSizeAllowed>/);
  });

  test('virtual-hosted addressing (<bucket>.s3.localhost) reaches the same objects', async () => {
    const vh = s3Client(server, { virtualHosted: true });
    await vh.send(new PutObjectCommand({ Bucket: bucket, Key: 'vh/key.txt', Body: 'virtual' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'vh/key.txt' }));
    assert.equal(await got.Body?.transformToString(), 'virtual');
    const listed = await vh.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'vh/' }));
    assert.deepEqual(listed.Contents?.map((c) => c.Key), ['vh/key.txt']);
    await vh.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'vh/key.txt' }));
    vh.destroy();
  });

  test('objects survive a restart; files no object names are swept', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'durable.txt', Body: 'still here' }));
    const orphan = path.join(server.dataDir, 's3', 'objects', 'ff', 'ff00orphan');
    mkdirSync(path.dirname(orphan), { recursive: true });
    writeFileSync(orphan, 'left by a crash');
    await server.restart();
    assert.equal(existsSync(orphan), false);
    s3.destroy();
    s3 = s3Client(server);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'durable.txt' }));
    assert.equal(await got.Body?.transformToString(), 'still here');
  });
});
