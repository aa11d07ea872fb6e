import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AttachRolePolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, DeleteAccessKeyCommand, DeletePolicyCommand,
  DeleteRoleCommand, DeleteRolePolicyCommand, DeleteUserCommand, DetachRolePolicyCommand, GetPolicyCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient,
  CreatePolicyVersionCommand, DeletePolicyVersionCommand, GetPolicyVersionCommand, ListPoliciesCommand, ListPolicyVersionsCommand, UpdateAccessKeyCommand,
  ListAccessKeysCommand, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, ListRolesCommand, PutRolePolicyCommand, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';

const LAMBDA_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const BASIC = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

describe('IAM', () => {
  let server: TestServer;
  let iam: IAMClient;
  before(async () => {
    server = await startTestServer();
    iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  after(() => server.stop());

  test('CreateRole, GetRole (trust policy URL-encoded), ListRoles; a second CreateRole is EntityAlreadyExists', async () => {
    const created = await iam.send(new CreateRoleCommand({ RoleName: 'fn-role', AssumeRolePolicyDocument: LAMBDA_TRUST, Description: 'd' }));
    assert.equal(created.Role?.Arn, 'arn:aws:iam::000000000000:role/fn-role');
    assert.match(created.Role?.RoleId ?? '', /^AROA[A-Z2-7]{17}$/);
    assert.equal(created.Role?.MaxSessionDuration, 3600);
    const got = await iam.send(new GetRoleCommand({ RoleName: 'FN-ROLE' }));
    assert.equal(decodeURIComponent(got.Role?.AssumeRolePolicyDocument ?? ''), LAMBDA_TRUST);
    const listed = await iam.send(new ListRolesCommand({}));
    assert.deepEqual(listed.Roles?.map((r) => r.RoleName), ['fn-role']);
    await assert.rejects(iam.send(new CreateRoleCommand({ RoleName: 'fn-role', AssumeRolePolicyDocument: LAMBDA_TRUST })), (err: Error) => {
      assert.equal(err.name, 'EntityAlreadyExistsException');
      assert.equal(err.message, 'Role with name fn-role already exists.');
      return true;
    });
  });

  test('a malformed trust or identity policy is MalformedPolicyDocument', async () => {
    await assert.rejects(iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: '{not json' })), (err: Error) => {
      assert.equal(err.name, 'MalformedPolicyDocumentException');
      assert.equal(err.message, 'This policy contains invalid Json');
      return true;
    });
    const noResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] });
    await assert.rejects(iam.send(new PutRolePolicyCommand({ RoleName: 'fn-role', PolicyName: 'p', PolicyDocument: noResource })), /Policy statement must contain resources/);
  });

  test('inline policies: Put, Get, List, Delete; GetRole of a missing role is NoSuchEntity', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] });
    await iam.send(new PutRolePolicyCommand({ RoleName: 'fn-role', PolicyName: 'read', PolicyDocument: doc }));
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'fn-role' }))).PolicyNames, ['read']);
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'fn-role', PolicyName: 'read' }));
    assert.equal(decodeURIComponent(got.PolicyDocument ?? ''), doc);
    await assert.rejects(iam.send(new DeleteRoleCommand({ RoleName: 'fn-role' })), (err: Error) => {
      assert.equal(err.name, 'DeleteConflictException');
      assert.equal(err.message, 'Cannot delete entity, must delete policies first.');
      return true;
    });
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'fn-role', PolicyName: 'read' }));
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'nobody' })), (err: Error) => {
      assert.equal(err.name, 'NoSuchEntityException');
      assert.equal(err.message, 'The role with name nobody cannot be found.');
      return true;
    });
  });

  test('managed policies: AWS-managed and customer-managed attach, list, DeleteConflict while attached, detach', async () => {
    const aws = await iam.send(new GetPolicyCommand({ PolicyArn: BASIC }));
    assert.equal(aws.Policy?.PolicyName, 'AWSLambdaBasicExecutionRole');
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }] });
    const mine = await iam.send(new CreatePolicyCommand({ PolicyName: 'queues', PolicyDocument: doc }));
    assert.equal(mine.Policy?.Arn, 'arn:aws:iam::000000000000:policy/queues');
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: BASIC }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: mine.Policy!.Arn! }));
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'fn-role' }));
    assert.deepEqual(attached.AttachedPolicies?.map((p) => p.PolicyName).sort(), ['AWSLambdaBasicExecutionRole', 'queues']);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: mine.Policy!.Arn! }))).Policy?.AttachmentCount, 1);
    await assert.rejects(iam.send(new DeletePolicyCommand({ PolicyArn: mine.Policy!.Arn! })), /Cannot delete a policy attached to entities/);
    await assert.rejects(iam.send(new DeleteRoleCommand({ RoleName: 'fn-role' })), /must detach all policies first/);
    await assert.rejects(iam.send(new AttachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })), /does not exist or is not attachable/);
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: BASIC }));
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'fn-role', PolicyArn: mine.Policy!.Arn! }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: mine.Policy!.Arn! }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'fn-role' }));
    assert.deepEqual((await iam.send(new ListRolesCommand({}))).Roles, []);
  });

  test("a user's access key is accepted by the edge and held to the user's policies", async () => {
    await iam.send(new CreateUserCommand({ UserName: 'deployer' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'deployer' }))).AccessKey!;
    assert.match(key.AccessKeyId!, /^AKIA/);
    const credentials = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const sts = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const who = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, 'arn:aws:iam::000000000000:user/deployer');
    const lambda = server.lambda(credentials);
    await assert.rejects(lambda.send(new ListFunctionsCommand({})), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, 'AccessDeniedException');
      assert.equal(err.$metadata?.httpStatusCode, 403);
      assert.equal(err.message, 'User: arn:aws:iam::000000000000:user/deployer is not authorized to perform: lambda:ListFunctions on resource: * because no identity-based policy allows the lambda:ListFunctions action');
      return true;
    });
    await iam.send(new PutUserPolicyCommand({ UserName: 'deployer', PolicyName: 'list', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:List*', Resource: '*' }] }) }));
    assert.deepEqual((await lambda.send(new ListFunctionsCommand({}))).Functions, []);
    assert.equal((await iam.send(new ListAccessKeysCommand({ UserName: 'deployer' }))).AccessKeyMetadata?.length, 1);
    await assert.rejects(iam.send(new DeleteUserCommand({ UserName: 'deployer' })), /must delete access keys first/);
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'deployer', AccessKeyId: key.AccessKeyId! }));
    await assert.rejects(sts.send(new GetCallerIdentityCommand({})), /security token included in the request is invalid/);
  });
});

describe('IAM policy versions and access key status', () => {
  let server: TestServer;
  let iam: IAMClient;
  before(async () => {
    server = await startTestServer();
    iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  after(() => server.stop());

  test('versions: create, make default, list, refuse deleting the default, and at most five', async () => {
    const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
    const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'v', PolicyDocument: doc('s3:GetObject') }))).Policy!.Arn!;
    const v2 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:PutObject'), SetAsDefault: true }));
    assert.equal(v2.PolicyVersion?.VersionId, 'v2');
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId, 'v2');
    const v1 = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    assert.equal(decodeURIComponent(v1.PolicyVersion?.Document ?? ''), doc('s3:GetObject'));
    assert.equal(v1.PolicyVersion?.IsDefaultVersion, false);
    await assert.rejects(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })), /Cannot delete the default version of a policy/);
    for (let i = 0; i < 3; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:ListBucket') }));
    await assert.rejects(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc('s3:ListBucket') })), (err: Error) => {
      assert.equal(err.name, 'LimitExceededException');
      return true;
    });
    assert.deepEqual((await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions?.map((v) => v.VersionId), ['v5', 'v4', 'v3', 'v2', 'v1']);
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
    assert.ok(aws.Policies?.some((p) => p.Arn === 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'));
    assert.deepEqual((await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies?.map((p) => p.PolicyName), ['v']);
  });

  test('an Inactive access key is refused by the edge until made Active again', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'ci' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'ci' }))).AccessKey!;
    const sts = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }, maxAttempts: 1 });
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:user/ci');
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'ci', AccessKeyId: key.AccessKeyId!, Status: 'Inactive' }));
    await assert.rejects(sts.send(new GetCallerIdentityCommand({})), /security token included in the request is invalid/);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'ci', AccessKeyId: key.AccessKeyId!, Status: 'Active' }));
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
  });
});
