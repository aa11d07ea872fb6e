import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateBucketCommand, DeleteBucketCorsCommand, GetBucketCorsCommand, GetObjectCommand, PutBucketCorsCommand, PutObjectCommand, S3Client, type CORSRule,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startTestServer, type TestServer } from './support/server.js';

const APP = 'http://app.example.com';

describe('S3 bucket CORS', () => {
  let server: TestServer;
  let s3: S3Client;
  before(async () => {
    server = await startTestServer();
    s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'uploads' }));
  });
  after(async () => {
    await server.stop();
  });

  const refused = (rules: CORSRule[], code: string, message?: string) =>
    assert.rejects(s3.send(new PutBucketCorsCommand({ Bucket: 'uploads', CORSConfiguration: { CORSRules: rules } })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, code);
      if (message) assert.equal(err.message, message);
      assert.equal(err.$metadata?.httpStatusCode, 400);
      return true;
    });

  test('Put/Get/DeleteBucketCors, with S3\'s validation', async () => {
    await assert.rejects(s3.send(new GetBucketCorsCommand({ Bucket: 'uploads' })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, 'NoSuchCORSConfiguration');
      assert.equal(err.message, 'The CORS configuration does not exist');
      assert.equal(err.$metadata?.httpStatusCode, 404);
      return true;
    });
    await refused([{ AllowedMethods: ['PATCH'], AllowedOrigins: ['*'] }], 'InvalidRequest', 'Found unsupported HTTP method in CORS config. Unsupported method is PATCH');
    await refused([{ AllowedMethods: ['GET'], AllowedOrigins: ['http://*.*.example.com'] }], 'InvalidRequest', 'AllowedOrigin "http://*.*.example.com" can not have more than one wildcard.');
    await refused([{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], ExposeHeaders: ['*'] }], 'InvalidRequest');
    await refused([{ AllowedMethods: ['GET'], AllowedOrigins: [] }], 'MalformedXML');
    await refused([], 'MalformedXML');
    const rules: CORSRule[] = [
      { ID: 'uploads', AllowedOrigins: [APP], AllowedMethods: ['PUT', 'GET'], AllowedHeaders: ['content-type', 'x-amz-*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 },
      { AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD'] },
    ];
    await s3.send(new PutBucketCorsCommand({ Bucket: 'uploads', CORSConfiguration: { CORSRules: rules } }));
    assert.deepEqual((await s3.send(new GetBucketCorsCommand({ Bucket: 'uploads' }))).CORSRules, rules);
    await s3.send(new DeleteBucketCorsCommand({ Bucket: 'uploads' }));
    await assert.rejects(s3.send(new GetBucketCorsCommand({ Bucket: 'uploads' })), (err: Error) => err.name === 'NoSuchCORSConfiguration');
    await assert.rejects(s3.send(new PutBucketCorsCommand({ Bucket: 'missing', CORSConfiguration: { CORSRules: rules } })), (err: Error) => err.name === 'NoSuchBucket');
  });

  test('a browser\'s preflight is answered from the rules, 403 when none allows it', async () => {
    const preflight = (key: string, headers: Record<string, string>) => fetch(`${server.url}/uploads/${key}`, { method: 'OPTIONS', headers });
    // No rules yet: CORS is not enabled.
    let res = await preflight('a.txt', { Origin: APP, 'Access-Control-Request-Method': 'PUT' });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<Code>AccessForbidden<\/Code><Message>CORSResponse: CORS is not enabled for this bucket.<\/Message><Method>OPTIONS<\/Method><ResourceType>OBJECT<\/ResourceType>/);

    await s3.send(new PutBucketCorsCommand({
      Bucket: 'uploads',
      CORSConfiguration: { CORSRules: [{ AllowedOrigins: [APP, 'http://*.example.org'], AllowedMethods: ['PUT', 'GET'], AllowedHeaders: ['content-type', 'x-amz-*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 }] },
    }));
    res = await preflight('a.txt', { Origin: APP, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'Content-Type, X-Amz-Meta-Owner' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    assert.equal(res.headers.get('access-control-allow-methods'), 'PUT, GET');
    assert.equal(res.headers.get('access-control-allow-headers'), 'content-type, x-amz-meta-owner');
    assert.equal(res.headers.get('access-control-expose-headers'), 'ETag');
    assert.equal(res.headers.get('access-control-max-age'), '600');
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    // A wildcard origin rule matches a subdomain.
    res = await preflight('a.txt', { Origin: 'http://cdn.example.org', 'Access-Control-Request-Method': 'GET' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://cdn.example.org');

    const notAllowed = async (headers: Record<string, string>) => {
      const answer = await preflight('a.txt', headers);
      assert.equal(answer.status, 403);
      const body = await answer.text();
      assert.match(body, /<Code>AccessForbidden<\/Code>/);
      assert.match(body, /CORSResponse: This CORS request is not allowed\. This is usually because the evalution of Origin, request method \/ Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec\./);
      assert.equal(answer.headers.get('access-control-allow-origin'), null);
    };
    await notAllowed({ Origin: 'http://evil.example.net', 'Access-Control-Request-Method': 'PUT' });
    await notAllowed({ Origin: APP, 'Access-Control-Request-Method': 'DELETE' });
    await notAllowed({ Origin: APP, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'authorization' });

    res = await preflight('a.txt', { 'Access-Control-Request-Method': 'PUT' });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /<Code>BadRequest<\/Code><Message>Insufficient information. Origin request header needed.<\/Message>/);
    res = await preflight('a.txt', { Origin: APP });
    assert.equal(res.status, 400);
    res = await fetch(`${server.url}/nowhere/a.txt`, { method: 'OPTIONS', headers: { Origin: APP, 'Access-Control-Request-Method': 'GET' } });
    assert.equal(res.status, 404);
    assert.match(await res.text(), /<Code>NoSuchBucket<\/Code>/);
  });

  test('a presigned upload and download from a page carry the Access-Control headers', async () => {
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'uploads', Key: 'photo.txt', ContentType: 'text/plain' }), { expiresIn: 300 });
    // What a browser sends: the preflight, then the PUT with its Origin.
    const pre = await fetch(putUrl, { method: 'OPTIONS', headers: { Origin: APP, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' } });
    assert.equal(pre.status, 200);
    const put = await fetch(putUrl, { method: 'PUT', headers: { Origin: APP, 'Content-Type': 'text/plain' }, body: 'hello' });
    assert.equal(put.status, 200, await put.text());
    assert.equal(put.headers.get('access-control-allow-origin'), APP);
    assert.equal(put.headers.get('access-control-expose-headers'), 'ETag');
    assert.ok(put.headers.get('etag'));

    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'uploads', Key: 'photo.txt' }), { expiresIn: 300 });
    const got = await fetch(getUrl, { headers: { Origin: APP } });
    assert.equal(await got.text(), 'hello');
    assert.equal(got.headers.get('access-control-allow-origin'), APP);
    assert.equal(got.headers.get('vary'), 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
    // An origin no rule names gets the object (S3 does not refuse it) but no Access-Control headers.
    const other = await fetch(getUrl, { headers: { Origin: 'http://evil.example.net' } });
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    // And an SDK request with an Origin header gets them too.
    const withOrigin = new S3Client({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, forcePathStyle: true });
    withOrigin.middlewareStack.add((next) => async (args) => {
      (args.request as { headers: Record<string, string> }).headers.origin = APP;
      return next(args);
    }, { step: 'build' });
    const sdkGet = await withOrigin.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'photo.txt' }));
    assert.equal(await sdkGet.Body!.transformToString(), 'hello');
  });
});
