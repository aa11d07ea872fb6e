import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, boto3Skip } from './support/cli.js';


interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string>, input?: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

describe('S3 through the AWS CLI and boto3', () => {
  let server: TestServer;
  let workDir: string;
  let env: Record<string, string>;

  before(async () => {
    server = await startTestServer();
    workDir = mkdtempSync(path.join(tmpdir(), 'lambkin-s3-cli-'));
    env = {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: path.join(workDir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, 'no-credentials'),
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
    };
  });
  after(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const aws = (args: string[], extraEnv: Record<string, string> = {}) => {
    const quiet = args[0] === 's3' && ['cp', 'sync', 'mv'].includes(args[1] ?? '') ? ['--no-progress'] : [];
    return run('aws', ['--endpoint-url', server.url, ...args, ...quiet], { ...env, ...extraEnv });
  };

  // Each CLI start costs seconds on a loaded machine, so one sync carries most of the coverage.
  test('aws s3 mb/sync/ls/cp/rm and aws s3api', { skip: awsCliSkip }, async () => {
    assert.equal((await aws(['s3', 'mb', 's3://cli-bucket'])).code, 0);
    const tree = path.join(workDir, 'tree');
    mkdirSync(path.join(tree, 'sub dir'), { recursive: true });
    const bigData = randomBytes(9 * 1024 * 1024);
    writeFileSync(path.join(tree, 'big.bin'), bigData);
    writeFileSync(path.join(tree, 'a.txt'), 'small file\n');
    writeFileSync(path.join(tree, 'sub dir', 'b+c.txt'), 'b');
    let r = await aws(['s3', 'sync', tree, 's3://cli-bucket/tree/']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /upload: .*b\+c\.txt to s3:\/\/cli-bucket\/tree\/sub dir\/b\+c\.txt/);
    r = await aws(['s3', 'sync', tree, 's3://cli-bucket/tree/']);
    assert.equal(r.stdout.trim(), '', 'a second sync uploads nothing');
    r = await aws(['s3', 'ls', '--recursive', 's3://cli-bucket/tree/']);
    assert.match(r.stdout, /11 tree\/a\.txt/);
    assert.match(r.stdout, new RegExp(`${bigData.length} tree/big\\.bin`));
    assert.match(r.stdout, /tree\/sub dir\/b\+c\.txt/);
    const back = path.join(workDir, 'big.back');
    r = await aws(['s3', 'cp', 's3://cli-bucket/tree/big.bin', back]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(readFileSync(back).equals(bigData));
    r = await aws(['s3api', 'get-object', '--bucket', 'cli-bucket', '--key', 'missing.txt', path.join(workDir, 'x')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /An error occurred \(NoSuchKey\) when calling the GetObject operation: The specified key does not exist\./);
    r = await aws(['s3', 'rm', '--recursive', 's3://cli-bucket/']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /delete: s3:\/\/cli-bucket\/tree\/big\.bin/);
  });

  test('boto3: objects, paginated listing, managed multipart transfer, presigned URL, errors', { skip: boto3Skip }, async () => {
    const file = path.join(workDir, 'boto-upload.bin');
    const data = randomBytes(7 * 1024 * 1024);
    writeFileSync(file, data);
    const script = `
import json, sys, urllib.request, urllib.error
import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test',
                  config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}, signature_version='s3v4'))
out = {}
s3.create_bucket(Bucket='boto-bucket')
for i in range(5):
    s3.put_object(Bucket='boto-bucket', Key='p/%d.txt' % i, Body=b'x' * i, Metadata={'n': str(i)})
pages = list(s3.get_paginator('list_objects_v2').paginate(Bucket='boto-bucket', Prefix='p/', PaginationConfig={'PageSize': 2}))
out['pages'] = len(pages)
out['keys'] = [c['Key'] for p in pages for c in p.get('Contents', [])]
got = s3.get_object(Bucket='boto-bucket', Key='p/3.txt')
out['body'] = got['Body'].read().decode()
out['meta'] = got['Metadata']
s3.upload_file(sys.argv[2], 'boto-bucket', 'big.bin', Config=TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024))
s3.download_file('boto-bucket', 'big.bin', sys.argv[2] + '.back')
out['bigEtag'] = s3.head_object(Bucket='boto-bucket', Key='big.bin')['ETag']
s3.copy_object(Bucket='boto-bucket', Key='copy.txt', CopySource={'Bucket': 'boto-bucket', 'Key': 'p/4.txt'})
url = s3.generate_presigned_url('get_object', Params={'Bucket': 'boto-bucket', 'Key': 'copy.txt'}, ExpiresIn=60)
out['presigned'] = urllib.request.urlopen(url).read().decode()
# Without signature_version, boto3 presigns S3 URLs with the legacy Signature Version 2.
legacy = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test',
                      config=Config(s3={'addressing_style': 'path'}))
v2url = legacy.generate_presigned_url('get_object', Params={'Bucket': 'boto-bucket', 'Key': 'copy.txt', 'ResponseContentType': 'text/x-v2'}, ExpiresIn=60)
v2 = urllib.request.urlopen(v2url)
out['presignedV2'] = ['Signature=' in v2url and 'AWSAccessKeyId=' in v2url, v2.read().decode(), v2.headers['content-type']]
try:
    urllib.request.urlopen(v2url.replace('copy.txt', 'p/1.txt'))
except urllib.error.HTTPError as e:
    out['presignedV2Tampered'] = e.code
try:
    s3.get_object(Bucket='boto-bucket', Key='nope')
except ClientError as e:
    out['missing'] = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['Error'].get('Key')]
try:
    s3.head_object(Bucket='boto-bucket', Key='nope')
except ClientError as e:
    out['headMissing'] = e.response['Error']['Code']
try:
    s3.create_bucket(Bucket='boto-eu', CreateBucketConfiguration={'LocationConstraint': 'us-east-1'})
except ClientError as e:
    out['badLocation'] = e.response['Error']['Code']
eu = boto3.client('s3', endpoint_url=sys.argv[1], region_name='eu-west-1', aws_access_key_id='test', aws_secret_access_key='test',
                  config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
try:
    eu.create_bucket(Bucket='boto-eu')
except ClientError as e:
    out['unspecifiedLocation'] = [e.response['Error']['Code'], e.response['Error']['Message']]
eu.create_bucket(Bucket='boto-eu', CreateBucketConfiguration={'LocationConstraint': 'eu-west-1'})
out['location'] = s3.get_bucket_location(Bucket='boto-eu')['LocationConstraint']
s3.put_object(Bucket='boto-bucket', Key='meta.txt', Body=b'm', Metadata={'team': 'blue'}, ContentType='text/plain', Tagging='a=b')
h = s3.head_object(Bucket='boto-bucket', Key='meta.txt')
out['head'] = [h['Metadata'], h['ContentType']]
deleted = s3.delete_objects(Bucket='boto-bucket', Delete={'Objects': [{'Key': 'p/%d.txt' % i} for i in range(5)]})
out['deleted'] = len(deleted['Deleted'])
out['left'] = s3.list_objects_v2(Bucket='boto-bucket', Prefix='p/')['KeyCount']
print(json.dumps(out))
`;
    const r = await run('python3', ['-c', script, server.url, file], {});
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(out.pages, 3);
    assert.deepEqual(out.keys, ['p/0.txt', 'p/1.txt', 'p/2.txt', 'p/3.txt', 'p/4.txt']);
    assert.equal(out.body, 'xxx');
    assert.deepEqual(out.meta, { n: '3' });
    assert.ok(readFileSync(`${file}.back`).equals(data));
    const parts = [data.subarray(0, 5 * 1024 * 1024), data.subarray(5 * 1024 * 1024)].map((p) => createHash('md5').update(p).digest());
    assert.equal(out.bigEtag, `"${createHash('md5').update(Buffer.concat(parts)).digest('hex')}-2"`);
    assert.equal(out.presigned, 'xxxx');
    assert.deepEqual(out.presignedV2, [true, 'xxxx', 'text/x-v2']);
    assert.equal(out.presignedV2Tampered, 403);
    assert.deepEqual(out.missing, ['NoSuchKey', 'The specified key does not exist.', 'nope']);
    assert.equal(out.headMissing, '404');
    assert.equal(out.badLocation, 'InvalidLocationConstraint');
    assert.deepEqual(out.unspecifiedLocation, ['IllegalLocationConstraintException', 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.']);
    assert.equal(out.location, 'eu-west-1');
    assert.deepEqual(out.head, [{ team: 'blue' }, 'text/plain']);
    assert.equal(out.deleted, 5);
    assert.equal(out.left, 0);
  });
});
