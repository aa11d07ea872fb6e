import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, GetFunctionConfigurationCommand,
  ListFunctionsCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2, waitUntilFunctionUpdatedV2, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { makeZip, NODE_HANDLER_ZIP, ROLE } from './support/zip.js';
import { rejectsWith } from './support/aws-errors.js';

describe('functions', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
  });
  after(() => server.stop());

  const create = (name: string, extra: Record<string, unknown> = {}) =>
    lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP }, ...extra }));

  test('create returns 201 Pending with AWS defaults, then turns Active', async () => {
    const created = await create('fn-create');
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.State, 'Pending');
    assert.equal(created.StateReasonCode, 'Creating');
    assert.equal(created.Version, '$LATEST');
    assert.equal(created.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:fn-create');
    assert.equal(created.MemorySize, 128);
    assert.equal(created.Timeout, 3);
    assert.deepEqual(created.Architectures, ['x86_64']);
    assert.deepEqual(created.EphemeralStorage, { Size: 512 });
    assert.deepEqual(created.LoggingConfig, { LogFormat: 'Text', LogGroup: '/aws/lambda/fn-create' });
    assert.match(created.CodeSha256 ?? '', /^[A-Za-z0-9+/]{43}=$/);
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'fn-create' });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'fn-create' }));
    assert.equal(got.Configuration?.State, 'Active');
    assert.equal(got.Configuration?.LastUpdateStatus, 'Successful');
    assert.notEqual(got.Configuration?.RevisionId, created.RevisionId);
    assert.equal(got.Code?.RepositoryType, 'S3');
    const zip = await fetch(got.Code?.Location ?? '');
    assert.equal(zip.status, 200);
    assert.deepEqual(new Uint8Array(await zip.arrayBuffer()), NODE_HANDLER_ZIP);
  });

  test('duplicate create is 409 "Function already exist"', async () => {
    await create('fn-dup');
    await rejectsWith(create('fn-dup'), 'ResourceConflictException', 409, 'Function already exist: fn-dup');
  });

  test('every FunctionName form resolves', async () => {
    await create('fn-forms');
    for (const name of ['fn-forms', 'fn-forms:$LATEST', '000000000000:function:fn-forms', 'arn:aws:lambda:us-east-1:000000000000:function:fn-forms']) {
      const got = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
      assert.equal(got.FunctionName, 'fn-forms');
    }
    const qualified = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-forms', Qualifier: '$LATEST' }));
    assert.equal(qualified.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:fn-forms:$LATEST');
    await rejectsWith(
      lambda.send(new GetFunctionCommand({ FunctionName: 'fn-forms:1', Qualifier: '2' })),
      'InvalidParameterValueException', 400, 'The derived qualifier from the function name does not match the specified qualifier.',
    );
    await rejectsWith(
      lambda.send(new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:us-east-1:111111111111:function:fn-forms' })),
      'AccessDeniedException', 403,
    );
    await rejectsWith(
      lambda.send(new GetFunctionCommand({ FunctionName: '../../etc' })),
      'ValidationException', 400, /^1 validation error detected: Value '..\/..\/etc' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    await rejectsWith(
      lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })),
      'ResourceNotFoundException', 404, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
    );
  });

  test('validation rules answer as AWS does', async () => {
    await rejectsWith(create('v1', { Role: 'r1' }), 'ValidationException', 400,
      "1 validation error detected: Value 'r1' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
    await rejectsWith(create('v2', { Runtime: 'PYTHON3.9' }), 'InvalidParameterValueException', 400, /^Value PYTHON3.9 at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[nodejs20.x, python3.14, .*\] or be a valid ARN$/);
    await rejectsWith(create('v3', { Runtime: 'nodejs18.x' }), 'InvalidParameterValueException', 400,
      'The runtime parameter of nodejs18.x is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.');
    await rejectsWith(create('v4', { Runtime: 'nodejs12.x' }), 'InvalidParameterValueException', 400, /nodejs12.x is no longer supported/);
    await rejectsWith(create('v5', { MemorySize: 127 }), 'ValidationException', 400, /'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128/);
    await rejectsWith(create('v6', { MemorySize: 10241 }), 'ValidationException', 400, /Member must have value less than or equal to 10240/);
    await rejectsWith(create('v7', { Timeout: 0 }), 'ValidationException', 400, /'timeout'/);
    await rejectsWith(create('v8', { Timeout: 901 }), 'ValidationException', 400, /less than or equal to 900/);
    await rejectsWith(create('v9', { EphemeralStorage: { Size: 511 } }), 'ValidationException', 400, /ephemeralStorage.size/);
    await rejectsWith(create('v10', { Architectures: ['x86_64', 'arm64'] }), 'ValidationException', 400,
      "1 validation error detected: Value '[x86_64, arm64]' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1");
    await rejectsWith(create('v11', { Architectures: ['X86_64'] }), 'ValidationException', 400,
      "1 validation error detected: Value '[X86_64]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]");
    await rejectsWith(create('a'.repeat(65)), 'InvalidParameterValueException', 400,
      `1 validation error detected: Value '${'a'.repeat(65)}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`);
    await rejectsWith(create('bad name!'), 'ValidationException', 400, /at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await rejectsWith(create('v12', { Handler: 'has space' }), 'ValidationException', 400, /'handler'/);
    await rejectsWith(create('v13', { Code: { ZipFile: new TextEncoder().encode('not a zip') } }), 'InvalidParameterValueException', 400,
      'Could not unzip uploaded file. Please check your file, then try to upload again.');
    await rejectsWith(create('v14', { Environment: { Variables: { AWS_REGION: 'x' } } }), 'InvalidParameterValueException', 400, /Reserved keys used in this request: AWS_REGION/);
    const big = 'x'.repeat(4100);
    await rejectsWith(create('v15', { Environment: { Variables: { LARGE_VAR: big } } }), 'InvalidParameterValueException', 400,
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: {"LARGE_VAR":"${big}"}`);
    await rejectsWith(create('v16', { Layers: ['arn:aws:lambda:us-east-1:000000000000:layer:l:1', 'arn:aws:lambda:us-east-1:000000000000:layer:l:2', 'arn:aws:lambda:us-east-1:000000000000:layer:l:3', 'arn:aws:lambda:us-east-1:000000000000:layer:l:4', 'arn:aws:lambda:us-east-1:000000000000:layer:l:5', 'arn:aws:lambda:us-east-1:000000000000:layer:l:6'] }),
      'InvalidParameterValueException', 400, 'Cannot reference more than 5 layers.');
    await rejectsWith(create('v17', { Layers: ['arn:aws:lambda:us-east-1:000000000000:layer:missing:1'] }), 'InvalidParameterValueException', 400,
      'Layer version arn:aws:lambda:us-east-1:000000000000:layer:missing:1 does not exist.');
    await rejectsWith(create('v18', { Code: { S3Bucket: 'b', S3Key: 'k' } }), 'InvalidParameterValueException', 400, /^Error occurred while GetObject. S3 Error Code: NoSuchBucket/);
    await rejectsWith(create('v19', { Code: { ZipFile: new Uint8Array(52_428_801) } }), 'RequestEntityTooLargeException', 413, 'Zipped size must be smaller than 52428800 bytes');
  });

  test('updates go InProgress → Successful, bump RevisionId and honour RevisionId preconditions', async () => {
    await create('fn-upd');
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'fn-upd' });
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-upd' }));
    await rejectsWith(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn-upd', MemorySize: 256, RevisionId: 'wrong' })),
      'PreconditionFailedException', 412,
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
    const upd = await lambda.send(new UpdateFunctionConfigurationCommand({
      FunctionName: 'fn-upd', MemorySize: 256, Timeout: 10, Description: 'changed', Environment: { Variables: { AB: '1' } }, RevisionId: before.RevisionId,
    }));
    assert.equal(upd.LastUpdateStatus, 'InProgress');
    assert.equal(upd.LastUpdateStatusReasonCode, 'Creating');
    assert.equal(upd.MemorySize, 256);
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'fn-upd' });
    const newZip = makeZip({ 'index.js': 'exports.handler = async () => 2;\n' });
    const code = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn-upd', ZipFile: newZip }));
    assert.notEqual(code.CodeSha256, before.CodeSha256);
    assert.equal(code.CodeSize, newZip.length);
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'fn-upd' });
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-upd' }));
    assert.equal(after.LastUpdateStatus, 'Successful');
    assert.equal(after.Description, 'changed');
    assert.deepEqual(after.Environment?.Variables, { AB: '1' });
  });

  test('list paginates with Marker/NextMarker and FunctionVersion=ALL qualifies $LATEST', async () => {
    for (let i = 0; i < 5; i++) await create(`fn-page-${i}`);
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
      assert.ok((page.Functions ?? []).length <= 2);
      for (const f of page.Functions ?? []) {
        names.push(f.FunctionName ?? '');
        assert.equal(f.State, undefined);
      }
      marker = page.NextMarker;
    } while (marker);
    for (let i = 0; i < 5; i++) assert.ok(names.includes(`fn-page-${i}`));
    assert.equal(new Set(names).size, names.length);
    const all = await lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }));
    assert.ok(all.Functions?.some((f) => f.FunctionArn === 'arn:aws:lambda:us-east-1:000000000000:function:fn-page-0:$LATEST'));
    await rejectsWith(lambda.send(new ListFunctionsCommand({ FunctionVersion: 'invalid' as 'ALL' })), 'ValidationException', 400,
      "1 validation error detected: Value 'invalid' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]");
  });

  test('delete answers 204, then the function is gone', async () => {
    await create('fn-del');
    const res = await lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn-del' }));
    assert.equal(res.$metadata.httpStatusCode, 204);
    await rejectsWith(lambda.send(new GetFunctionCommand({ FunctionName: 'fn-del' })), 'ResourceNotFoundException', 404);
    await rejectsWith(lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn-del' })), 'ResourceNotFoundException', 404);
    await create('fn-del2');
    await rejectsWith(lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn-del2', Qualifier: '$LATEST' })), 'InvalidParameterValueException', 400,
      '$LATEST version cannot be deleted without deleting the function.');
  });

  test('everything survives a restart', async () => {
    await create('fn-persist', { Environment: { Variables: { KEEP: 'me' } }, Tags: { team: 'a' } });
    await server.restart();
    lambda = server.lambda();
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'fn-persist' }));
    assert.equal(got.Configuration?.State, 'Active');
    assert.deepEqual(got.Configuration?.Environment?.Variables, { KEEP: 'me' });
    assert.deepEqual(got.Tags, { team: 'a' });
  });
});
