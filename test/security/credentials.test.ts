import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateFunctionCommand, GetFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2, type Runtime } from '@aws-sdk/client-lambda';
import { CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { makeZip, ROLE } from '../support/zip.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { resolveConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startLambkin, type RunningLambkin } from '../../src/server.js';

// Plain mode as root runs Python functions on the system interpreter when the PATH's one (pyenv
// under root's 0700 home) is out of the unprivileged user's reach: boto3 must be importable there.
const functionPython = process.env.LAMBKIN_ISOLATION === 'plain' && process.getuid?.() === 0 ? '/usr/bin/python3' : 'python3';
const pythonHasBoto3 = spawnSync(functionPython, ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;

/** A Node function that runs the SDK call its event names, with the credentials its environment got. */
const PROBE = `
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
const { LambdaClient, ListFunctionsCommand, GetFunctionCommand } = require('@aws-sdk/client-lambda');
const { S3Client, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');
const attempt = async (fn) => { try { return { ok: await fn() }; } catch (err) { return { error: err.name, message: err.message, status: err.$metadata && err.$metadata.httpStatusCode }; } };
exports.handler = async (event) => {
  const s3 = new S3Client({ forcePathStyle: true });
  const env = { keyId: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN };
  switch (event.call) {
    case 'identity': return { env, result: await attempt(async () => { const r = await new STSClient({}).send(new GetCallerIdentityCommand({})); return { Arn: r.Arn, Account: r.Account }; }) };
    case 'list': return attempt(async () => (await new LambdaClient({}).send(new ListFunctionsCommand({}))).Functions.map((f) => f.FunctionArn));
    case 'get-function': return attempt(async () => (await new LambdaClient({}).send(new GetFunctionCommand({ FunctionName: event.name }))).Configuration.FunctionArn);
    case 'get-object': return attempt(async () => (await (await s3.send(new GetObjectCommand({ Bucket: event.bucket, Key: event.key }))).Body.transformToString()));
    case 'put-object': return attempt(async () => (await s3.send(new PutObjectCommand({ Bucket: event.bucket, Key: event.key, Body: 'x' }))).ETag);
  }
};
`;

const PYTHON_PROBE = `
import boto3
def handler(event, context):
    return boto3.client('sts').get_caller_identity()['Arn']
`;

const LAMBDA_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const EC2_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe("functions hold their own role's temporary credentials", () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let iam: IAMClient;
  const clients = (accessKeyId = 'test') => ({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'test' }, maxAttempts: 1 });

  async function createFunction(client: LambdaClient, name: string, role: string, runtime: Runtime = 'nodejs22.x', files: Record<string, string> = { 'index.js': PROBE }, handler = 'index.handler') {
    await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime, Handler: handler, Role: role, Code: { ZipFile: makeZip(files) }, Timeout: 30 }));
    await waitUntilFunctionActiveV2({ client, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
  }

  async function call(client: LambdaClient, name: string, event: object): Promise<any> {
    const out = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
    const text = Buffer.from(out.Payload ?? []).toString();
    assert.equal(out.FunctionError, undefined, text);
    return JSON.parse(text);
  }

  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    iam = new IAMClient(clients());
    const s3 = new S3Client({ ...clients(), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'allowed-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'allowed-bucket', Key: 'k', Body: 'secret-ok' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'reader', PolicyName: 'get-one-bucket',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::allowed-bucket/*' }] }),
    }));
    await createFunction(lambda, 'victim', ROLE);
    await createFunction(lambda, 'unknown-role', ROLE);
    await createFunction(lambda, 'reader-fn', 'arn:aws:iam::000000000000:role/reader');
  });
  after(() => server.stop());

  test('get_caller_identity from a Node function is its role session; keys are ASIA… with a session token', async () => {
    const out = await call(lambda, 'reader-fn', { call: 'identity' });
    assert.deepEqual(out.result.ok, { Arn: 'arn:aws:sts::000000000000:assumed-role/reader/reader-fn', Account: '000000000000' });
    assert.match(out.env.keyId, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(out.env.token.length > 100);
  });

  test('a role allowing only s3:GetObject on one bucket: GetObject works, PutObject and lambda:GetFunction are denied with AWS texts', async () => {
    assert.deepEqual(await call(lambda, 'reader-fn', { call: 'get-object', bucket: 'allowed-bucket', key: 'k' }), { ok: 'secret-ok' });
    const put = await call(lambda, 'reader-fn', { call: 'put-object', bucket: 'allowed-bucket', key: 'new' });
    assert.deepEqual(put, { error: 'AccessDenied', message: 'Access Denied', status: 403 });
    const get = await call(lambda, 'reader-fn', { call: 'get-function', name: 'victim' });
    assert.equal(get.error, 'AccessDeniedException');
    assert.equal(get.status, 403);
    assert.equal(
      get.message,
      'User: arn:aws:sts::000000000000:assumed-role/reader/reader-fn is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:us-east-1:000000000000:function:victim because no identity-based policy allows the lambda:GetFunction action',
    );
  });

  test('a role Lambkin does not know keeps its own account: it lists and reads its functions, with a warning in its log', async () => {
    const out = await call(lambda, 'unknown-role', { call: 'identity' });
    assert.equal(out.result.ok.Arn, 'arn:aws:sts::000000000000:assumed-role/lambda-role/unknown-role');
    const listed = await call(lambda, 'unknown-role', { call: 'list' });
    assert.ok(listed.ok.includes('arn:aws:lambda:us-east-1:000000000000:function:victim'));
    assert.equal((await call(lambda, 'unknown-role', { call: 'get-function', name: 'victim' })).ok, 'arn:aws:lambda:us-east-1:000000000000:function:victim');
    // The warning is written to the log stream when the environment starts (not into LogResult,
    // which carries only what AWS's would).
    await createFunction(lambda, 'unknown-role-log', ROLE);
    await lambda.send(new InvokeCommand({ FunctionName: 'unknown-role-log', Payload: Buffer.from('{"call":"list"}') }));
    const warned = async () => {
      const rows = await server.lambkin.store
        .selectFrom('logs_event_batches')
        .innerJoin('logs_streams', 'logs_streams.id', 'logs_event_batches.stream_id')
        .select('events')
        .where('logs_streams.group_name', '=', '/aws/lambda/unknown-role-log')
        .execute();
      return rows.some((r) => /the execution role arn:aws:iam::000000000000:role\/lambda-role is not in Lambkin's IAM/.test(r.events));
    };
    for (let i = 0; i < 50 && !(await warned()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(await warned(), 'the warning is in the function\'s log group');
  });

  test('a function of account 111111111111 sees none of account 000000000000', async () => {
    const other = server.lambda({ accessKeyId: '111111111111' });
    await createFunction(other, 'intruder', 'arn:aws:iam::111111111111:role/lambda-role');
    const listed = await call(other, 'intruder', { call: 'list' });
    assert.deepEqual(listed.ok, ['arn:aws:lambda:us-east-1:111111111111:function:intruder']);
    const read = await call(other, 'intruder', { call: 'get-function', name: 'arn:aws:lambda:us-east-1:000000000000:function:victim' });
    assert.equal(read.error, 'AccessDeniedException');
    const object = await call(other, 'intruder', { call: 'get-object', bucket: 'allowed-bucket', key: 'k' });
    assert.equal(object.error, 'AccessDenied');
  });

  test('CreateFunction with a known role that does not trust Lambda is InvalidParameterValueException', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'ec2-only', AssumeRolePolicyDocument: EC2_TRUST }));
    await assert.rejects(
      lambda.send(new CreateFunctionCommand({ FunctionName: 'nope', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/ec2-only', Code: { ZipFile: makeZip({ 'index.js': PROBE }) } })),
      (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(err.name, 'InvalidParameterValueException');
        assert.equal(err.message, 'The role defined for the function cannot be assumed by Lambda.');
        assert.equal(err.$metadata?.httpStatusCode, 400);
        return true;
      },
    );
  });

  test("deleting the role revokes the function's keys at once", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'short-lived', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'short-lived', PolicyName: 'who', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:*', Resource: '*' }] }) }));
    await createFunction(lambda, 'doomed', 'arn:aws:iam::000000000000:role/short-lived');
    const { env } = await call(lambda, 'doomed', { call: 'identity' });
    const sts = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: env.keyId, secretAccessKey: env.secret, sessionToken: env.token }, maxAttempts: 1 });
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:sts::000000000000:assumed-role/short-lived/doomed');
    const withoutToken = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: env.keyId, secretAccessKey: env.secret }, maxAttempts: 1 });
    await assert.rejects(withoutToken.send(new GetCallerIdentityCommand({})), /security token included in the request is invalid/);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'short-lived', PolicyName: 'who' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'short-lived' }));
    await assert.rejects(sts.send(new GetCallerIdentityCommand({})), /security token included in the request is invalid/);
  });

  test('boto3 inside a Python function reads the session from the environment', { skip: pythonHasBoto3 ? false : 'python3 with boto3 is not available: install the Debian package python3-boto3' }, async () => {
    await createFunction(lambda, 'py-reader', 'arn:aws:iam::000000000000:role/reader', 'python3.12', { 'app.py': PYTHON_PROBE }, 'app.handler');
    assert.equal(await call(lambda, 'py-reader', {}), 'arn:aws:sts::000000000000:assumed-role/reader/py-reader');
  });

  test('GetFunction from the test side still works with the account key (no enforcement for account keys)', async () => {
    assert.equal((await lambda.send(new GetFunctionCommand({ FunctionName: 'victim' }))).Configuration?.FunctionName, 'victim');
  });
});

describe('off loopback, function credentials are accepted where the local pair is not', () => {
  let dataDir: string;
  let running: RunningLambkin;
  const key = { accessKeyId: 'LKIACONFIGURED000001', secretAccessKey: 'configured-secret', accountId: '000000000000' };
  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-offloop-'));
    const config = { ...resolveConfig({ host: '0.0.0.0', port: 0, dataDir }, {}), provisioningDelayMs: 20, credentials: [key] };
    running = await startLambkin(config, { logger: createLogger('silent') });
  });
  after(async () => {
    await running.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a function on a 0.0.0.0 server signs with its session and is answered', async () => {
    const lambda = new LambdaClient({ endpoint: `http://127.0.0.1:${running.port}`, region: 'us-east-1', credentials: key, maxAttempts: 1 });
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'probe', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: makeZip({ 'index.js': PROBE }) }, Timeout: 30 }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'probe' });
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'probe', Payload: Buffer.from('{"call":"list"}') }));
    assert.deepEqual(JSON.parse(Buffer.from(out.Payload ?? []).toString()), { ok: ['arn:aws:lambda:us-east-1:000000000000:function:probe'] });
  });
});
