import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, boto3Skip, runCommand } from './support/cli.js';


describe('S3 CORS, lifecycle, ACLs and Block Public Access through boto3 and the AWS CLI', () => {
  let server: TestServer;
  let workDir: string;
  let env: Record<string, string>;
  before(async () => {
    server = await startTestServer();
    workDir = mkdtempSync(path.join(tmpdir(), 'lambkin-s3-controls-'));
    env = {
      AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1',
      AWS_CONFIG_FILE: path.join(workDir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, 'no-credentials'),
    };
  });
  after(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  test('boto3', { skip: boto3Skip }, async () => {
    const script = `
import json, sys, urllib.request, urllib.error
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test',
                  config=Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
out = {}
def err(call):
    try:
        call()
        return None
    except ClientError as e:
        return [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error'].get('Message')]
def anonymous(path):
    try:
        return urllib.request.urlopen(sys.argv[1] + path).status
    except urllib.error.HTTPError as e:
        return e.code
s3.create_bucket(Bucket='boto')
out['no_cors'] = err(lambda: s3.get_bucket_cors(Bucket='boto'))
out['bad_cors'] = err(lambda: s3.put_bucket_cors(Bucket='boto', CORSConfiguration={'CORSRules': [{'AllowedMethods': ['PATCH'], 'AllowedOrigins': ['*']}]}))
s3.put_bucket_cors(Bucket='boto', CORSConfiguration={'CORSRules': [{'AllowedMethods': ['GET'], 'AllowedOrigins': ['http://app.test']}]})
out['cors'] = s3.get_bucket_cors(Bucket='boto')['CORSRules']
out['bad_lifecycle'] = err(lambda: s3.put_bucket_lifecycle_configuration(Bucket='boto', LifecycleConfiguration={'Rules': [{'ID': 'r', 'Status': 'Enabled', 'Filter': {'Prefix': ''}, 'Expiration': {'Days': 0}}]}))
s3.put_bucket_lifecycle_configuration(Bucket='boto', LifecycleConfiguration={'Rules': [{'ID': 'r', 'Status': 'Enabled', 'Filter': {'Prefix': 'tmp/'}, 'Expiration': {'Days': 1}}]})
out['lifecycle'] = s3.get_bucket_lifecycle_configuration(Bucket='boto')['Rules']
s3.put_object(Bucket='boto', Key='pub.txt', Body=b'hi', ACL='public-read')
s3.put_object(Bucket='boto', Key='priv.txt', Body=b'hi')
out['grants'] = [[g['Grantee']['Type'], g['Permission']] for g in s3.get_object_acl(Bucket='boto', Key='pub.txt')['Grants']]
out['anonymous'] = [anonymous('/boto/pub.txt'), anonymous('/boto/priv.txt')]
s3.put_public_access_block(Bucket='boto', PublicAccessBlockConfiguration={'IgnorePublicAcls': True})
out['block'] = s3.get_public_access_block(Bucket='boto')['PublicAccessBlockConfiguration']
out['blocked'] = anonymous('/boto/pub.txt')
print(json.dumps(out))
`;
    const result = await runCommand('python3', ['-c', script, server.url], env);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(out.no_cors, ['NoSuchCORSConfiguration', 404, 'The CORS configuration does not exist']);
    assert.deepEqual(out.bad_cors, ['InvalidRequest', 400, 'Found unsupported HTTP method in CORS config. Unsupported method is PATCH']);
    assert.deepEqual(out.cors, [{ AllowedMethods: ['GET'], AllowedOrigins: ['http://app.test'] }]);
    assert.deepEqual(out.bad_lifecycle, ['InvalidArgument', 400, "'Days' for Expiration action must be a positive integer"]);
    assert.deepEqual(out.lifecycle, [{ ID: 'r', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } }]);
    assert.deepEqual(out.grants, [['CanonicalUser', 'FULL_CONTROL'], ['Group', 'READ']]);
    assert.deepEqual(out.anonymous, [200, 403]);
    assert.deepEqual(out.block, { BlockPublicAcls: false, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false });
    assert.equal(out.blocked, 403);
  });

  test('AWS CLI', { skip: awsCliSkip }, async () => {
    const aws = (...args: string[]) => runCommand('aws', ['--endpoint-url', server.url, 's3api', ...args], env);
    assert.equal((await aws('create-bucket', '--bucket', 'cli')).code, 0);
    const put = await aws('put-bucket-cors', '--bucket', 'cli', '--cors-configuration', JSON.stringify({ CORSRules: [{ AllowedMethods: ['PUT'], AllowedOrigins: ['*'], MaxAgeSeconds: 60 }] }));
    assert.equal(put.code, 0, put.stderr);
    assert.deepEqual(JSON.parse((await aws('get-bucket-cors', '--bucket', 'cli')).stdout), { CORSRules: [{ AllowedMethods: ['PUT'], AllowedOrigins: ['*'], MaxAgeSeconds: 60 }] });
    const lifecycle = await aws('put-bucket-lifecycle-configuration', '--bucket', 'cli', '--lifecycle-configuration',
      JSON.stringify({ Rules: [{ ID: 'uploads', Status: 'Enabled', Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }] }));
    assert.equal(lifecycle.code, 0, lifecycle.stderr);
    const rules = JSON.parse((await aws('get-bucket-lifecycle-configuration', '--bucket', 'cli')).stdout) as { Rules: Array<Record<string, unknown>> };
    assert.deepEqual(rules.Rules[0]?.AbortIncompleteMultipartUpload, { DaysAfterInitiation: 7 });
    assert.equal((await aws('put-bucket-acl', '--bucket', 'cli', '--acl', 'public-read')).code, 0);
    const acl = JSON.parse((await aws('get-bucket-acl', '--bucket', 'cli')).stdout) as { Grants: Array<{ Grantee: { URI?: string }; Permission: string }> };
    assert.deepEqual(acl.Grants.map((g) => g.Permission), ['FULL_CONTROL', 'READ']);
    const missing = await aws('get-public-access-block', '--bucket', 'cli');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NoSuchPublicAccessBlockConfiguration/);
  });
});
