import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CreateBucketCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutBucketNotificationConfigurationCommand, PutBucketVersioningCommand,
  PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createPresignedPost, type PresignedPostOptions } from '@aws-sdk/s3-presigned-post';
import { rawRequest } from './support/raw-http.js';
import { s3Client, sha256Hex, signedS3Request } from './support/s3.js';
import { startTestServer, type TestServer } from './support/server.js';
import { allowServiceToSend, sqsClient } from './support/sqs.js';
import { boto3Skip } from './support/cli.js';

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

interface Posted {
  status: number;
  headers: Headers;
  body: string;
}

/** An S3 error body's elements (flat). */
function errorOf(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of body.matchAll(/<(\w+)>([^<]*)<\/\1>/g)) out[m[1]!] = m[2]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return out;
}

describe('S3 browser-based POST uploads (PostObject)', () => {
  let server: TestServer;
  let s3: S3Client;
  let sqs: SQSClient;
  const bucket = 'uploads';

  before(async () => {
    server = await startTestServer();
    s3 = s3Client(server);
    sqs = sqsClient(server.url);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  after(async () => {
    s3?.destroy();
    sqs?.destroy();
    await server?.stop();
  });

  const presign = (options: Omit<PresignedPostOptions, 'Bucket'> & { Bucket?: string }, client: S3Client = s3) =>
    createPresignedPost(client, { Bucket: bucket, ...options });

  /** Posts the form as a browser does: fields in order, then the file, then `after` (ignored by S3). */
  async function post(
    url: string,
    fields: Record<string, string>,
    file: { data: string | Buffer; filename?: string; type?: string },
    options: { after?: Record<string, string>; drop?: string[]; extra?: Record<string, string> } = {},
  ): Promise<Posted> {
    const form = new FormData();
    for (const [k, v] of Object.entries({ ...fields, ...options.extra })) if (!options.drop?.includes(k)) form.append(k, v);
    form.append('file', new Blob([typeof file.data === 'string' ? file.data : new Uint8Array(file.data)], { type: file.type ?? 'application/octet-stream' }), file.filename ?? 'upload.bin');
    for (const [k, v] of Object.entries(options.after ?? {})) form.append(k, v);
    const res = await fetch(url, { method: 'POST', body: form, redirect: 'manual' });
    return { status: res.status, headers: res.headers, body: await res.text() };
  }

  async function objectExists(key: string): Promise<boolean> {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (err) {
      if ((err as Error).name === 'NotFound') return false;
      throw err;
    }
  }

  test('a presigned POST from @aws-sdk/s3-presigned-post stores the file: 204 with ETag and Location', async () => {
    const { url, fields } = await presign({ Key: 'docs/report.txt' });
    assert.equal(url, `${server.url}/${bucket}`);
    const res = await post(url, fields, { data: 'quarterly numbers' });
    assert.equal(res.status, 204);
    assert.equal(res.body, '');
    assert.equal(res.headers.get('etag'), `"${md5('quarterly numbers')}"`);
    assert.equal(res.headers.get('location'), `${server.url}/${bucket}/docs%2Freport.txt`);
    assert.equal(res.headers.get('x-amz-checksum-type'), 'FULL_OBJECT');
    // The SDK computes CRC64NVME itself for a PUT (and the server checks it): the POST's must agree.
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'docs/report-put.txt', Body: 'quarterly numbers', ChecksumAlgorithm: 'CRC64NVME' }));
    assert.ok(put.ChecksumCRC64NVME);
    assert.equal(res.headers.get('x-amz-checksum-crc64nvme'), put.ChecksumCRC64NVME);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'docs/report.txt' }));
    assert.equal(await got.Body!.transformToString(), 'quarterly numbers');
    // The file part's own type does not set the object's: only a Content-Type field does.
    assert.equal(got.ContentType, 'binary/octet-stream');
  });

  test('${filename}, Content-Type, metadata and tagging fields; 201 answers with a PostResponse', async () => {
    const tagging = '<Tagging><TagSet><Tag><Key>team</Key><Value>blue</Value></Tag></TagSet></Tagging>';
    const { url, fields } = await presign({
      Key: 'user/alice/${filename}',
      Fields: { 'Content-Type': 'text/plain', 'x-amz-meta-Owner': 'Alice', success_action_status: '201', 'Cache-Control': 'max-age=60', tagging },
    });
    const res = await post(url, fields, { data: 'hello notes', filename: 'my notes.txt' });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('content-type'), 'application/xml');
    const etag = `"${md5('hello notes')}"`;
    const location = `${server.url}/${bucket}/user%2Falice%2Fmy%20notes.txt`;
    assert.equal(
      res.body,
      `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${location}</Location><Bucket>${bucket}</Bucket><Key>user/alice/my notes.txt</Key><ETag>${etag}</ETag></PostResponse>`,
    );
    assert.equal(res.headers.get('etag'), etag);
    assert.equal(res.headers.get('location'), location);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'user/alice/my notes.txt' }));
    assert.equal(head.ContentType, 'text/plain');
    assert.equal(head.CacheControl, 'max-age=60');
    assert.deepEqual(head.Metadata, { owner: 'Alice' });
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'user/alice/my notes.txt' }));
    assert.deepEqual(tags.TagSet, [{ Key: 'team', Value: 'blue' }]);
  });

  test('success_action_status 200 answers empty; success_action_redirect answers 303 with bucket, key and etag', async () => {
    const ok = await presign({ Key: 'status/200.txt', Fields: { success_action_status: '200' } });
    const res = await post(ok.url, ok.fields, { data: 'two hundred' });
    assert.equal(res.status, 200);
    assert.equal(res.body, '');
    assert.equal(res.headers.get('etag'), `"${md5('two hundred')}"`);

    const redirect = 'http://app.example.test/done?from=form';
    const moved = await presign({ Key: 'status/redirected file.txt', Fields: { success_action_redirect: redirect } });
    const res2 = await post(moved.url, moved.fields, { data: 'moved' });
    assert.equal(res2.status, 303);
    assert.equal(res2.headers.get('location'), `${redirect}&bucket=${bucket}&key=status%2Fredirected+file.txt&etag=%22${md5('moved')}%22`);
    assert.ok(await objectExists('status/redirected file.txt'));

    // A status S3 does not know, and a relative redirect, both fall back to 204.
    const odd = await presign({ Key: 'status/odd.txt', Fields: { success_action_status: '302', success_action_redirect: '/relative/page' } });
    assert.equal((await post(odd.url, odd.fields, { data: 'x' })).status, 204);
  });

  test('an acl field gives the object that canned ACL: a public-read upload is readable without a signature', async () => {
    const open = await presign({ Key: 'public/avatar.png', Fields: { acl: 'public-read' } });
    assert.equal((await post(open.url, open.fields, { data: 'pixels' })).status, 204);
    const anonymous = await fetch(`${server.url}/${bucket}/public/avatar.png`);
    assert.deepEqual([anonymous.status, await anonymous.text()], [200, 'pixels']);
    const closed = await presign({ Key: 'public/private.png' });
    assert.equal((await post(closed.url, closed.fields, { data: 'pixels' })).status, 204);
    assert.equal((await fetch(`${server.url}/${bucket}/public/private.png`)).status, 403);
    const odd = await presign({ Key: 'public/odd.png', Fields: { acl: 'world-readable' } });
    const refused = await post(odd.url, odd.fields, { data: 'pixels' });
    assert.equal(refused.status, 400);
    assert.match(refused.body, /<Code>InvalidArgument<\/Code>/);
  });

  test('a virtual-hosted POST (<bucket>.s3.localhost) is answered with a virtual-hosted Location', async () => {
    const { fields } = await presign({ Key: 'vhost/a b.txt', Fields: { success_action_status: '201' } });
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('file', new Blob(['virtual']), 'v.txt');
    const encoded = new Response(form);
    const port = new URL(server.url).port;
    const res = await rawRequest(server.url, {
      method: 'POST',
      path: '/',
      headers: { host: `${bucket}.s3.localhost:${port}`, 'content-type': encoded.headers.get('content-type')! },
      body: Buffer.from(await encoded.arrayBuffer()),
    });
    assert.equal(res.status, 201, res.body);
    assert.equal(res.headers.location, `http://${bucket}.s3.localhost:${port}/vhost%2Fa%20b.txt`);
    assert.match(res.body, /<Key>vhost\/a b.txt<\/Key>/);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'vhost/a b.txt' }));
    assert.equal(await got.Body!.transformToString(), 'virtual');
  });

  test('a form that breaks a condition is refused with the condition S3 names', async () => {
    const { url, fields } = await presign({ Key: 'user/bob/${filename}', Conditions: [['starts-with', '$Content-Type', 'image/']], Fields: { 'Content-Type': 'image/png' } });
    const wrongKey = await post(url, { ...fields, key: 'admin/${filename}' }, { data: 'x' });
    assert.equal(wrongKey.status, 403);
    assert.deepEqual(
      [errorOf(wrongKey.body).Code, errorOf(wrongKey.body).Message],
      ['AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "user/bob/"]'],
    );
    const wrongType = await post(url, { ...fields, 'Content-Type': 'text/html' }, { data: 'x' });
    assert.equal(wrongType.status, 403);
    assert.equal(errorOf(wrongType.body).Message, 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", "image/"]');
    // The SDK writes Fields as exact-match conditions; S3 reports those in their `eq` form.
    const otherImage = await post(url, { ...fields, 'Content-Type': 'image/gif' }, { data: 'x' });
    assert.equal(errorOf(otherImage.body).Message, 'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "image/png"]');
    assert.equal(await objectExists('admin/upload.bin'), false);
    const right = await post(url, fields, { data: 'png bytes', filename: 'face.png' });
    assert.equal(right.status, 204);
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'user/bob/face.png' }))).ContentType, 'image/png');
  });

  test('content-length-range: too large and too small are refused with S3 sizes; the bounds are inclusive', async () => {
    const { url, fields } = await presign({ Key: 'sized/${filename}', Conditions: [['content-length-range', 5, 10]] });
    const big = await post(url, fields, { data: 'x'.repeat(12), filename: 'big' });
    assert.equal(big.status, 400);
    const bigError = errorOf(big.body);
    assert.deepEqual([bigError.Code, bigError.Message, bigError.ProposedSize, bigError.MaxSizeAllowed], ['EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', '12', '10']);
    const small = await post(url, fields, { data: 'x', filename: 'small' });
    assert.equal(small.status, 400);
    const smallError = errorOf(small.body);
    assert.deepEqual([smallError.Code, smallError.Message, smallError.ProposedSize, smallError.MinSizeAllowed], ['EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', '1', '5']);
    assert.equal(await objectExists('sized/big'), false);
    assert.equal(await objectExists('sized/small'), false);
    assert.equal((await post(url, fields, { data: '12345', filename: 'min' })).status, 204);
    assert.equal((await post(url, fields, { data: '1234567890', filename: 'max' })).status, 204);
  });

  test('an expired policy, a bad signature and an unknown key are refused', async () => {
    const expired = await presign({ Key: 'late.txt', Expires: -60 });
    const late = await post(expired.url, expired.fields, { data: 'late' });
    assert.equal(late.status, 403);
    assert.deepEqual([errorOf(late.body).Code, errorOf(late.body).Message], ['AccessDenied', 'Invalid according to Policy: Policy expired.']);

    const { url, fields } = await presign({ Key: 'signed.txt' });
    const forged = await post(url, { ...fields, 'X-Amz-Signature': '0'.repeat(64) }, { data: 'forged' });
    assert.equal(forged.status, 403);
    const forgedError = errorOf(forged.body);
    assert.equal(forgedError.Code, 'SignatureDoesNotMatch');
    assert.equal(forgedError.AWSAccessKeyId, 'test');
    assert.equal(forgedError.StringToSign, fields.Policy);
    assert.equal(forgedError.SignatureProvided, '0'.repeat(64));

    // A policy changed after signing no longer matches its signature.
    const policy = JSON.parse(Buffer.from(fields.Policy!, 'base64').toString()) as { conditions: unknown[] };
    policy.conditions.push(['starts-with', '$key', '']);
    const tampered = await post(url, { ...fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') }, { data: 'x' });
    assert.equal(errorOf(tampered.body).Code, 'SignatureDoesNotMatch');

    const wrongSecret = new S3Client({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'not-the-secret' } });
    const bad = await presign({ Key: 'signed.txt' }, wrongSecret);
    wrongSecret.destroy();
    assert.equal(errorOf((await post(bad.url, bad.fields, { data: 'x' })).body).Code, 'SignatureDoesNotMatch');

    const stranger = new S3Client({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'AKIASTRANGER', secretAccessKey: 'x' } });
    const unknown = await presign({ Key: 'signed.txt' }, stranger);
    stranger.destroy();
    const unknownRes = await post(unknown.url, unknown.fields, { data: 'x' });
    assert.equal(unknownRes.status, 403);
    assert.deepEqual([errorOf(unknownRes.body).Code, errorOf(unknownRes.body).AWSAccessKeyId], ['InvalidAccessKeyId', 'AKIASTRANGER']);

    const elsewhere = s3Client(server, { region: 'eu-west-1' });
    const wrongRegion = await presign({ Key: 'signed.txt' }, elsewhere);
    elsewhere.destroy();
    const regionRes = await post(wrongRegion.url, wrongRegion.fields, { data: 'x' });
    assert.equal(regionRes.status, 400);
    assert.deepEqual([errorOf(regionRes.body).Message, errorOf(regionRes.body).Region], ["the region 'eu-west-1' is wrong; expecting 'us-east-1'", 'us-east-1']);
    assert.equal(await objectExists('signed.txt'), false);
  });

  test('every field needs a condition, except x-ignore-* and the signature fields; fields after the file are ignored', async () => {
    const { url, fields } = await presign({ Key: 'fields.txt' });
    const extra = await post(url, fields, { data: 'x' }, { extra: { 'x-amz-meta-note': 'sneaky' } });
    assert.equal(extra.status, 403);
    assert.deepEqual([errorOf(extra.body).Code, errorOf(extra.body).Message], ['AccessDenied', 'Invalid according to Policy: Extra input fields: x-amz-meta-note']);
    const ignored = await post(url, fields, { data: 'fine' }, { extra: { 'x-ignore-tracking': '42' }, after: { 'x-amz-meta-late': 'dropped', success_action_status: '201' } });
    assert.equal(ignored.status, 204);
    assert.deepEqual((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'fields.txt' }))).Metadata, {});

    // The key after the file is no key at all.
    const keyLast = await post(url, fields, { data: 'x' }, { drop: ['key'], after: { key: 'fields.txt' } });
    assert.equal(keyLast.status, 400);
    assert.deepEqual([errorOf(keyLast.body).Code, errorOf(keyLast.body).Message, errorOf(keyLast.body).ArgumentName], [
      'InvalidArgument', "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", 'key',
    ]);
    const noSignature = await post(url, fields, { data: 'x' }, { drop: ['X-Amz-Signature'] });
    assert.equal(noSignature.status, 400);
    assert.equal(errorOf(noSignature.body).ArgumentName, 'X-Amz-Signature');
  });

  test('an unsigned form is anonymous, refused on a private bucket; unsigned requests reach nothing else', async () => {
    const anonymous = await post(`${server.url}/${bucket}`, { key: 'anon.txt' }, { data: 'who am i' });
    assert.equal(anonymous.status, 403);
    assert.deepEqual([errorOf(anonymous.body).Code, errorOf(anonymous.body).Message], ['AccessDenied', 'Access Denied']);
    assert.equal(await objectExists('anon.txt'), false);
    // An unsigned multipart POST to another S3 operation (DeleteObjects) gets no further.
    const sneaky = await post(`${server.url}/${bucket}?delete`, { key: 'docs/report.txt' }, { data: '<Delete><Object><Key>docs/report.txt</Key></Object></Delete>' });
    assert.equal(sneaky.status, 403);
    assert.ok(await objectExists('docs/report.txt'));
    const noBucket = await post(`${server.url}/no-such-bucket`, { key: 'x' }, { data: 'x' });
    assert.equal(errorOf(noBucket.body).Code, 'NoSuchBucket');
  });

  test('policies S3 cannot read are InvalidPolicyDocument; bounds that are not numbers fail their condition', async () => {
    // Signs any policy text as a SigV4 form does: hex HMAC-SHA256 of the base64 text with the scope key.
    const signedForm = (policyText: string, key: string): Record<string, string> => {
      const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      const day = amzDate.slice(0, 8);
      let signingKey = createHmac('sha256', 'AWS4test').update(day).digest();
      for (const part of ['us-east-1', 's3', 'aws4_request']) signingKey = createHmac('sha256', signingKey).update(part).digest();
      const policy = Buffer.from(policyText).toString('base64');
      return {
        key, 'x-amz-algorithm': 'AWS4-HMAC-SHA256', 'x-amz-credential': `test/${day}/us-east-1/s3/aws4_request`, 'x-amz-date': amzDate, policy,
        'x-amz-signature': createHmac('sha256', signingKey).update(policy).digest('hex'),
      };
    };
    const expiration = new Date(Date.now() + 60_000).toISOString();
    const signatureConditions = [['starts-with', '$x-amz-algorithm', ''], ['starts-with', '$x-amz-credential', ''], ['starts-with', '$x-amz-date', '']];
    const attempt = async (policyText: string) => {
      const res = await post(`${server.url}/${bucket}`, signedForm(policyText, 'hand/made.txt'), { data: 'hand made' });
      return { status: res.status, ...errorOf(res.body) } as Record<string, string | number>;
    };
    const notJson = await attempt('not json');
    assert.deepEqual([notJson.status, notJson.Code, notJson.Message], [400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.']);
    const cases: Array<[unknown, number, string, string]> = [
      [{ expiration }, 400, 'InvalidPolicyDocument', 'Invalid Policy: Policy missing conditions.'],
      [{ conditions: [] }, 400, 'InvalidPolicyDocument', 'Invalid Policy: Policy missing expiration.'],
      [{ expiration: '2030-01-01 00:00:00', conditions: [] }, 400, 'InvalidPolicyDocument', "Invalid Policy: Invalid 'expiration' value: '2030-01-01 00:00:00'"],
      [{ expiration, conditions: [{ bucket, key: 'hand/made.txt' }] }, 400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.'],
      [{ expiration, conditions: [{ bucket: 7 }] }, 400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid Simple-Condition: value must be a string.'],
      [{ expiration, conditions: [{ bucket }, ['content-length-range', 'test', '10']] }, 403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["content-length-range", "test", "10"]'],
      [{ expiration, conditions: [{ bucket: 'another-bucket' }] }, 403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "another-bucket"]'],
    ];
    for (const [policy, status, code, message] of cases) {
      const got = await attempt(JSON.stringify(policy));
      assert.deepEqual([got.status, got.Code, got.Message], [status, code, message], JSON.stringify(policy));
    }
    // The same hand-signed form with a complete policy goes through: the signing above is S3's.
    const good = await attempt(JSON.stringify({ expiration, conditions: [{ bucket }, ['starts-with', '$key', 'hand/'], ['content-length-range', '1', '100'], ...signatureConditions] }));
    assert.equal(good.status, 204);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'hand/made.txt' }));
    assert.equal(await got.Body!.transformToString(), 'hand made');
  });

  test('malformed forms: no boundary, no file, not multipart at all', async () => {
    const noBoundary = await rawRequest(server.url, { method: 'POST', path: `/${bucket}`, headers: { 'content-type': 'multipart/form-data' }, body: 'x' });
    assert.equal(noBoundary.status, 400);
    assert.equal(errorOf(noBoundary.body).Code, 'MalformedPOSTRequest');
    const { fields } = await presign({ Key: 'nofile.txt' });
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const noFile = await fetch(`${server.url}/${bucket}`, { method: 'POST', body: form });
    const noFileError = errorOf(await noFile.text());
    assert.equal(noFile.status, 400);
    assert.deepEqual([noFileError.Code, noFileError.Message, noFileError.ArgumentName, noFileError.ArgumentValue], [
      'InvalidArgument', 'POST requires exactly one file upload per request.', 'file', '0',
    ]);
    const crowded = await post(`${server.url}/${bucket}`, { ...fields, 'x-ignore-padding': 'p'.repeat(20 * 1024) }, { data: 'x' });
    assert.equal(crowded.status, 400);
    assert.deepEqual([errorOf(crowded.body).Code, errorOf(crowded.body).MaxPostPreDataLengthBytes], ['MaxPostPreDataLengthExceeded', '20480']);
    // A signed POST to the bucket that is not a form is PostObject all the same, refused as S3 does.
    const body = Buffer.from('key=x');
    const { response } = await signedS3Request(server.url, {
      method: 'POST', path: `/${bucket}`, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-amz-content-sha256': sha256Hex(body) }, body,
    });
    assert.equal(response.status, 412);
    assert.deepEqual([errorOf(response.body).Code, errorOf(response.body).Condition], ['PreconditionFailed', 'Bucket POST must be of the enclosure-type multipart/form-data']);
  });

  test('a versioned bucket answers the new version id', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'versioned-posts' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'versioned-posts', VersioningConfiguration: { Status: 'Enabled' } }));
    const { url, fields } = await presign({ Bucket: 'versioned-posts', Key: 'v.txt' });
    const first = await post(url, fields, { data: 'one' });
    const second = await post(url, fields, { data: 'two' });
    const v1 = first.headers.get('x-amz-version-id');
    const v2 = second.headers.get('x-amz-version-id');
    assert.ok(v1 && v2 && v1 !== v2);
    const old = await s3.send(new GetObjectCommand({ Bucket: 'versioned-posts', Key: 'v.txt', VersionId: v1 }));
    assert.equal(await old.Body!.transformToString(), 'one');
  });

  test('a large file streams through to disk intact; a client that drops mid-file leaves no object and no temp file', async () => {
    const data = randomBytes(24 * 1024 * 1024 + 7);
    const { url, fields } = await presign({ Key: 'big/blob.bin' });
    const res = await post(url, fields, { data });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('etag'), `"${md5(data)}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'big/blob.bin' }));
    assert.equal(md5(Buffer.from(await got.Body!.transformToByteArray())), md5(data));

    const dropped = await presign({ Key: 'big/dropped.bin' });
    const form = new FormData();
    for (const [k, v] of Object.entries(dropped.fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(data)]), 'dropped.bin');
    const encoded = new Response(form);
    const body = Buffer.from(await encoded.arrayBuffer());
    const { port } = new URL(server.url);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /${bucket} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: ${encoded.headers.get('content-type')}\r\nContent-Length: ${body.length}\r\n\r\n`);
        // The fields and half of the file, then the connection goes away.
        socket.write(body.subarray(0, body.length / 2), () => setTimeout(() => (socket.destroy(), resolve()), 200));
      });
      socket.on('error', reject);
    });
    const tmp = path.join(server.dataDir, 's3', 'tmp');
    const deadline = Date.now() + 5000;
    while (readdirSync(tmp).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(readdirSync(tmp), []);
    assert.equal(await objectExists('big/dropped.bin'), false);
  });

  test('an upload notifies ObjectCreated:Post (and only that) to an SQS queue', async () => {
    const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'post-events' }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.QueueUrl, AttributeNames: ['QueueArn'] }));
    await allowServiceToSend(sqs, queue.QueueUrl!, 's3.amazonaws.com', 'arn:aws:s3:::notified-posts');
    await s3.send(new CreateBucketCommand({ Bucket: 'notified-posts' }));
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket: 'notified-posts',
      NotificationConfiguration: { QueueConfigurations: [{ Id: 'posts', QueueArn: attrs.Attributes!.QueueArn!, Events: ['s3:ObjectCreated:Post'] }] },
    }));
    const receive = async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.QueueUrl, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }))).Messages ?? [];
    const testEvent = await receive();
    assert.match(testEvent[0]?.Body ?? '', /s3:TestEvent/);
    await s3.send(new PutObjectCommand({ Bucket: 'notified-posts', Key: 'put.txt', Body: 'put' }));
    const { url, fields } = await presign({ Bucket: 'notified-posts', Key: 'in/${filename}' });
    const res = await post(url, fields, { data: 'posted bytes', filename: 'photo 1.jpg' });
    assert.equal(res.status, 204);
    const messages = await receive();
    assert.equal(messages.length, 1);
    const record = (JSON.parse(messages[0]!.Body!) as { Records: Array<Record<string, any>> }).Records[0]!;
    assert.equal(record.eventName, 'ObjectCreated:Post');
    assert.equal(record.s3.configurationId, 'posts');
    assert.equal(record.s3.bucket.name, 'notified-posts');
    assert.equal(record.s3.object.key, 'in/photo+1.jpg');
    assert.equal(record.s3.object.size, 'posted bytes'.length);
    assert.equal(record.s3.object.eTag, md5('posted bytes'));
    assert.equal(record.userIdentity.principalId, 'AWS:test');
  });

  test('boto3 generate_presigned_post (SigV4 and SigV2) posted with urllib', { skip: boto3Skip }, async () => {
    const script = `
import json, sys, urllib.request, uuid, boto3
from botocore.config import Config
url, version = sys.argv[1], sys.argv[2]
s3 = boto3.client('s3', endpoint_url=url, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test',
                  config=Config(signature_version=version, s3={'addressing_style': 'path'}))
p = s3.generate_presigned_post('${bucket}', 'boto/' + version + '/\${filename}',
                               Fields={'Content-Type': 'text/csv', 'success_action_status': '201'},
                               Conditions=[{'Content-Type': 'text/csv'}, {'success_action_status': '201'}, ['content-length-range', 1, 1024]],
                               ExpiresIn=300)
boundary = uuid.uuid4().hex
parts = []
for k, v in p['fields'].items():
    parts.append(('--%s\\r\\nContent-Disposition: form-data; name="%s"\\r\\n\\r\\n%s\\r\\n' % (boundary, k, v)).encode())
parts.append(('--%s\\r\\nContent-Disposition: form-data; name="file"; filename="rows.csv"\\r\\nContent-Type: text/csv\\r\\n\\r\\n' % boundary).encode())
parts.append(b'a,b\\n1,2\\n\\r\\n')
parts.append(('--%s--\\r\\n' % boundary).encode())
req = urllib.request.Request(p['url'], data=b''.join(parts), method='POST', headers={'Content-Type': 'multipart/form-data; boundary=' + boundary})
try:
    with urllib.request.urlopen(req) as r:
        print(json.dumps({'status': r.status, 'body': r.read().decode(), 'fields': sorted(p['fields'])}))
except urllib.error.HTTPError as e:
    print(json.dumps({'status': e.code, 'body': e.read().decode(), 'fields': sorted(p['fields'])}))
`;
    for (const version of ['s3v4', 's3']) {
      const out = await new Promise<string>((resolve, reject) => {
        execFile('python3', ['-c', script, server.url, version], { env: { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' } }, (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
        );
      });
      const result = JSON.parse(out) as { status: number; body: string; fields: string[] };
      assert.ok(result.fields.includes(version === 's3v4' ? 'x-amz-signature' : 'signature'), result.fields.join());
      assert.equal(result.status, 201, result.body);
      assert.match(result.body, new RegExp(`<Key>boto/${version}/rows.csv</Key>`));
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `boto/${version}/rows.csv` }));
      assert.equal(head.ContentType, 'text/csv');
      assert.equal(head.ContentLength, 'a,b\n1,2\n'.length);
    }
  });
});
