import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, UploadPartCommand, GetBucketAclCommand, GetBucketLoggingCommand, PutBucketLoggingCommand, GetObjectAclCommand, GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutBucketAclCommand,
  PutObjectAclCommand, PutObjectCommand, PutPublicAccessBlockCommand, S3Client,
} from '@aws-sdk/client-s3';
import { rejectsWith } from './support/aws-errors.js';
import { awsCliSkip, boto3Skip, runCommand } from './support/cli.js';
import { startTestServer, type TestServer } from './support/server.js';

const OWNER = '000000000000';
const OTHER = '111111111111';
const THIRD = '222222222222';

describe('S3 ACL grants to other accounts (canonical user ids)', () => {
  let server: TestServer;
  let workDir: string;
  const s3As = (account: string) =>
    new S3Client({ endpoint: server.url, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: account, secretAccessKey: 'test' } });
  let owner: S3Client;
  let other: S3Client;
  let third: S3Client;
  /** An account's canonical user id, as it finds it: the Owner of its own ListBuckets answer. */
  const canonicalId = async (client: S3Client) => (await client.send(new ListBucketsCommand({}))).Owner!.ID!;
  let otherId: string;
  before(async () => {
    server = await startTestServer({ LAMBKIN_S3_ACCESS_LOG_FLUSH_MS: '300' });
    workDir = mkdtempSync(path.join(tmpdir(), 'lambkin-s3-grants-'));
    owner = s3As(OWNER);
    other = s3As(OTHER);
    third = s3As(THIRD);
    otherId = await canonicalId(other);
  });
  after(async () => {
    for (const c of [owner, other, third]) c?.destroy();
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  test('x-amz-grant-read on an object lets that account read it; GetObjectAcl shows the grant; other accounts stay out', async () => {
    await owner.send(new CreateBucketCommand({ Bucket: 'granted' }));
    await owner.send(new PutObjectCommand({ Bucket: 'granted', Key: 'shared.txt', Body: 'for you' }));
    await rejectsWith(other.send(new GetObjectCommand({ Bucket: 'granted', Key: 'shared.txt' })), 'AccessDenied', 403);
    await owner.send(new PutObjectAclCommand({ Bucket: 'granted', Key: 'shared.txt', GrantRead: `id="${otherId}"` }));
    assert.equal(await (await other.send(new GetObjectCommand({ Bucket: 'granted', Key: 'shared.txt' }))).Body!.transformToString(), 'for you');
    await rejectsWith(third.send(new GetObjectCommand({ Bucket: 'granted', Key: 'shared.txt' })), 'AccessDenied', 403);
    // READ on the object is not READ_ACP, nor anything on the bucket.
    await rejectsWith(other.send(new GetObjectAclCommand({ Bucket: 'granted', Key: 'shared.txt' })), 'AccessDenied', 403);
    await rejectsWith(other.send(new ListObjectsV2Command({ Bucket: 'granted' })), 'AccessDenied', 403);
    const acl = await owner.send(new GetObjectAclCommand({ Bucket: 'granted', Key: 'shared.txt' }));
    const ownerId = acl.Owner!.ID!;
    assert.deepEqual(acl.Grants!.map((g) => [g.Grantee?.Type, g.Grantee?.ID, g.Permission]), [
      ['CanonicalUser', ownerId, 'FULL_CONTROL'],
      ['CanonicalUser', otherId, 'READ'],
    ]);
    // A PutObject can carry the grant itself, and a grant to the owner adds nothing to its FULL_CONTROL.
    await owner.send(new PutObjectCommand({ Bucket: 'granted', Key: 'direct.txt', Body: 'also', GrantRead: `id="${otherId}"`, GrantFullControl: `id="${ownerId}"` }));
    assert.equal(await (await other.send(new GetObjectCommand({ Bucket: 'granted', Key: 'direct.txt' }))).Body!.transformToString(), 'also');
    assert.equal((await owner.send(new GetObjectAclCommand({ Bucket: 'granted', Key: 'direct.txt' }))).Grants!.length, 2);
  });

  test('an AccessControlPolicy body granting an account READ and WRITE on a bucket lets it list and upload; IgnorePublicAcls does not undo it', async () => {
    await owner.send(new CreateBucketCommand({ Bucket: 'dropbox' }));
    const ownerId = (await owner.send(new GetBucketAclCommand({ Bucket: 'dropbox' }))).Owner!.ID!;
    await rejectsWith(other.send(new PutObjectCommand({ Bucket: 'dropbox', Key: 'in.txt', Body: 'x' })), 'AccessDenied', 403);
    await owner.send(new PutBucketAclCommand({
      Bucket: 'dropbox',
      AccessControlPolicy: {
        Owner: { ID: ownerId },
        Grants: [
          { Grantee: { Type: 'CanonicalUser', ID: ownerId }, Permission: 'FULL_CONTROL' },
          { Grantee: { Type: 'CanonicalUser', ID: otherId }, Permission: 'READ' },
          { Grantee: { Type: 'CanonicalUser', ID: otherId }, Permission: 'WRITE' },
        ],
      },
    }));
    await other.send(new PutObjectCommand({ Bucket: 'dropbox', Key: 'in.txt', Body: 'delivered' }));
    assert.deepEqual((await other.send(new ListObjectsV2Command({ Bucket: 'dropbox' }))).Contents?.map((c) => c.Key), ['in.txt']);
    await rejectsWith(third.send(new ListObjectsV2Command({ Bucket: 'dropbox' })), 'AccessDenied', 403);
    await owner.send(new PutPublicAccessBlockCommand({ Bucket: 'dropbox', PublicAccessBlockConfiguration: { IgnorePublicAcls: true, BlockPublicAcls: true } }));
    assert.equal((await other.send(new ListObjectsV2Command({ Bucket: 'dropbox' }))).KeyCount, 1);
    const grants = (await owner.send(new GetBucketAclCommand({ Bucket: 'dropbox' }))).Grants!;
    assert.deepEqual(grants.map((g) => [g.Grantee?.ID, g.Permission]), [[ownerId, 'FULL_CONTROL'], [otherId, 'READ'], [otherId, 'WRITE']]);
  });

  test('CreateMultipartUpload takes x-amz-acl and grant headers; the completed object has them', async () => {
    await owner.send(new CreateBucketCommand({ Bucket: 'big-uploads' }));
    const upload = async (Key: string, acl: { ACL?: 'public-read'; GrantRead?: string }) => {
      const { UploadId } = await owner.send(new CreateMultipartUploadCommand({ Bucket: 'big-uploads', Key, ...acl }));
      const part = await owner.send(new UploadPartCommand({ Bucket: 'big-uploads', Key, UploadId, PartNumber: 1, Body: `body of ${Key}` }));
      await owner.send(new CompleteMultipartUploadCommand({ Bucket: 'big-uploads', Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    };
    await upload('public.bin', { ACL: 'public-read' });
    await upload('shared.bin', { GrantRead: `id="${otherId}"` });
    await upload('private.bin', {});
    const anonymous = await fetch(`${server.url}/big-uploads/public.bin`);
    assert.deepEqual([anonymous.status, await anonymous.text()], [200, 'body of public.bin']);
    assert.equal((await fetch(`${server.url}/big-uploads/private.bin`)).status, 403);
    assert.equal(await (await other.send(new GetObjectCommand({ Bucket: 'big-uploads', Key: 'shared.bin' }))).Body!.transformToString(), 'body of shared.bin');
    await rejectsWith(other.send(new GetObjectCommand({ Bucket: 'big-uploads', Key: 'private.bin' })), 'AccessDenied', 403);
    await rejectsWith(owner.send(new CreateMultipartUploadCommand({ Bucket: 'big-uploads', Key: 'x', ACL: 'public-read', GrantRead: `id="${otherId}"` })),
      'InvalidRequest', 400, 'Specifying both Canned ACLs and Header Grants is not allowed');
  });

  test("PutBucketLogging's TargetGrants become the grants of the log objects (a target whose ACLs are on only)", async () => {
    await owner.send(new CreateBucketCommand({ Bucket: 'audited' }));
    await owner.send(new CreateBucketCommand({ Bucket: 'audit-logs', GrantWrite: 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"' }));
    await owner.send(new CreateBucketCommand({ Bucket: 'audit-logs-enforced', ObjectOwnership: 'BucketOwnerEnforced' }));
    const grants = [{ Grantee: { Type: 'CanonicalUser' as const, ID: otherId }, Permission: 'READ' as const }];
    await rejectsWith(owner.send(new PutBucketLoggingCommand({ Bucket: 'audited', BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'audit-logs-enforced', TargetPrefix: 'l/', TargetGrants: grants } } })),
      'AccessControlListNotSupported', 400, 'Target grants not allowed for bucket owner enforced buckets');
    await rejectsWith(owner.send(new PutBucketLoggingCommand({ Bucket: 'audited', BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'audit-logs', TargetPrefix: 'l/',
      TargetGrants: [{ Grantee: { Type: 'CanonicalUser', ID: otherId }, Permission: 'READ_ACP' as 'READ' }] } } })), 'MalformedXML', 400);
    await owner.send(new PutBucketLoggingCommand({ Bucket: 'audited', BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'audit-logs', TargetPrefix: 'l/', TargetGrants: grants } } }));
    const echoed = (await owner.send(new GetBucketLoggingCommand({ Bucket: 'audited' }))).LoggingEnabled?.TargetGrants;
    assert.deepEqual(echoed?.map((g) => [g.Grantee?.Type, g.Grantee?.ID, g.Permission]), [['CanonicalUser', otherId, 'READ']]);
    await owner.send(new PutObjectCommand({ Bucket: 'audited', Key: 'k', Body: 'v' }));
    let logKey: string | undefined;
    for (let i = 0; i < 150 && !logKey; i++) {
      logKey = (await owner.send(new ListObjectsV2Command({ Bucket: 'audit-logs', Prefix: 'l/' }))).Contents?.[0]?.Key;
      if (!logKey) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(logKey, 'a log object');
    assert.match(await (await other.send(new GetObjectCommand({ Bucket: 'audit-logs', Key: logKey }))).Body!.transformToString(), / audited /);
    await rejectsWith(third.send(new GetObjectCommand({ Bucket: 'audit-logs', Key: logKey })), 'AccessDenied', 403);
  });

  test("S3's refusals: canned ACL with grant headers, an unknown id or group, an email grantee, headers with a body, grants on an owner-enforced bucket", async () => {
    await owner.send(new CreateBucketCommand({ Bucket: 'strict' }));
    await owner.send(new PutObjectCommand({ Bucket: 'strict', Key: 'k', Body: 'v' }));
    await rejectsWith(owner.send(new PutObjectCommand({ Bucket: 'strict', Key: 'k2', Body: 'v', ACL: 'private', GrantRead: `id="${otherId}"` })),
      'InvalidRequest', 400, 'Specifying both Canned ACLs and Header Grants is not allowed');
    await rejectsWith(owner.send(new PutObjectAclCommand({ Bucket: 'strict', Key: 'k', GrantRead: 'id="not-a-canonical-id"' })), 'InvalidArgument', 400, 'Invalid id');
    await rejectsWith(owner.send(new PutObjectAclCommand({ Bucket: 'strict', Key: 'k', GrantRead: `id="${'ab'.repeat(32)}"` })), 'InvalidArgument', 400, 'Invalid id');
    await rejectsWith(owner.send(new PutBucketAclCommand({ Bucket: 'strict', GrantRead: 'uri="http://acs.amazonaws.com/groups/global/Nobody"' })), 'InvalidArgument', 400, 'Invalid group uri');
    // S3 stopped taking email grantees in us-east-1 (and seven other regions) on 1 October 2025.
    await rejectsWith(owner.send(new PutBucketAclCommand({ Bucket: 'strict', GrantRead: 'emailAddress="someone@example.com"' })),
      'MethodNotAllowed', 405, 'The specified method is not allowed against this resource.');
    const eu = new S3Client({ endpoint: server.url, region: 'eu-central-1', forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: OWNER, secretAccessKey: 'test' } });
    await eu.send(new CreateBucketCommand({ Bucket: 'strict-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } }));
    await rejectsWith(eu.send(new PutBucketAclCommand({ Bucket: 'strict-eu', GrantRead: 'emailAddress="someone@example.com"' })),
      'UnresolvableGrantByEmailAddress', 400, 'The e-mail address you provided does not match any account on record.');
    eu.destroy();
    const ownerId = await canonicalId(owner);
    await rejectsWith(owner.send(new PutBucketAclCommand({ Bucket: 'strict', ACL: 'private', AccessControlPolicy: { Owner: { ID: ownerId }, Grants: [] } })),
      'UnexpectedContent', 400, 'This request does not support content');
    await owner.send(new CreateBucketCommand({ Bucket: 'enforced', ObjectOwnership: 'BucketOwnerEnforced' }));
    await rejectsWith(owner.send(new PutBucketAclCommand({ Bucket: 'enforced', GrantRead: `id="${otherId}"` })), 'AccessControlListNotSupported', 400, 'The bucket does not allow ACLs');
    await owner.send(new PutBucketAclCommand({ Bucket: 'enforced', GrantFullControl: `id="${ownerId}"` }));
    await rejectsWith(owner.send(new CreateBucketCommand({ Bucket: 'enforced-2', ObjectOwnership: 'BucketOwnerEnforced', GrantRead: `id="${otherId}"` })),
      'InvalidBucketAclWithObjectOwnership', 400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
  });

  const cliEnv = (account: string) => ({
    AWS_ACCESS_KEY_ID: account, AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1',
    AWS_CONFIG_FILE: path.join(workDir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, 'no-credentials'),
  });

  test('the AWS CLI grants another account read with --grant-read and aws s3 cp --grants', { skip: awsCliSkip }, async () => {
    await owner.send(new CreateBucketCommand({ Bucket: 'cli-grants' }));
    await owner.send(new PutObjectCommand({ Bucket: 'cli-grants', Key: 'a.txt', Body: 'A' }));
    const aws = (account: string, args: string[]) => runCommand('aws', ['--endpoint-url', server.url, ...args], cliEnv(account));
    const granted = await aws(OWNER, ['s3api', 'put-object-acl', '--bucket', 'cli-grants', '--key', 'a.txt', '--grant-read', `id=${otherId}`]);
    assert.equal(granted.code, 0, granted.stderr);
    const file = path.join(workDir, 'b.txt');
    writeFileSync(file, 'B');
    const copied = await aws(OWNER, ['s3', 'cp', file, 's3://cli-grants/b.txt', '--grants', `read=id=${otherId}`]);
    assert.equal(copied.code, 0, copied.stderr);
    assert.equal(await (await other.send(new GetObjectCommand({ Bucket: 'cli-grants', Key: 'a.txt' }))).Body!.transformToString(), 'A');
    const read = await aws(OTHER, ['s3', 'cp', 's3://cli-grants/b.txt', '-']);
    assert.equal(read.code, 0, read.stderr);
    assert.equal(read.stdout, 'B');
  });

  test('boto3 grants another account read with GrantRead', { skip: boto3Skip }, async () => {
    await owner.send(new CreateBucketCommand({ Bucket: 'boto-grants' }));
    const script = `
import json, sys, boto3, botocore
def client(account):
    return boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id=account, aws_secret_access_key='test',
                        config=botocore.config.Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
owner, other = client('${OWNER}'), client('${OTHER}')
other_id = other.list_buckets()['Owner']['ID']
owner.put_object(Bucket='boto-grants', Key='k', Body=b'shared', GrantRead='id="%s"' % other_id)
out = {'body': other.get_object(Bucket='boto-grants', Key='k')['Body'].read().decode()}
out['grants'] = [[g['Grantee']['Type'], g['Grantee'].get('ID') == other_id, g['Permission']] for g in owner.get_object_acl(Bucket='boto-grants', Key='k')['Grants']]
try:
    owner.put_object(Bucket='boto-grants', Key='k2', Body=b'x', ACL='public-read', GrantRead='id="%s"' % other_id)
except botocore.exceptions.ClientError as e:
    out['both'] = [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps(out))
`;
    const run = await runCommand('python3', ['-c', script, server.url]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      body: 'shared',
      grants: [['CanonicalUser', false, 'FULL_CONTROL'], ['CanonicalUser', true, 'READ']],
      both: ['InvalidRequest', 'Specifying both Canned ACLs and Header Grants is not allowed'],
    });
  });
});
