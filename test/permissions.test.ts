import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AddPermissionCommand, CreateAliasCommand, CreateFunctionCommand, DeleteAliasCommand, DeleteFunctionCommand, GetAliasCommand,
  GetFunctionConfigurationCommand, GetPolicyCommand, PublishVersionCommand, RemovePermissionCommand, waitUntilFunctionActiveV2,
  type AddPermissionCommandInput, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { openStore, type Store } from '../src/store/database.js';
import { wildcardMatch } from '../src/auth/policy/wildcard.js';
import { isInvokeAllowed } from '../src/services/lambda/policy-check.js';
import { startTestServer, type TestServer } from './support/server.js';
import { NODE_HANDLER_ZIP, ROLE } from './support/zip.js';
import { rejectsWith } from './support/aws-errors.js';

const ACCOUNT = '000000000000';
const ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function`;
const BUCKET_ARN = 'arn:aws:s3:::test-bucket';
const SCOPE = { accountId: ACCOUNT, region: 'us-east-1' };

describe('resource-based policies', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
  });
  after(() => server.stop());

  async function createActive(name: string) {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP },
    }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
  }
  const add = (input: Partial<AddPermissionCommandInput> & { FunctionName: string }) =>
    lambda.send(new AddPermissionCommand({ StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', ...input }));
  const policyOf = async (name: string, qualifier?: string) => {
    const res = await lambda.send(new GetPolicyCommand({ FunctionName: name, Qualifier: qualifier }));
    return { doc: JSON.parse(res.Policy ?? '') as { Version: string; Id: string; Statement: Array<Record<string, unknown>> }, revisionId: res.RevisionId };
  };

  test('AddPermission returns the statement as AWS writes it; GetPolicy returns the whole document', async () => {
    await createActive('perm-basic');
    const res = await add({ FunctionName: 'perm-basic', SourceArn: BUCKET_ARN });
    assert.equal(res.$metadata.httpStatusCode, 201);
    assert.equal(res.Statement, JSON.stringify({
      Sid: 's3', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'lambda:InvokeFunction',
      Resource: `${ARN}:perm-basic`, Condition: { ArnLike: { 'AWS:SourceArn': BUCKET_ARN } },
    }));
    await add({ FunctionName: 'perm-basic', StatementId: 'sqs', Principal: 'sqs.amazonaws.com' });
    const { doc, revisionId } = await policyOf('perm-basic');
    assert.equal(doc.Version, '2012-10-17');
    assert.equal(doc.Id, 'default');
    assert.deepEqual(doc.Statement.map((s) => s.Sid), ['s3', 'sqs']);
    assert.equal(doc.Statement[1]?.Condition, undefined);
    // The policy's RevisionId is the function's.
    const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'perm-basic' }));
    assert.equal(revisionId, fn.RevisionId);
  });

  test('principal, action and condition fields', async () => {
    await createActive('perm-fields');
    const statement = async (input: Partial<AddPermissionCommandInput>) =>
      JSON.parse((await add({ FunctionName: 'perm-fields', ...input })).Statement ?? '') as Record<string, unknown>;
    const wildcard = await statement({ StatementId: 'wildcard', Principal: '*', SourceAccount: ACCOUNT });
    assert.equal(wildcard.Principal, '*');
    assert.deepEqual(wildcard.Condition, { StringEquals: { 'AWS:SourceAccount': ACCOUNT } });
    const account = await statement({ StatementId: 'account-id', Principal: '111122223333' });
    assert.deepEqual(account.Principal, { AWS: 'arn:aws:iam::111122223333:root' });
    assert.equal(account.Condition, undefined);
    const user = await statement({ StatementId: 'user-arn', Principal: 'arn:aws:iam::111122223333:user/alice' });
    assert.deepEqual(user.Principal, { AWS: 'arn:aws:iam::111122223333:user/alice' });
    const url = await statement({
      StatementId: 'urlPermission', Action: 'lambda:InvokeFunctionUrl', Principal: '*', SourceArn: BUCKET_ARN, SourceAccount: ACCOUNT,
      PrincipalOrgID: 'o-1234567890', FunctionUrlAuthType: 'NONE',
    });
    assert.deepEqual(url, {
      Sid: 'urlPermission', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Resource: `${ARN}:perm-fields`,
      Condition: {
        StringEquals: { 'AWS:SourceAccount': ACCOUNT, 'lambda:FunctionUrlAuthType': 'NONE', 'aws:PrincipalOrgID': 'o-1234567890' },
        ArnLike: { 'AWS:SourceArn': BUCKET_ARN },
      },
    });
    const alexa = await statement({ StatementId: 'alexaSkill', Principal: '*', EventSourceToken: 'amzn1.ask.skill.xxxxxxxxx-xxxx' });
    assert.deepEqual(alexa.Condition, { StringEquals: { 'lambda:EventSourceToken': 'amzn1.ask.skill.xxxxxxxxx-xxxx' } });
    const any = await statement({ StatementId: 'any-action', Action: 'lambda:*' });
    assert.equal(any.Action, 'lambda:*');

    await rejectsWith(add({ FunctionName: 'perm-fields', StatementId: 'bad', Principal: 'invalid.nonaws.com' }), 'InvalidParameterValueException', 400,
      'The provided principal was invalid. Please check the principal and try again.');
    await rejectsWith(add({ FunctionName: 'perm-fields', StatementId: 'example.com' }), 'ValidationException', 400,
      "1 validation error detected: Value 'example.com' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)");
    await rejectsWith(add({ FunctionName: 'perm-fields', StatementId: 'x'.repeat(101) }), 'ValidationException', 400,
      /at 'statementId' failed to satisfy constraint: Member must have length less than or equal to 100/);
    await rejectsWith(add({ FunctionName: 'perm-fields', StatementId: 'bad-action', Action: 'InvokeFunction' }), 'ValidationException', 400,
      "1 validation error detected: Value 'InvokeFunction' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])");
    await rejectsWith(add({ FunctionName: 'perm-fields', StatementId: 'bad-auth', FunctionUrlAuthType: 'OPEN' as 'NONE' }), 'ValidationException', 400,
      /at 'functionUrlAuthType' failed to satisfy constraint: Member must satisfy enum value set: \[NONE, AWS_IAM\]/);
    await rejectsWith(add({ FunctionName: 'perm-fields', StatementId: 'wildcard' }), 'ResourceConflictException', 409,
      'The statement id (wildcard) provided already exists. Please provide a new statement id, or remove the existing statement.');
  });

  test('AddPermission errors for functions and qualifiers', async () => {
    await createActive('perm-q');
    await rejectsWith(add({ FunctionName: 'perm-q:alias-not-42', Qualifier: '42' }), 'InvalidParameterValueException', 400,
      'The derived qualifier from the function name does not match the specified qualifier.');
    await rejectsWith(add({ FunctionName: 'perm-q:$LATEST', Qualifier: '$LATEST' }), 'InvalidParameterValueException', 400,
      'We currently do not support adding policies for $LATEST.');
    await rejectsWith(add({ FunctionName: 'doesnotexist' }), 'ResourceNotFoundException', 404, `Function not found: ${ARN}:doesnotexist`);
    await rejectsWith(add({ FunctionName: 'perm-q:alias-doesnotexist' }), 'ResourceNotFoundException', 404,
      `Cannot find alias arn: ${ARN}:perm-q:alias-doesnotexist`);
    await rejectsWith(add({ FunctionName: 'perm-q', Qualifier: '42' }), 'ResourceNotFoundException', 404, `Function not found: ${ARN}:perm-q:42`);
    await rejectsWith(add({ FunctionName: 'perm-q', Qualifier: 'invalid-qualifier-with-?-char' }), 'ValidationException', 400,
      "1 validation error detected: Value 'invalid-qualifier-with-?-char' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+");
    await rejectsWith(add({ FunctionName: 'perm-q', Qualifier: 'valid-with-$-but-doesnotexist' }), 'ResourceNotFoundException', 404,
      `Function not found: ${ARN}:perm-q:valid-with-$-but-doesnotexist`);
    await rejectsWith(lambda.send(new GetPolicyCommand({ FunctionName: 'doesnotexist' })), 'ResourceNotFoundException', 404,
      'The resource you requested does not exist.');
    await rejectsWith(lambda.send(new GetPolicyCommand({ FunctionName: 'perm-q', Qualifier: '77' })), 'ResourceNotFoundException', 404,
      'The resource you requested does not exist.');
    await rejectsWith(lambda.send(new GetPolicyCommand({ FunctionName: 'perm-q' })), 'ResourceNotFoundException', 404,
      'The resource you requested does not exist.');
  });

  test('RemovePermission: errors, removal, last statement removes the policy', async () => {
    await createActive('perm-rm');
    await rejectsWith(lambda.send(new RemovePermissionCommand({ FunctionName: 'perm-rm', StatementId: 's3' })), 'ResourceNotFoundException', 404,
      'No policy is associated with the given resource.');
    await rejectsWith(lambda.send(new RemovePermissionCommand({ FunctionName: 'doesnotexist', StatementId: 's3' })), 'ResourceNotFoundException', 404,
      `No policy found for: ${ARN}:doesnotexist`);
    await rejectsWith(lambda.send(new RemovePermissionCommand({ FunctionName: 'perm-rm', StatementId: 's3', Qualifier: 'alias-doesnotexist' })),
      'ResourceNotFoundException', 404, `Cannot find alias arn: ${ARN}:perm-rm:alias-doesnotexist`);
    await add({ FunctionName: 'perm-rm' });
    await add({ FunctionName: 'perm-rm', StatementId: 'sqs', Principal: 'sqs.amazonaws.com', SourceArn: BUCKET_ARN });
    await rejectsWith(lambda.send(new RemovePermissionCommand({ FunctionName: 'perm-rm', StatementId: 'non-existent' })), 'ResourceNotFoundException', 404,
      'Statement non-existent is not found in resource policy.');
    await rejectsWith(lambda.send(new RemovePermissionCommand({ FunctionName: 'perm-rm', StatementId: 'sqs', RevisionId: 'wrong' })),
      'PreconditionFailedException', 412,
      'The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id');
    const before = await policyOf('perm-rm');
    const removed = await lambda.send(new RemovePermissionCommand({ FunctionName: 'perm-rm', StatementId: 'sqs', RevisionId: before.revisionId }));
    assert.equal(removed.$metadata.httpStatusCode, 204);
    const afterRemoval = await policyOf('perm-rm');
    assert.deepEqual(afterRemoval.doc.Statement.map((s) => s.Sid), ['s3']);
    assert.notEqual(afterRemoval.revisionId, before.revisionId);
    await lambda.send(new RemovePermissionCommand({ FunctionName: 'perm-rm', StatementId: 's3' }));
    await rejectsWith(lambda.send(new GetPolicyCommand({ FunctionName: 'perm-rm' })), 'ResourceNotFoundException', 404,
      'The resource you requested does not exist.');
  });

  test('policies live per qualifier and follow the RevisionId of their version or alias', async () => {
    await createActive('perm-ver');
    const fnBefore = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'perm-ver' }));
    await rejectsWith(add({ FunctionName: 'perm-ver', RevisionId: 'wrong' }), 'PreconditionFailedException', 412,
      'The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id');
    await add({ FunctionName: 'perm-ver', SourceArn: BUCKET_ARN, RevisionId: fnBefore.RevisionId });
    const fnAfter = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'perm-ver' }));
    assert.notEqual(fnAfter.RevisionId, fnBefore.RevisionId);
    assert.equal((await policyOf('perm-ver')).revisionId, fnAfter.RevisionId);

    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'perm-ver' }));
    await rejectsWith(lambda.send(new GetPolicyCommand({ FunctionName: 'perm-ver', Qualifier: v1.Version })), 'ResourceNotFoundException', 404,
      'The resource you requested does not exist.');
    await add({ FunctionName: `perm-ver:${v1.Version}`, Qualifier: v1.Version, SourceArn: BUCKET_ARN });
    const versionPolicy = await policyOf('perm-ver', v1.Version);
    assert.equal(versionPolicy.doc.Statement[0]?.Resource, `${ARN}:perm-ver:1`);
    const v1Config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'perm-ver', Qualifier: '1' }));
    assert.equal(versionPolicy.revisionId, v1Config.RevisionId);

    const alias = await lambda.send(new CreateAliasCommand({ FunctionName: 'perm-ver', Name: 'permission-alias', FunctionVersion: '1' }));
    await rejectsWith(add({ FunctionName: 'perm-ver', Qualifier: 'permission-alias', RevisionId: 'wrong' }), 'PreconditionFailedException', 412,
      'The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id');
    await add({ FunctionName: 'perm-ver:permission-alias', Qualifier: 'permission-alias', RevisionId: alias.RevisionId, SourceArn: BUCKET_ARN });
    const aliasPolicy = await policyOf('perm-ver', 'permission-alias');
    assert.equal(aliasPolicy.doc.Statement[0]?.Resource, `${ARN}:perm-ver:permission-alias`);
    const aliasNow = await lambda.send(new GetAliasCommand({ FunctionName: 'perm-ver', Name: 'permission-alias' }));
    assert.equal(aliasPolicy.revisionId, aliasNow.RevisionId);
    assert.notEqual(aliasNow.RevisionId, alias.RevisionId);

    const unqualified = await policyOf('perm-ver');
    assert.deepEqual(unqualified.doc.Statement.map((s) => s.Sid), ['s3']);
    await add({ FunctionName: 'perm-ver', StatementId: 's3_2', RevisionId: unqualified.revisionId });
    assert.deepEqual((await policyOf('perm-ver')).doc.Statement.map((s) => s.Sid), ['s3', 's3_2']);

    // Deleting the alias or the version takes its policy along.
    await lambda.send(new DeleteAliasCommand({ FunctionName: 'perm-ver', Name: 'permission-alias' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'perm-ver', Name: 'permission-alias', FunctionVersion: '1' }));
    await rejectsWith(lambda.send(new GetPolicyCommand({ FunctionName: 'perm-ver', Qualifier: 'permission-alias' })), 'ResourceNotFoundException', 404);
    await lambda.send(new DeleteAliasCommand({ FunctionName: 'perm-ver', Name: 'permission-alias' }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'perm-ver', Qualifier: '1' }));
    await rejectsWith(lambda.send(new GetPolicyCommand({ FunctionName: 'perm-ver', Qualifier: '1' })), 'ResourceNotFoundException', 404);
  });

  test('a policy over 20 KB is refused', async () => {
    await createActive('perm-big');
    let i = 0;
    let refused: Error | undefined;
    while (!refused && i < 200) {
      try {
        await add({ FunctionName: 'perm-big', StatementId: `statement-${i}-${'x'.repeat(80)}`, SourceArn: `arn:aws:s3:::bucket-${'y'.repeat(40)}-${i}` });
        i++;
      } catch (err) {
        refused = err as Error;
      }
    }
    assert.ok(refused, 'expected the policy to hit the size limit');
    await rejectsWith(Promise.reject(refused), 'PolicyLengthExceededException', 400, /^The final policy size \(\d+\) is bigger than the limit \(20480\)\.$/);
    const { doc } = await policyOf('perm-big');
    assert.equal(doc.Statement.length, i);
    assert.ok(Buffer.byteLength(JSON.stringify(doc)) <= 20_480);
  });

  test('policies survive a restart and are evaluated by isInvokeAllowed', async () => {
    await createActive('perm-persist');
    await add({ FunctionName: 'perm-persist', SourceArn: 'arn:aws:s3:::uploads-*', SourceAccount: '111122223333' });
    await add({ FunctionName: 'perm-persist', StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' });
    const before = await policyOf('perm-persist');
    await server.restart();
    lambda = server.lambda();
    assert.deepEqual(await policyOf('perm-persist'), before);

    const db: Store = await openStore({ kind: 'sqlite', dataDir: server.dataDir });
    try {
      const s3 = { principalService: 's3.amazonaws.com', action: 'lambda:InvokeFunction' };
      assert.equal(await isInvokeAllowed(db, SCOPE, 'perm-persist', null, { ...s3, sourceArn: 'arn:aws:s3:::uploads-images', sourceAccount: '111122223333' }), true);
      assert.equal(await isInvokeAllowed(db, SCOPE, 'perm-persist', '$LATEST', { ...s3, sourceArn: 'arn:aws:s3:::uploads-x', sourceAccount: '111122223333' }), true);
      assert.equal(await isInvokeAllowed(db, SCOPE, 'perm-persist', null, { ...s3, sourceArn: 'arn:aws:s3:::other', sourceAccount: '111122223333' }), false);
      assert.equal(await isInvokeAllowed(db, SCOPE, 'perm-persist', null, { ...s3, sourceArn: 'arn:aws:s3:::uploads-images' }), false);
      assert.equal(await isInvokeAllowed(db, SCOPE, 'perm-persist', null, { principalService: 'sns.amazonaws.com', action: 'lambda:InvokeFunction' }), false);
      assert.equal(await isInvokeAllowed(db, SCOPE, 'perm-persist', null, { action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'NONE' }), true);
      assert.equal(await isInvokeAllowed(db, SCOPE, 'perm-persist', null, { action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'AWS_IAM' }), false);
      assert.equal(await isInvokeAllowed(db, SCOPE, 'perm-persist', '1', { ...s3, sourceArn: 'arn:aws:s3:::uploads-images', sourceAccount: '111122223333' }), false);
    } finally {
      await db.destroy();
    }
  });
});

describe('isInvokeAllowed', () => {
  let db: Store;
  before(async () => {
    db = await openStore({ kind: 'sqlite', dataDir: ':memory:' });
  });
  after(() => db.destroy());

  async function putPolicy(functionName: string, qualifier: string, statements: unknown[]) {
    await db.insertInto('lambda_policies')
      .values({ account_id: ACCOUNT, region: 'us-east-1', function_name: functionName, qualifier, statements: JSON.stringify(statements), revision_id: 'r' })
      .execute();
  }
  const allow = (extra: Record<string, unknown>) => ({ Sid: 's', Effect: 'Allow', Resource: `${ARN}:f`, ...extra });

  test('no policy allows nothing', async () => {
    assert.equal(await isInvokeAllowed(db, SCOPE, 'none', null, { principalService: 's3.amazonaws.com', action: 'lambda:InvokeFunction' }), false);
  });

  test('actions: exact, lambda:*, * and case-insensitive', async () => {
    await putPolicy('act-exact', '', [allow({ Principal: '*', Action: 'lambda:InvokeFunction' })]);
    await putPolicy('act-star', '', [allow({ Principal: '*', Action: 'lambda:*' })]);
    await putPolicy('act-any', '', [allow({ Principal: '*', Action: '*' })]);
    const invoke = { action: 'lambda:InvokeFunction' };
    const url = { action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'NONE' as const };
    assert.equal(await isInvokeAllowed(db, SCOPE, 'act-exact', null, invoke), true);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'act-exact', null, { action: 'lambda:invokefunction' }), true);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'act-exact', null, url), false);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'act-star', null, url), true);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'act-any', null, invoke), true);
  });

  test('principals: service, account root, ARN, wildcard', async () => {
    await putPolicy('pr-svc', '', [allow({ Principal: { Service: 'sns.amazonaws.com' }, Action: 'lambda:InvokeFunction' })]);
    await putPolicy('pr-acct', '', [allow({ Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'lambda:InvokeFunction' })]);
    await putPolicy('pr-arn', '', [allow({ Principal: { AWS: 'arn:aws:iam::111122223333:role/r' }, Action: 'lambda:InvokeFunction' })]);
    const action = 'lambda:InvokeFunction';
    assert.equal(await isInvokeAllowed(db, SCOPE, 'pr-svc', null, { principalService: 'sns.amazonaws.com', action }), true);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'pr-svc', null, { principalService: 's3.amazonaws.com', action }), false);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'pr-acct', null, { principalArn: 'arn:aws:iam::111122223333:role/any', action }), true);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'pr-acct', null, { principalArn: 'arn:aws:iam::999999999999:role/any', action }), false);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'pr-arn', null, { principalArn: 'arn:aws:iam::111122223333:role/r', action }), true);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'pr-arn', null, { principalArn: 'arn:aws:iam::111122223333:role/other', action }), false);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'pr-arn', null, { principalService: 'sns.amazonaws.com', action }), false);
  });

  test('conditions: StringEquals, ArnLike wildcards, several keys, unknown keys', async () => {
    await putPolicy('cond', '', [allow({
      Principal: { Service: 's3.amazonaws.com' }, Action: 'lambda:InvokeFunction',
      Condition: { StringEquals: { 'AWS:SourceAccount': '111122223333' }, ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::bucket-?-*' } },
    })]);
    await putPolicy('org', '', [allow({ Principal: '*', Action: 'lambda:InvokeFunction', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1234567890' } } })]);
    const base = { principalService: 's3.amazonaws.com', action: 'lambda:InvokeFunction', sourceAccount: '111122223333' };
    assert.equal(await isInvokeAllowed(db, SCOPE, 'cond', null, { ...base, sourceArn: 'arn:aws:s3:::bucket-a-photos' }), true);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'cond', null, { ...base, sourceArn: 'arn:aws:s3:::bucket-ab-photos' }), false);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'cond', null, { ...base, sourceAccount: '999999999999', sourceArn: 'arn:aws:s3:::bucket-a-x' }), false);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'cond', null, { ...base }), false);
    // A condition on a key the request cannot carry never grants access.
    assert.equal(await isInvokeAllowed(db, SCOPE, 'org', null, { action: 'lambda:InvokeFunction' }), false);
  });

  test('qualified invocations use the qualifier\'s policy only', async () => {
    await putPolicy('qual', 'live', [allow({ Principal: '*', Action: 'lambda:InvokeFunction' })]);
    const action = { action: 'lambda:InvokeFunction' };
    assert.equal(await isInvokeAllowed(db, SCOPE, 'qual', 'live', action), true);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'qual', null, action), false);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'qual', '1', action), false);
  });

  test('function URL conditions and Deny statements', async () => {
    await putPolicy('url', '', [
      allow({ Principal: '*', Action: 'lambda:InvokeFunctionUrl', Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } } }),
      allow({ Principal: '*', Action: 'lambda:InvokeFunction', Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } } }),
    ]);
    await putPolicy('deny', '', [
      allow({ Principal: '*', Action: 'lambda:*' }),
      { Sid: 'no', Effect: 'Deny', Principal: '*', Action: 'lambda:InvokeFunction', Resource: `${ARN}:deny` },
    ]);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'url', null, { action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: 'NONE' }), true);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'url', null, { action: 'lambda:InvokeFunction', functionUrlAuthType: 'NONE' }), true);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'url', null, { action: 'lambda:InvokeFunction' }), false);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'deny', null, { action: 'lambda:InvokeFunction' }), false);
    assert.equal(await isInvokeAllowed(db, SCOPE, 'deny', null, { action: 'lambda:GetFunction' }), true);
  });

  test('wildcardMatch', () => {
    assert.equal(wildcardMatch('a*c', 'abbbc'), true);
    assert.equal(wildcardMatch('a?c', 'abc'), true);
    assert.equal(wildcardMatch('a?c', 'abbc'), false);
    assert.equal(wildcardMatch('a.c', 'abc'), false);
    assert.equal(wildcardMatch('(x)+', '(x)+'), true);
  });
});
