import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, boto3Skip, runCommand } from './support/cli.js';


// Texts from the Amazon S3 API Reference and User Guide (no S3 recordings in the parity data).
const PRECONDITION = 'At least one of the pre-conditions you specified did not hold';

describe('S3 at the edges through boto3 and the AWS CLI', () => {
  let server: TestServer;
  let workDir: string;
  let env: Record<string, string>;

  before(async () => {
    server = await startTestServer({ LAMBKIN_S3_ACCESS_LOG_FLUSH_MS: '300' });
    workDir = mkdtempSync(path.join(tmpdir(), 'lambkin-s3-edges-'));
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

  test('boto3: exact code, status and message at each edge; racing writers', { skip: boto3Skip }, async () => {
    const script = `
import json, sys, threading, time
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
def client(key='test', region='us-east-1'):
    return boto3.client('s3', endpoint_url=sys.argv[1], region_name=region, aws_access_key_id=key, aws_secret_access_key='test',
                        config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}, signature_version='s3v4'))
s3 = client()
out = {}
def err(name, call):
    try:
        call()
        out[name] = 'succeeded'
    except ClientError as e:
        out[name] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error'].get('Message')]
s3.create_bucket(Bucket='boto-edges')
first = s3.put_object(Bucket='boto-edges', Key='k', Body=b'one', IfNoneMatch='*')
err('putExists', lambda: s3.put_object(Bucket='boto-edges', Key='k', Body=b'two', IfNoneMatch='*'))
err('putIfMatchWrong', lambda: s3.put_object(Bucket='boto-edges', Key='k', Body=b'two', IfMatch='"0123456789abcdef0123456789abcdef"'))
err('putIfMatchMissing', lambda: s3.put_object(Bucket='boto-edges', Key='absent', Body=b'x', IfMatch=first['ETag']))
err('deleteIfMatchWrong', lambda: s3.delete_object(Bucket='boto-edges', Key='k', IfMatch='"0123456789abcdef0123456789abcdef"'))
s3.delete_object(Bucket='boto-edges', Key='k', IfMatch=first['ETag'])
# Two writers racing with If-None-Match: *
results = []
def writer(i):
    try:
        client().put_object(Bucket='boto-edges', Key='race', Body=b'w%d' % i, IfNoneMatch='*')
        results.append('ok')
    except ClientError as e:
        results.append('%s %s' % (e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']))
threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
[t.start() for t in threads]
[t.join() for t in threads]
out['race'] = sorted(results)
mp = s3.create_multipart_upload(Bucket='boto-edges', Key='mp')
p1 = s3.upload_part(Bucket='boto-edges', Key='mp', UploadId=mp['UploadId'], PartNumber=1, Body=b'a' * 10)
p2 = s3.upload_part(Bucket='boto-edges', Key='mp', UploadId=mp['UploadId'], PartNumber=2, Body=b'b' * 10)
parts = [{'PartNumber': 1, 'ETag': p1['ETag']}, {'PartNumber': 2, 'ETag': p2['ETag']}]
err('tooSmall', lambda: s3.complete_multipart_upload(Bucket='boto-edges', Key='mp', UploadId=mp['UploadId'], MultipartUpload={'Parts': parts}))
err('badOrder', lambda: s3.complete_multipart_upload(Bucket='boto-edges', Key='mp', UploadId=mp['UploadId'], MultipartUpload={'Parts': parts[::-1]}))
err('badPart', lambda: s3.complete_multipart_upload(Bucket='boto-edges', Key='mp', UploadId=mp['UploadId'], MultipartUpload={'Parts': [{'PartNumber': 3, 'ETag': p1['ETag']}]}))
done = s3.complete_multipart_upload(Bucket='boto-edges', Key='mp', UploadId=mp['UploadId'], MultipartUpload={'Parts': parts[1:]})
again = s3.complete_multipart_upload(Bucket='boto-edges', Key='mp', UploadId=mp['UploadId'], MultipartUpload={'Parts': parts[1:]})
out['idempotent'] = done['ETag'] == again['ETag']
s3.put_object(Bucket='boto-edges', Key='self', Body=b's')
err('copySelf', lambda: s3.copy_object(Bucket='boto-edges', Key='self', CopySource={'Bucket': 'boto-edges', 'Key': 'self'}))
err('tooManyTags', lambda: s3.put_object_tagging(Bucket='boto-edges', Key='self', Tagging={'TagSet': [{'Key': 'k%d' % i, 'Value': 'v'} for i in range(11)]}))
err('awsTag', lambda: s3.put_object_tagging(Bucket='boto-edges', Key='self', Tagging={'TagSet': [{'Key': 'aws:x', 'Value': 'v'}]}))
err('noTagSet', lambda: s3.get_bucket_tagging(Bucket='boto-edges'))
err('otherAccount', lambda: client('111122223333').create_bucket(Bucket='boto-edges'))
err('unknownLocation', lambda: s3.create_bucket(Bucket='boto-moon', CreateBucketConfiguration={'LocationConstraint': 'moon-1'}))
# The LogDelivery group's WRITE (a target whose ACLs are on) lets S3's log delivery write.
s3.create_bucket(Bucket='boto-edges-logs', ACL='log-delivery-write')
err('logTargetMissing', lambda: s3.put_bucket_logging(Bucket='boto-edges', BucketLoggingStatus={'LoggingEnabled': {'TargetBucket': 'boto-nothing', 'TargetPrefix': 'l/'}}))
s3.put_bucket_logging(Bucket='boto-edges', BucketLoggingStatus={'LoggingEnabled': {'TargetBucket': 'boto-edges-logs', 'TargetPrefix': 'l/',
    'TargetObjectKeyFormat': {'PartitionedPrefix': {'PartitionDateSource': 'DeliveryTime'}}}})
out['logging'] = s3.get_bucket_logging(Bucket='boto-edges')['LoggingEnabled']
s3.head_object(Bucket='boto-edges', Key='self')
keys = []
for _ in range(150):
    keys = [c['Key'] for c in s3.list_objects_v2(Bucket='boto-edges-logs').get('Contents', [])]
    if keys:
        break
    time.sleep(0.1)
out['logKeys'] = keys
err('select', lambda: s3.select_object_content(Bucket='boto-edges', Key='self', Expression='SELECT * FROM S3Object', ExpressionType='SQL',
    InputSerialization={'CSV': {}}, OutputSerialization={'CSV': {}}))
print(json.dumps(out))
`;
    const r = await runCommand('python3', ['-c', script, server.url], {});
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(out.putExists, ['PreconditionFailed', 412, PRECONDITION]);
    assert.deepEqual(out.putIfMatchWrong, ['PreconditionFailed', 412, PRECONDITION]);
    assert.deepEqual(out.putIfMatchMissing, ['NoSuchKey', 404, 'The specified key does not exist.']);
    assert.deepEqual(out.deleteIfMatchWrong, ['PreconditionFailed', 412, PRECONDITION]);
    assert.deepEqual(out.race, ['PreconditionFailed 412', 'ok']);
    assert.deepEqual(out.tooSmall, ['EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size']);
    assert.deepEqual(out.badOrder, ['InvalidPartOrder', 400, 'The list of parts was not in ascending order. Parts must be ordered by part number.']);
    assert.deepEqual(out.badPart, [
      'InvalidPart', 400,
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    ]);
    assert.equal(out.idempotent, true);
    assert.deepEqual(out.copySelf, [
      'InvalidRequest', 400,
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    ]);
    assert.deepEqual(out.tooManyTags, ['BadRequest', 400, 'Object tags cannot be greater than 10']);
    assert.deepEqual(out.awsTag, ['InvalidTag', 400, 'System tags cannot be added/updated by requester']);
    assert.deepEqual(out.noTagSet, ['NoSuchTagSet', 404, 'The TagSet does not exist']);
    assert.deepEqual(out.otherAccount, [
      'BucketAlreadyExists', 409,
      'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    ]);
    assert.deepEqual(out.unknownLocation, ['InvalidLocationConstraint', 400, 'The specified location-constraint is not valid']);
    assert.deepEqual(out.logTargetMissing, ['InvalidTargetBucketForLogging', 400, 'The target bucket for logging does not exist']);
    assert.deepEqual(out.logging, { TargetBucket: 'boto-edges-logs', TargetPrefix: 'l/', TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'DeliveryTime' } } });
    const logKeys = out.logKeys as string[];
    assert.ok(logKeys.length > 0, 'no access log object was delivered');
    assert.match(logKeys[0]!, /^l\/000000000000\/us-east-1\/boto-edges\/\d{4}\/\d{2}\/\d{2}\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$/);
    assert.deepEqual(out.select, ['MethodNotAllowed', 405, 'The specified method is not allowed against this resource.']);
  });

  test('aws s3api: conditional writes, tagging, logging and select errors as the CLI prints them', { skip: awsCliSkip }, async () => {
    const aws = (args: string[]) => runCommand('aws', ['--endpoint-url', server.url, 's3api', ...args], env);
    const file = path.join(workDir, 'body.txt');
    writeFileSync(file, 'cli body');
    assert.equal((await aws(['create-bucket', '--bucket', 'cli-edges'])).code, 0);
    const put = await aws(['put-object', '--bucket', 'cli-edges', '--key', 'k', '--body', file, '--if-none-match', '*']);
    assert.equal(put.code, 0, put.stderr);
    // Each CLI start costs seconds on a loaded machine: the refusals run side by side.
    const [again, tags, noTags, logging, select, del] = await Promise.all([
      aws(['put-object', '--bucket', 'cli-edges', '--key', 'k', '--body', file, '--if-none-match', '*']),
      aws(['put-object-tagging', '--bucket', 'cli-edges', '--key', 'k', '--tagging', 'TagSet=[{Key=aws:x,Value=v}]']),
      aws(['get-bucket-tagging', '--bucket', 'cli-edges']),
      aws(['put-bucket-logging', '--bucket', 'cli-edges', '--bucket-logging-status', '{"LoggingEnabled":{"TargetBucket":"cli-nothing","TargetPrefix":"l/"}}']),
      aws(['select-object-content', '--bucket', 'cli-edges', '--key', 'k', '--expression', 'SELECT * FROM S3Object', '--expression-type', 'SQL',
        '--input-serialization', '{"CSV":{}}', '--output-serialization', '{"CSV":{}}', path.join(workDir, 'out.csv')]),
      aws(['delete-object', '--bucket', 'cli-edges', '--key', 'k', '--if-match', '"0123456789abcdef0123456789abcdef"']),
    ]);
    const said = (r: { code: number; stderr: string }, code: string, operation: string, message: string) => {
      assert.notEqual(r.code, 0);
      assert.equal(r.stderr.trim(), `An error occurred (${code}) when calling the ${operation} operation: ${message}`);
    };
    said(again, 'PreconditionFailed', 'PutObject', PRECONDITION);
    said(tags, 'InvalidTag', 'PutObjectTagging', 'System tags cannot be added/updated by requester');
    said(noTags, 'NoSuchTagSet', 'GetBucketTagging', 'The TagSet does not exist');
    said(logging, 'InvalidTargetBucketForLogging', 'PutBucketLogging', 'The target bucket for logging does not exist');
    said(select, 'MethodNotAllowed', 'SelectObjectContent', 'The specified method is not allowed against this resource.');
    said(del, 'PreconditionFailed', 'DeleteObject', PRECONDITION);
  });
});
