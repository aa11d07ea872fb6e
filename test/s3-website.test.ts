import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CreateBucketCommand, DeleteBucketWebsiteCommand, DeleteObjectCommand, GetBucketCorsCommand, GetBucketWebsiteCommand, GetObjectCommand, PutBucketAclCommand,
  PutBucketCorsCommand, PutBucketPolicyCommand, PutBucketWebsiteCommand, PutObjectCommand, PutPublicAccessBlockCommand, S3Client, type WebsiteConfiguration,
} from '@aws-sdk/client-s3';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, boto3Skip, runCommand } from './support/cli.js';


interface Visit {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('S3 static website hosting', () => {
  let server: TestServer;
  let s3: S3Client;
  let port: number;
  let workDir: string;
  let env: Record<string, string>;
  before(async () => {
    server = await startTestServer();
    port = Number(new URL(server.url).port);
    s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, forcePathStyle: true });
    workDir = mkdtempSync(path.join(tmpdir(), 'lambkin-s3-website-'));
    env = {
      AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1',
      AWS_CONFIG_FILE: path.join(workDir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, 'no-credentials'),
    };
  });
  after(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** A browser's request to the bucket's website endpoint: the server's port, the website host name. */
  const visit = (host: string, pathAndQuery: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Visit> =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: pathAndQuery, method: options.method ?? 'GET', headers: { host: `${host}:${port}`, ...options.headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(options.body);
    });
  const site = (bucket: string) => `${bucket}.s3-website.localhost`;
  const put = (Bucket: string, Key: string, Body: string, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) =>
    s3.send(new PutObjectCommand({ Bucket, Key, Body, ContentType: 'text/html', ...extra }));
  const publicPolicy = (bucket: string, deny?: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` },
        ...(deny ? [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/${deny}` }] : []),
      ],
    });
  /** S3's HTML error page, ids included; `extra` is the list about a failed error document. */
  const errorPage = (res: Visit, title: string, items: string[], extra?: string[]) => {
    const requestId = String(res.headers['x-amz-request-id']);
    const hostId = String(res.headers['x-amz-id-2']);
    const lines = ['<html>', `<head><title>${title}</title></head>`, '<body>', `<h1>${title}</h1>`, '<ul>', ...items.map((i) => `<li>${i}</li>`),
      `<li>RequestId: ${requestId}</li>`, `<li>HostId: ${hostId}</li>`, '</ul>'];
    if (extra) lines.push('<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>', '<ul>', ...extra.map((i) => `<li>${i}</li>`), '</ul>');
    lines.push('<hr/>', '</body>', '</html>', '');
    assert.equal(res.body, lines.join('\n'));
    assert.match(String(res.headers['content-type']), /^text\/html/);
  };
  const rejectsWith = (promise: Promise<unknown>, code: string, status: number, message: string) =>
    assert.rejects(promise, (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, code);
      assert.equal(err.$metadata?.httpStatusCode, status);
      assert.equal(err.message, message);
      return true;
    });

  test('Put/Get/DeleteBucketWebsite keep a configuration and refuse what S3 refuses', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'config' }));
    await rejectsWith(s3.send(new GetBucketWebsiteCommand({ Bucket: 'config' })), 'NoSuchWebsiteConfiguration', 404, 'The specified bucket does not have a website configuration');
    assert.equal((await s3.send(new DeleteBucketWebsiteCommand({ Bucket: 'config' }))).$metadata.httpStatusCode, 204);
    const bad = (WebsiteConfiguration: WebsiteConfiguration) => s3.send(new PutBucketWebsiteCommand({ Bucket: 'config', WebsiteConfiguration }));
    await rejectsWith(bad({ IndexDocument: { Suffix: '/index.html' } }), 'InvalidArgument', 400, 'The IndexDocument Suffix is not well formed');
    await rejectsWith(bad({ IndexDocument: { Suffix: '' } }), 'InvalidArgument', 400, 'The IndexDocument Suffix is not well formed');
    await rejectsWith(bad({ RedirectAllRequestsTo: { HostName: 'example.com' }, IndexDocument: { Suffix: 'index.html' } }), 'InvalidArgument', 400,
      'RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.');
    await rejectsWith(bad({ ErrorDocument: { Key: 'error.html' } }), 'InvalidArgument', 400, 'A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty');
    await rejectsWith(bad({ IndexDocument: { Suffix: 'index.html' }, RoutingRules: [{ Redirect: { Protocol: 'ftp' as 'http' } }] }), 'InvalidRequest', 400,
      'Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.');
    await rejectsWith(bad({ IndexDocument: { Suffix: 'index.html' }, RoutingRules: [{ Redirect: { ReplaceKeyPrefixWith: 'a', ReplaceKeyWith: 'b' } }] }), 'InvalidRequest', 400,
      'You can only define ReplaceKeyPrefix or ReplaceKey but not both.');
    await rejectsWith(bad({ IndexDocument: { Suffix: 'index.html' }, RoutingRules: [{ Condition: {}, Redirect: { ReplaceKeyPrefixWith: 'a' } }] }), 'InvalidRequest', 400,
      "Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present.");
    await rejectsWith(bad({ IndexDocument: { Suffix: 'index.html' }, RoutingRules: [] }), 'MalformedXML', 400,
      'The XML you provided was not well-formed or did not validate against our published schema');
    await rejectsWith(s3.send(new GetBucketWebsiteCommand({ Bucket: 'config' })), 'NoSuchWebsiteConfiguration', 404, 'The specified bucket does not have a website configuration');

    const config: WebsiteConfiguration = {
      IndexDocument: { Suffix: 'index.html' },
      ErrorDocument: { Key: 'error.html' },
      RoutingRules: [
        { Condition: { KeyPrefixEquals: 'docs/' }, Redirect: { ReplaceKeyPrefixWith: '' } },
        { Condition: { HttpErrorCodeReturnedEquals: '404', KeyPrefixEquals: 'old/' }, Redirect: { HostName: 'example.com', Protocol: 'https', ReplaceKeyWith: 'gone.html', HttpRedirectCode: '307' } },
      ],
    };
    await s3.send(new PutBucketWebsiteCommand({ Bucket: 'config', WebsiteConfiguration: config }));
    const got = await s3.send(new GetBucketWebsiteCommand({ Bucket: 'config' }));
    assert.deepEqual({ IndexDocument: got.IndexDocument, ErrorDocument: got.ErrorDocument, RoutingRules: got.RoutingRules }, config);
    await s3.send(new PutBucketWebsiteCommand({ Bucket: 'config', WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: 'example.com', Protocol: 'https' } } }));
    assert.deepEqual((await s3.send(new GetBucketWebsiteCommand({ Bucket: 'config' }))).RedirectAllRequestsTo, { HostName: 'example.com', Protocol: 'https' });
    await s3.send(new DeleteBucketWebsiteCommand({ Bucket: 'config' }));
    await rejectsWith(s3.send(new GetBucketWebsiteCommand({ Bucket: 'config' })), 'NoSuchWebsiteConfiguration', 404, 'The specified bucket does not have a website configuration');
  });

  test('the website endpoint serves index documents, error documents and object redirects', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'www' }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'www', Policy: publicPolicy('www', 'private/*') }));
    await put('www', 'index.html', '<h1>home</h1>');
    await put('www', 'docs/index.html', '<h1>docs</h1>');
    await put('www', 'page.html', '<p>page</p>');
    await put('www', 'error.html', '<p>not here</p>');
    await put('www', 'old.html', 'moved', { WebsiteRedirectLocation: '/page.html' });
    await put('www', 'private/secret.html', 'secret');
    // Before a configuration, the endpoint says so; for a bucket that does not exist, that.
    errorPage(await visit(site('www'), '/'), '404 Not Found', ['Code: NoSuchWebsiteConfiguration', 'Message: The specified bucket does not have a website configuration', 'BucketName: www']);
    errorPage(await visit(site('nowhere'), '/'), '404 Not Found', ['Code: NoSuchBucket', 'Message: The specified bucket does not exist', 'BucketName: nowhere']);

    await s3.send(new PutBucketWebsiteCommand({ Bucket: 'www', WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'error.html' } } }));
    // A browser asking for `/` gets the site, not the web console the plain host would send it to.
    const home = await visit(site('www'), '/', { headers: { accept: 'text/html' } });
    assert.equal(home.status, 200);
    assert.equal(home.body, '<h1>home</h1>');
    assert.equal(home.headers['content-type'], 'text/html');
    const etag = String(home.headers.etag);
    assert.equal((await visit(site('www'), '/', { headers: { 'if-none-match': etag } })).status, 304);
    const headOnly = await visit(site('www'), '/', { method: 'HEAD' });
    assert.deepEqual([headOnly.status, headOnly.body, headOnly.headers['content-length']], [200, '', '13']);
    // Every region form of the host, and any path (this one is Lambda's on the API host).
    assert.equal((await visit('www.s3-website-us-east-1.localhost', '/page.html')).body, '<p>page</p>');
    assert.equal((await visit('www.s3-website.eu-west-1.localhost', '/page.html')).body, '<p>page</p>');
    const lambdaPath = await visit(site('www'), '/2015-03-31/functions');
    assert.deepEqual([lambdaPath.status, lambdaPath.body], [404, '<p>not here</p>']);

    const folder = await visit(site('www'), '/docs');
    assert.deepEqual([folder.status, folder.headers.location], [302, '/docs/']);
    assert.equal((await visit(site('www'), '/docs/')).body, '<h1>docs</h1>');
    const missing = await visit(site('www'), '/missing.html');
    assert.deepEqual([missing.status, missing.body, missing.headers['content-type']], [404, '<p>not here</p>', 'text/html']);
    const moved = await visit(site('www'), '/old.html');
    assert.deepEqual([moved.status, moved.headers.location, moved.body], [301, '/page.html', '']);
    // Objects the bucket policy does not let everyone read are 403, with the error document.
    const secret = await visit(site('www'), '/private/secret.html');
    assert.deepEqual([secret.status, secret.body], [403, '<p>not here</p>']);
    // Only GET and HEAD, whatever the body (a form is not taken for a query API call).
    const write = await visit(site('www'), '/page.html', { method: 'PUT', body: 'overwritten' });
    errorPage(write, '405 Method Not Allowed', ['Code: MethodNotAllowed', 'Message: The specified method is not allowed against this resource.', 'Method: PUT', 'ResourceType: OBJECT']);
    const form = await visit(site('www'), '/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListQueues' });
    assert.equal(form.status, 405);
    const kept = await s3.send(new GetObjectCommand({ Bucket: 'www', Key: 'page.html' }));
    assert.equal(await kept.Body?.transformToString(), '<p>page</p>');

    // Without its error document, S3's own page, saying why the error document was not sent.
    await s3.send(new DeleteObjectCommand({ Bucket: 'www', Key: 'error.html' }));
    errorPage(await visit(site('www'), '/missing.html'), '404 Not Found', ['Code: NoSuchKey', 'Message: The specified key does not exist.', 'Key: missing.html'],
      ['Code: NoSuchKey', 'Message: The specified key does not exist.', 'Key: error.html']);
    errorPage(await visit(site('www'), '/nothing/'), '404 Not Found', ['Code: NoSuchKey', 'Message: The specified key does not exist.', 'Key: nothing/index.html'],
      ['Code: NoSuchKey', 'Message: The specified key does not exist.', 'Key: error.html']);
  });

  test('public ACLs and Block Public Access decide what the website serves', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'acls' }));
    await put('acls', 'index.html', 'public', { ACL: 'public-read' });
    await put('acls', 'secret.html', 'private');
    await s3.send(new PutBucketWebsiteCommand({ Bucket: 'acls', WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
    assert.equal((await visit(site('acls'), '/')).body, 'public');
    const denied = ['Code: AccessDenied', 'Message: Access Denied'];
    const secret = await visit(site('acls'), '/secret.html');
    assert.equal(secret.status, 403);
    errorPage(secret, '403 Forbidden', denied);
    assert.equal(secret.headers['x-amz-error-code'], 'AccessDenied');
    // A missing key is 403 to a visitor who may not list the bucket, 404 once the bucket's ACL lets everyone list.
    assert.equal((await visit(site('acls'), '/missing.html')).status, 403);
    await s3.send(new PutBucketAclCommand({ Bucket: 'acls', ACL: 'public-read' }));
    const missing = await visit(site('acls'), '/missing.html');
    assert.deepEqual([missing.status, missing.headers['x-amz-error-code'], missing.headers['x-amz-error-detail-key']], [404, 'NoSuchKey', 'missing.html']);
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: 'acls', PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
    errorPage(await visit(site('acls'), '/'), '403 Forbidden', denied);
  });

  test("the website answers CORS preflights from the bucket's rules, labels answers to an Origin, and counts in the request metrics", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'fonts' }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'fonts', Policy: publicPolicy('fonts') }));
    await put('fonts', 'index.html', 'home');
    await put('fonts', 'font.woff2', 'glyphs', { ContentType: 'font/woff2' });
    await s3.send(new PutBucketWebsiteCommand({ Bucket: 'fonts', WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
    const preflight = (origin: string, method = 'GET', headers: Record<string, string> = {}) =>
      visit(site('fonts'), '/font.woff2', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, ...headers } });
    const noRules = await preflight('http://app.localhost');
    errorPage(noRules, '403 Forbidden', ['Code: AccessForbidden', 'Message: CORSResponse: CORS is not enabled for this bucket.', 'Method: OPTIONS', 'ResourceType: OBJECT']);

    await s3.send(new PutBucketCorsCommand({ Bucket: 'fonts', CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['http://app.localhost'], AllowedMethods: ['GET', 'HEAD'], AllowedHeaders: ['range'], MaxAgeSeconds: 600 }] } }));
    const allowed = await preflight('http://app.localhost', 'GET', { 'access-control-request-headers': 'Range' });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers['access-control-allow-origin'], 'http://app.localhost');
    assert.equal(allowed.headers['access-control-allow-methods'], 'GET, HEAD');
    assert.equal(allowed.headers['access-control-allow-headers'], 'range');
    assert.equal(allowed.headers['access-control-max-age'], '600');
    const otherOrigin = await preflight('http://evil.localhost');
    assert.equal(otherOrigin.status, 403);
    assert.equal(otherOrigin.headers['x-amz-error-code'], 'AccessForbidden');
    assert.equal((await preflight('http://app.localhost', 'PUT')).status, 403);

    const font = await visit(site('fonts'), '/font.woff2', { headers: { origin: 'http://app.localhost' } });
    assert.deepEqual([font.status, font.body, font.headers['access-control-allow-origin']], [200, 'glyphs', 'http://app.localhost']);
    const page = await visit(site('fonts'), '/', { headers: { origin: 'http://evil.localhost' } });
    assert.deepEqual([page.status, page.headers['access-control-allow-origin']], [200, undefined]);

    // Website requests are counted like any other S3 request.
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const count = (operation: string, status: string) =>
      Number(new RegExp(`^lambkin_api_requests_total\\{service="s3",operation="${operation}",status="${status}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
    assert.ok(count('OPTIONS', '200') >= 1, metrics);
    assert.ok(count('OPTIONS', '403') >= 3, metrics);
  });

  test("CloudFormation: a bucket's WebsiteConfiguration and CorsConfiguration are applied, and WebsiteURL is the local website address", async () => {
    const cfn = new CloudFormationClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const template = {
      Resources: {
        Site: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: 'cfn-site',
            WebsiteConfiguration: { IndexDocument: 'index.html', ErrorDocument: 'error.html', RoutingRules: [{ RoutingRuleCondition: { KeyPrefixEquals: 'old/' }, RedirectRule: { ReplaceKeyPrefixWith: 'new/' } }] },
            CorsConfiguration: { CorsRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'], ExposedHeaders: ['ETag'], MaxAge: 60 }] },
          },
        },
      },
      Outputs: { Url: { Value: { 'Fn::GetAtt': ['Site', 'WebsiteURL'] } } },
    };
    await cfn.send(new CreateStackCommand({ StackName: 'site', TemplateBody: JSON.stringify(template) }));
    await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { StackName: 'site' });
    const url = (await cfn.send(new DescribeStacksCommand({ StackName: 'site' }))).Stacks![0]!.Outputs!.find((o) => o.OutputKey === 'Url')!.OutputValue!;
    assert.equal(url, `http://cfn-site.s3-website-us-east-1.localhost:${port}`);
    const got = await s3.send(new GetBucketWebsiteCommand({ Bucket: 'cfn-site' }));
    assert.deepEqual([got.IndexDocument, got.ErrorDocument, got.RoutingRules], [{ Suffix: 'index.html' }, { Key: 'error.html' }, [{ Condition: { KeyPrefixEquals: 'old/' }, Redirect: { ReplaceKeyPrefixWith: 'new/' } }]]);
    assert.deepEqual((await s3.send(new GetBucketCorsCommand({ Bucket: 'cfn-site' }))).CORSRules, [{ AllowedOrigins: ['*'], AllowedMethods: ['GET'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 60 }]);
    await put('cfn-site', 'index.html', 'from a stack', { ACL: 'public-read' });
    const home = await visit(new URL(url).hostname, '/', { headers: { origin: 'http://anywhere.localhost' } });
    assert.deepEqual([home.status, home.body, home.headers['access-control-allow-origin']], [200, 'from a stack', '*']);
    cfn.destroy();
  });

  test('routing rules and RedirectAllRequestsTo redirect as S3 does', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'rules' }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'rules', Policy: publicPolicy('rules') }));
    await put('rules', 'old/here.html', 'still here');
    await put('rules', 'prefixed.html', 'prefixed', { WebsiteRedirectLocation: '/elsewhere.html' });
    await s3.send(new PutBucketWebsiteCommand({
      Bucket: 'rules',
      WebsiteConfiguration: {
        IndexDocument: { Suffix: 'index.html' },
        RoutingRules: [
          { Condition: { KeyPrefixEquals: 'docs/' }, Redirect: { ReplaceKeyPrefixWith: 'documents/' } },
          { Condition: { KeyPrefixEquals: 'ext/' }, Redirect: { HostName: 'example.com', Protocol: 'https', ReplaceKeyWith: 'landing', HttpRedirectCode: '307' } },
          { Condition: { KeyPrefixEquals: 'prefixed' }, Redirect: { ReplaceKeyWith: 'rule.html' } },
          { Condition: { HttpErrorCodeReturnedEquals: '404', KeyPrefixEquals: 'old/' }, Redirect: { ReplaceKeyPrefixWith: 'new/' } },
        ],
      },
    }));
    const host = `${site('rules')}:${port}`;
    const docs = await visit(site('rules'), '/docs/a%20b.html');
    assert.deepEqual([docs.status, docs.headers.location], [301, `http://${host}/documents/a%20b.html`]);
    const ext = await visit(site('rules'), '/ext/anything');
    assert.deepEqual([ext.status, ext.headers.location], [307, 'https://example.com/landing']);
    // A prefix rule comes before the object's own redirect.
    const prefixed = await visit(site('rules'), '/prefixed.html');
    assert.deepEqual([prefixed.status, prefixed.headers.location], [301, `http://${host}/rule.html`]);
    // An error rule only when the lookup failed with its code.
    assert.equal((await visit(site('rules'), '/old/here.html')).body, 'still here');
    const gone = await visit(site('rules'), '/old/gone.html');
    assert.deepEqual([gone.status, gone.headers.location], [301, `http://${host}/new/gone.html`]);
    assert.equal((await visit(site('rules'), '/other/gone.html')).status, 404);

    await s3.send(new CreateBucketCommand({ Bucket: 'moved' }));
    await s3.send(new PutBucketWebsiteCommand({ Bucket: 'moved', WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: 'www.example.org', Protocol: 'https' } } }));
    const all = await visit(site('moved'), '/a/b.html');
    assert.deepEqual([all.status, all.headers.location, all.body], [301, 'https://www.example.org/a/b.html', '']);
  });

  test('the AWS CLI configures a website', { skip: awsCliSkip }, async () => {
    const aws = (...args: string[]) => runCommand('aws', ['--endpoint-url', server.url, ...args], env);
    assert.equal((await aws('s3', 'mb', 's3://cli-site')).code, 0);
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'cli-site', Policy: publicPolicy('cli-site') }));
    await put('cli-site', 'index.html', 'cli home');
    const website = await aws('s3', 'website', 's3://cli-site', '--index-document', 'index.html', '--error-document', 'error.html');
    assert.equal(website.code, 0, website.stderr);
    const got = await aws('s3api', 'get-bucket-website', '--bucket', 'cli-site');
    assert.equal(got.code, 0, got.stderr);
    assert.deepEqual(JSON.parse(got.stdout), { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: 'error.html' } });
    assert.equal((await visit(site('cli-site'), '/')).body, 'cli home');
    assert.equal((await aws('s3api', 'delete-bucket-website', '--bucket', 'cli-site')).code, 0);
    const none = await aws('s3api', 'get-bucket-website', '--bucket', 'cli-site');
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /NoSuchWebsiteConfiguration/);
  });

  test('boto3 configures a website', { skip: boto3Skip }, async () => {
    const script = `
import json, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test',
                  config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
def err(call):
    try:
        call()
        return None
    except ClientError as e:
        return [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error'].get('Message'), e.response['Error'].get('ArgumentName')]
out = {}
s3.create_bucket(Bucket='boto-site')
out['none'] = err(lambda: s3.get_bucket_website(Bucket='boto-site'))
out['slash'] = err(lambda: s3.put_bucket_website(Bucket='boto-site', WebsiteConfiguration={'IndexDocument': {'Suffix': 'a/index.html'}}))
out['mixed'] = err(lambda: s3.put_bucket_website(Bucket='boto-site', WebsiteConfiguration={'RedirectAllRequestsTo': {'HostName': 'x'}, 'ErrorDocument': {'Key': 'e'}}))
s3.put_bucket_website(Bucket='boto-site', WebsiteConfiguration={'IndexDocument': {'Suffix': 'index.html'},
    'RoutingRules': [{'Condition': {'HttpErrorCodeReturnedEquals': '404'}, 'Redirect': {'ReplaceKeyWith': 'index.html'}}]})
got = s3.get_bucket_website(Bucket='boto-site')
out['got'] = {k: got[k] for k in ('IndexDocument', 'RoutingRules')}
s3.delete_bucket_website(Bucket='boto-site')
out['deleted'] = err(lambda: s3.get_bucket_website(Bucket='boto-site'))[0]
print(json.dumps(out))
`;
    const result = await runCommand('python3', ['-c', script, server.url], env);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(out.none, ['NoSuchWebsiteConfiguration', 404, 'The specified bucket does not have a website configuration', null]);
    assert.deepEqual(out.slash, ['InvalidArgument', 400, 'The IndexDocument Suffix is not well formed', 'IndexDocument']);
    assert.deepEqual(out.mixed, ['InvalidArgument', 400, 'RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.', 'RedirectAllRequestsTo']);
    assert.deepEqual(out.got, { IndexDocument: { Suffix: 'index.html' }, RoutingRules: [{ Condition: { HttpErrorCodeReturnedEquals: '404' }, Redirect: { ReplaceKeyWith: 'index.html' } }] });
    assert.equal(out.deleted, 'NoSuchWebsiteConfiguration');
  });
});
