import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { DescribeTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { SessionCredentials } from '../src/auth/session-credentials.js';
import { ShiftableClock } from '../src/clock.js';
import { accountPrincipal } from '../src/contracts/principal.js';
import { openStore } from '../src/store/database.js';
import { startTestServer, type TestServer } from './support/server.js';
import { DOOR_HANDLER_ZIP, signedDoorRequest } from './support/http-doors.js';
import { ROLE } from './support/zip.js';
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { awsCliSkip, boto3Skip } from './support/cli.js';

const ACCOUNT_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] });
const LAMBDA_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('STS', () => {
  let server: TestServer;
  let sts: STSClient;
  let iam: IAMClient;
  const config = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => ({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  before(async () => {
    server = await startTestServer();
    sts = new STSClient(config({ accessKeyId: 'test', secretAccessKey: 'test' }));
    iam = new IAMClient(config({ accessKeyId: 'test', secretAccessKey: 'test' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'ops', AssumeRolePolicyDocument: ACCOUNT_TRUST, MaxSessionDuration: 7200 }));
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'ops', PolicyName: 'queues-only',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [
        { Effect: 'Allow', Action: 'sqs:*', Resource: '*' },
        { Effect: 'Allow', NotAction: ['sqs:*', 'sns:*'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } },
        { Effect: 'Deny', Action: 'sqs:CreateQueue', Resource: 'arn:aws:sqs:*:*:forbidden-*' },
      ] }),
    }));
    await iam.send(new CreateRoleCommand({ RoleName: 'lambda-only', AssumeRolePolicyDocument: LAMBDA_TRUST }));
  });
  after(() => server.stop());

  test('GetCallerIdentity of an account key is the root', async () => {
    const who = await sts.send(new GetCallerIdentityCommand({}));
    assert.deepEqual({ Account: who.Account, Arn: who.Arn, UserId: who.UserId }, { Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root', UserId: '000000000000' });
  });

  test('AssumeRole: ASIA keys, AssumedRoleUser, expiration; the session is held to the role policy (SQS, SNS, Kinesis)', async () => {
    const before = Date.now();
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/ops', RoleSessionName: 'alice', DurationSeconds: 1800 }));
    assert.match(out.Credentials!.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(out.AssumedRoleUser?.Arn, 'arn:aws:sts::000000000000:assumed-role/ops/alice');
    assert.match(out.AssumedRoleUser?.AssumedRoleId ?? '', /^AROA[A-Z2-7]{17}:alice$/);
    const expires = out.Credentials!.Expiration!.getTime();
    assert.ok(expires >= before + 1799_000 && expires <= Date.now() + 1801_000);
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    assert.equal((await new STSClient(config(session)).send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:sts::000000000000:assumed-role/ops/alice');
    const sqs = new SQSClient(config(session));
    await sqs.send(new CreateQueueCommand({ QueueName: 'fine' }));
    assert.equal((await sqs.send(new ListQueuesCommand({}))).QueueUrls?.length, 1);
    await assert.rejects(sqs.send(new CreateQueueCommand({ QueueName: 'forbidden-q' })), (err: Error) => {
      assert.match(err.message, /^User: arn:aws:sts::000000000000:assumed-role\/ops\/alice is not authorized to perform: sqs:CreateQueue on resource: arn:aws:sqs:us-east-1:000000000000:forbidden-q with an explicit deny in an identity-based policy$/);
      return true;
    });
    await assert.rejects(new SNSClient(config(session)).send(new CreateTopicCommand({ Name: 't' })), (err: Error) => {
      assert.equal(err.name, 'AuthorizationErrorException');
      return true;
    });
    // NotAction with a region condition: Kinesis is allowed in eu-west-1 only.
    await assert.rejects(new KinesisClient(config(session)).send(new ListStreamsCommand({})), /because no identity-based policy allows the kinesis:ListStreams action/);
    const inIreland = new KinesisClient({ ...config(session), region: 'eu-west-1' });
    assert.deepEqual((await inIreland.send(new ListStreamsCommand({}))).StreamNames, []);
    await assert.rejects(new SNSClient({ ...config(session), region: 'eu-west-1' }).send(new ListTopicsCommand({})), /sns:ListTopics/);
  });

  test('DynamoDB asks the session policy too, table by table', async () => {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/ops', RoleSessionName: 'bob' }));
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    await assert.rejects(new DynamoDBClient(config(session)).send(new DescribeTableCommand({ TableName: 'orders' })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, 'AccessDeniedException');
      assert.equal(err.$metadata?.httpStatusCode, 400);
      assert.equal(err.message, 'User: arn:aws:sts::000000000000:assumed-role/ops/bob is not authorized to perform: dynamodb:DescribeTable on resource: arn:aws:dynamodb:us-east-1:000000000000:table/orders because no identity-based policy allows the dynamodb:DescribeTable action');
      return true;
    });
    assert.deepEqual((await new DynamoDBClient({ ...config(session), region: 'eu-west-1' }).send(new ListTablesCommand({}))).TableNames, []);
  });

  test('an AWS_IAM function URL asks the session for lambda:InvokeFunctionUrl', async () => {
    const lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'url-fn', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: DOOR_HANDLER_ZIP } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'url-fn' });
    const url = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-fn', AuthType: 'AWS_IAM' }));
    const host = `${new URL(url.FunctionUrl!).hostname.split('.')[0]}.lambda-url.us-east-1.localhost:${server.lambkin.port}`;
    await iam.send(new CreateRoleCommand({ RoleName: 'url-caller', AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'url-caller', PolicyName: 'invoke-url',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunctionUrl', Resource: 'arn:aws:lambda:*:*:function:url-fn' }] }),
    }));
    const sessionOf = async (role: string) => {
      const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::000000000000:role/${role}`, RoleSessionName: 'web' }))).Credentials!;
      return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    };
    assert.equal((await signedDoorRequest(server.lambkin.port, { path: '/', host, ...(await sessionOf('url-caller')) })).status, 200);
    assert.equal((await signedDoorRequest(server.lambkin.port, { path: '/', host, ...(await sessionOf('ops')) })).status, 403);
  });

  test('AssumeRole is refused when the trust policy does not name the caller, or past MaxSessionDuration', async () => {
    await assert.rejects(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/lambda-only', RoleSessionName: 'xy' })), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, 'AccessDenied');
      assert.equal(err.$metadata?.httpStatusCode, 403);
      assert.equal(err.message, 'User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/lambda-only');
      return true;
    });
    await assert.rejects(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/missing', RoleSessionName: 'xy' })), /not authorized to perform: sts:AssumeRole/);
    await assert.rejects(
      sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/ops', RoleSessionName: 'xy', DurationSeconds: 10_800 })),
      /The requested DurationSeconds exceeds the MaxSessionDuration set for this role./,
    );
  });

  test('GetSessionToken: an account key gets a root session of at most an hour; a session cannot get another', async () => {
    const out = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    const asSession = new STSClient(config(session));
    assert.equal((await asSession.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:root');
    await assert.rejects(asSession.send(new GetSessionTokenCommand({})), /Cannot call GetSessionToken with session credentials/);
    await assert.rejects(sts.send(new GetSessionTokenCommand({ DurationSeconds: 7200 })), /Member must have value less than or equal to 3600/);
  });
});

describe('session credentials expire', () => {
  test('a session is found until its expiry and refused from then on, cached or not', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-sessions-'));
    const store = await openStore({ kind: 'sqlite', dataDir });
    try {
      const clock = new ShiftableClock();
      const sessions = new SessionCredentials(store, Buffer.alloc(32, 7), clock);
      const issued = await sessions.issue({ principal: accountPrincipal('000000000000'), kind: 'account', principalKey: '', durationSeconds: 900 });
      assert.equal((await sessions.lookup(issued.accessKeyId))?.secretAccessKey, issued.secretAccessKey);
      clock.advance(899_000);
      assert.ok(await sessions.lookup(issued.accessKeyId));
      clock.advance(1_000);
      assert.equal(await sessions.lookup(issued.accessKeyId), null);
      const fresh = new SessionCredentials(store, Buffer.alloc(32, 7), clock);
      assert.equal(await fresh.lookup(issued.accessKeyId), null);
      // Another installation's secret cannot open the sealed secret.
      const stranger = new SessionCredentials(store, Buffer.alloc(32, 9), new ShiftableClock());
      assert.equal(await stranger.lookup(issued.accessKeyId), null);
    } finally {
      await store.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

const BOTO3_ASSUME = `
import boto3, sys
sts = boto3.client('sts', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
c = sts.assume_role(RoleArn='arn:aws:iam::000000000000:role/cli-role', RoleSessionName='py')['Credentials']
session = boto3.client('sts', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])
print(session.get_caller_identity()['Arn'])
`;

describe('the AWS CLI and boto3 drive IAM and STS', () => {
  let server: TestServer;
  const baseEnv = { ...process.env, AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' };
  // Asynchronous: the server runs in this process, so a synchronous spawn would starve it.
  const run = (command: string, args: string[], env: Record<string, string | undefined>) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(command, args, { env }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
    });
  const aws = async (env: Record<string, string>, ...args: string[]) => {
    const out = await run('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], { ...baseEnv, ...env });
    assert.equal(out.code, 0, out.stderr);
    return JSON.parse(out.stdout) as Record<string, any>;
  };
  before(async () => {
    server = await startTestServer();
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    await iam.send(new CreateRoleCommand({ RoleName: 'cli-role', AssumeRolePolicyDocument: ACCOUNT_TRUST }));
  });
  after(() => server.stop());

  test('aws sts assume-role, then the session from AWS_SESSION_TOKEN in the environment', { skip: awsCliSkip }, async () => {
    const root = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
    assert.equal((await aws(root, 'iam', 'get-role', '--role-name', 'cli-role')).Role.AssumeRolePolicyDocument.Statement[0].Action, 'sts:AssumeRole');
    const c = (await aws(root, 'sts', 'assume-role', '--role-arn', 'arn:aws:iam::000000000000:role/cli-role', '--role-session-name', 'cli')).Credentials;
    const who = await aws({ AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken }, 'sts', 'get-caller-identity');
    assert.equal(who.Arn, 'arn:aws:sts::000000000000:assumed-role/cli-role/cli');
  });

  test('boto3 assume_role and get_caller_identity', { skip: boto3Skip }, async () => {
    const out = await run('python3', ['-c', BOTO3_ASSUME, server.url], baseEnv);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.trim(), 'arn:aws:sts::000000000000:assumed-role/cli-role/py');
  });
});
