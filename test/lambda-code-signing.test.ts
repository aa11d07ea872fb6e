import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateCodeSigningConfigCommand, CreateFunctionCommand, DeleteCodeSigningConfigCommand, DeleteFunctionCodeSigningConfigCommand, DeleteFunctionCommand,
  GetCodeSigningConfigCommand, GetFunctionCodeSigningConfigCommand, ListCodeSigningConfigsCommand, ListFunctionsByCodeSigningConfigCommand,
  PutFunctionCodeSigningConfigCommand, UpdateCodeSigningConfigCommand, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { rejectsWith } from './support/aws-errors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { NODE_HANDLER_ZIP, ROLE } from './support/zip.js';

const PROFILE = 'arn:aws:signer:us-east-1:000000000000:/signing-profiles/test';
const MISSING = 'arn:aws:lambda:us-east-1:000000000000:code-signing-config:csc-0123456789abcdefg';

describe('lambda code signing configs', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
  });
  after(() => server.stop());

  test('create, get, update, list, attach to a function, detach and delete, with the errors AWS records', async () => {
    const created = await lambda.send(new CreateCodeSigningConfigCommand({
      Description: 'Testing CodeSigning Config', AllowedPublishers: { SigningProfileVersionArns: [PROFILE] }, CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' },
    }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    const config = created.CodeSigningConfig!;
    assert.match(config.CodeSigningConfigId!, /^csc-[a-z0-9]{17}$/);
    assert.equal(config.CodeSigningConfigArn, `arn:aws:lambda:us-east-1:000000000000:code-signing-config:${config.CodeSigningConfigId}`);
    assert.deepEqual(config.AllowedPublishers, { SigningProfileVersionArns: [PROFILE] });
    assert.match(config.LastModified!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const arn = config.CodeSigningConfigArn!;

    const updated = await lambda.send(new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: arn, CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Warn' } }));
    assert.deepEqual(updated.CodeSigningConfig?.CodeSigningPolicies, { UntrustedArtifactOnDeployment: 'Warn' });
    assert.equal(updated.CodeSigningConfig?.Description, 'Testing CodeSigning Config');
    assert.deepEqual((await lambda.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: arn }))).CodeSigningConfig, updated.CodeSigningConfig);
    assert.deepEqual((await lambda.send(new ListCodeSigningConfigsCommand({}))).CodeSigningConfigs?.map((c) => c.CodeSigningConfigArn), [arn]);

    await lambda.send(new CreateFunctionCommand({ FunctionName: 'signed', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP } }));
    assert.equal((await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: 'signed' }))).CodeSigningConfigArn, undefined);
    assert.deepEqual((await lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: arn }))).FunctionArns, []);
    const put = await lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: 'signed', CodeSigningConfigArn: arn }));
    assert.deepEqual([put.CodeSigningConfigArn, put.FunctionName], [arn, 'signed']);
    const got = await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: 'signed' }));
    assert.deepEqual([got.CodeSigningConfigArn, got.FunctionName], [arn, 'signed']);
    assert.deepEqual((await lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: arn }))).FunctionArns, ['arn:aws:lambda:us-east-1:000000000000:function:signed']);
    await rejectsWith(lambda.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: arn })), 'ResourceConflictException', 409);

    // The recorded errors.
    const fnMissing = 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:csc-test-doesnotexist';
    await rejectsWith(lambda.send(new GetCodeSigningConfigCommand({ CodeSigningConfigArn: MISSING })), 'ResourceNotFoundException', 404, `The Lambda code signing configuration ${MISSING} can not be found.`);
    await rejectsWith(lambda.send(new UpdateCodeSigningConfigCommand({ CodeSigningConfigArn: MISSING, Description: 'x' })), 'ResourceNotFoundException', 404, `The Lambda code signing configuration ${MISSING} can not be found.`);
    await rejectsWith(lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: MISSING })), 'ResourceNotFoundException', 404);
    await rejectsWith(lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: 'csc-test-doesnotexist', CodeSigningConfigArn: MISSING })), 'CodeSigningConfigNotFoundException', 404,
      `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${MISSING}.`);
    await rejectsWith(lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: 'csc-test-doesnotexist', CodeSigningConfigArn: arn })), 'ResourceNotFoundException', 404, fnMissing);
    await rejectsWith(lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: 'csc-test-doesnotexist' })), 'ResourceNotFoundException', 404, fnMissing);
    await rejectsWith(lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: 'csc-test-doesnotexist' })), 'ResourceNotFoundException', 404, fnMissing);
    await rejectsWith(lambda.send(new CreateCodeSigningConfigCommand({ AllowedPublishers: { SigningProfileVersionArns: ['not-an-arn'] } })), 'ValidationException', 400,
      /^1 validation error detected: Value 'not-an-arn' at 'allowedPublishers\.signingProfileVersionArns\.1\.member' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await rejectsWith(lambda.send(new CreateCodeSigningConfigCommand({ AllowedPublishers: { SigningProfileVersionArns: [PROFILE] }, CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Maybe' as 'Warn' } })), 'ValidationException', 400);

    await lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: 'signed' }));
    // Nothing left to delete: still 204.
    await lambda.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: 'signed' }));
    // A function deleted with a config attached leaves no trace on the config.
    await lambda.send(new PutFunctionCodeSigningConfigCommand({ FunctionName: 'signed', CodeSigningConfigArn: arn }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'signed' }));
    assert.deepEqual((await lambda.send(new ListFunctionsByCodeSigningConfigCommand({ CodeSigningConfigArn: arn }))).FunctionArns, []);
    // CreateFunction's CodeSigningConfigArn attaches it as well; a missing config refuses the create.
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'signed-at-create', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP }, CodeSigningConfigArn: arn }));
    assert.equal((await lambda.send(new GetFunctionCodeSigningConfigCommand({ FunctionName: 'signed-at-create' }))).CodeSigningConfigArn, arn);
    await rejectsWith(lambda.send(new CreateFunctionCommand({ FunctionName: 'not-created', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP }, CodeSigningConfigArn: MISSING })),
      'CodeSigningConfigNotFoundException', 404);
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'signed-at-create' }));
    await lambda.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: arn }));
    await rejectsWith(lambda.send(new DeleteCodeSigningConfigCommand({ CodeSigningConfigArn: arn })), 'ResourceNotFoundException', 404, `The Lambda code signing configuration ${arn} can not be found.`);
    assert.deepEqual((await lambda.send(new ListCodeSigningConfigsCommand({}))).CodeSigningConfigs, []);
  });
});
