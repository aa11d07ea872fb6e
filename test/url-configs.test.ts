import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand, CreateFunctionCommand, CreateFunctionUrlConfigCommand, DeleteFunctionUrlConfigCommand, GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand, PublishVersionCommand, UpdateFunctionUrlConfigCommand, waitUntilFunctionActiveV2, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { NODE_HANDLER_ZIP, ROLE } from './support/zip.js';
import { rejectsWith } from './support/aws-errors.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';
const QUALIFIER_PATTERN = '((?!^\\d+$)^[0-9a-zA-Z-_]+$)';

describe('function URL configs', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    for (const name of ['url-fn', 'url-other']) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP } }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
    }
    await lambda.send(new PublishVersionCommand({ FunctionName: 'url-fn' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'url-fn', Name: 'live', FunctionVersion: '1' }));
  });
  after(() => server.stop());

  const urlShape = () => new RegExp(`^http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost:${server.lambkin.port}/$`);

  test('Create answers 201 with the members AWS sends; Get adds InvokeMode and LastModifiedTime', async () => {
    const created = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-fn', AuthType: 'NONE' }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.FunctionUrl ?? '', urlShape());
    assert.equal(created.FunctionArn, `${ARN}:url-fn`);
    assert.equal(created.AuthType, 'NONE');
    assert.match(created.CreationTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    assert.equal(created.InvokeMode, undefined);
    assert.equal(created.Cors, undefined);
    assert.equal((created as unknown as Record<string, unknown>).LastModifiedTime, undefined);

    await rejectsWith(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-fn', AuthType: 'NONE' })), 'ResourceConflictException', 409,
      `Failed to create function url config for [functionArn = ${ARN}:url-fn]. Error message:  FunctionUrlConfig exists for this Lambda function`);

    const got = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'url-fn' }));
    assert.equal(got.FunctionUrl, created.FunctionUrl);
    assert.equal(got.InvokeMode, 'BUFFERED');
    assert.ok(got.LastModifiedTime);

    const updated = await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'url-fn', AuthType: 'AWS_IAM' }));
    assert.equal(updated.AuthType, 'AWS_IAM');
    assert.equal(updated.InvokeMode, undefined);
    assert.ok(updated.LastModifiedTime);
    assert.equal(updated.FunctionUrl, created.FunctionUrl);

    const streaming = await lambda.send(new UpdateFunctionUrlConfigCommand({
      FunctionName: 'url-fn', InvokeMode: 'RESPONSE_STREAM', Cors: { AllowOrigins: ['*'], AllowMethods: ['GET'], MaxAge: 60, AllowCredentials: true },
    }));
    assert.equal(streaming.InvokeMode, 'RESPONSE_STREAM');
    assert.deepEqual(streaming.Cors, { AllowOrigins: ['*'], AllowMethods: ['GET'], MaxAge: 60, AllowCredentials: true });
    const again = await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'url-fn' }));
    assert.equal(again.InvokeMode, 'RESPONSE_STREAM');
    assert.equal(again.AuthType, 'AWS_IAM');
  });

  test('alias URLs, qualifier validation and not-found messages as recorded', async () => {
    const alias = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-fn', Qualifier: 'live', AuthType: 'NONE', InvokeMode: 'BUFFERED' }));
    assert.equal(alias.FunctionArn, `${ARN}:url-fn:live`);
    assert.equal(alias.InvokeMode, 'BUFFERED');
    for (const Qualifier of ['$LATEST', '1']) {
      await rejectsWith(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-fn', Qualifier, AuthType: 'NONE' })), 'ValidationException', 400,
        `1 validation error detected: Value '${Qualifier}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`);
      await rejectsWith(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'url-fn', Qualifier })), 'ValidationException', 400);
    }
    await rejectsWith(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'doesnotexist', AuthType: 'NONE' })), 'ResourceNotFoundException', 404, 'Function does not exist');
    await rejectsWith(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-fn', Qualifier: 'nope', AuthType: 'NONE' })), 'ResourceNotFoundException', 404, 'Function does not exist');
    await rejectsWith(lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'doesnotexist', AuthType: 'NONE' })), 'ResourceNotFoundException', 404, 'Function does not exist');
    await rejectsWith(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: `${ARN}:url-fn:live`, Qualifier: 'other', AuthType: 'NONE' })),
      'InvalidParameterValueException', 400, 'The derived qualifier from the function name does not match the specified qualifier.');
    await rejectsWith(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'doesnotexist' })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    await rejectsWith(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'url-other' })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    await rejectsWith(lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'url-other', AuthType: 'NONE' })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    await rejectsWith(lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'url-other' })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    await rejectsWith(lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'doesnotexist' })), 'ResourceNotFoundException', 404, 'Function does not exist');
  });

  test('AuthType, InvokeMode and CORS are validated the way the model does', async () => {
    await rejectsWith(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-other', AuthType: 'NONE', InvokeMode: 'UNKNOWN' as never })), 'ValidationException', 400,
      "1 validation error detected: Value 'UNKNOWN' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]");
    await rejectsWith(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-other' } as never)), 'ValidationException', 400,
      "1 validation error detected: Value null at 'authType' failed to satisfy constraint: Member must not be null");
    await rejectsWith(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-other', AuthType: 'NONE', Cors: { MaxAge: 86401 } })), 'ValidationException', 400,
      "1 validation error detected: Value '86401' at 'cors.maxAge' failed to satisfy constraint: Member must have value less than or equal to 86400");
    await rejectsWith(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-other', AuthType: 'NONE', Cors: { AllowMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'] } })),
      'ValidationException', 400, /at 'cors\.allowMethods' failed to satisfy constraint: Member must have length less than or equal to 6$/);
    await rejectsWith(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-other', AuthType: 'NONE', Cors: { AllowMethods: ['GETPOST'] } })),
      'ValidationException', 400, /Value '\[GETPOST\]' at 'cors\.allowMethods' failed to satisfy constraint: Member must satisfy constraint: \[Member must have length less than or equal to 6/);
    await rejectsWith(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'url-other', AuthType: 'NONE', Cors: { AllowOrigins: Array.from({ length: 101 }, (_, i) => `https://o${i}.example`) } })),
      'ValidationException', 400, /at 'cors\.allowOrigins' failed to satisfy constraint: Member must have length less than or equal to 100$/);
  });

  test('List, Delete without qualifier keeps the alias URL, and URLs survive a restart unchanged', async () => {
    const before = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'url-fn' }));
    assert.deepEqual(before.FunctionUrlConfigs?.map((c) => c.FunctionArn), [`${ARN}:url-fn`, `${ARN}:url-fn:live`]);
    assert.ok(before.FunctionUrlConfigs?.every((c) => c.InvokeMode && c.LastModifiedTime));
    const paged = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'url-fn', MaxItems: 1 }));
    assert.equal(paged.FunctionUrlConfigs?.length, 1);
    const next = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'url-fn', Marker: paged.NextMarker }));
    assert.deepEqual(next.FunctionUrlConfigs?.map((c) => c.FunctionArn), [`${ARN}:url-fn:live`]);

    await server.restart();
    lambda = server.lambda();
    const after = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'url-fn' }));
    assert.deepEqual(after.FunctionUrlConfigs?.map((c) => c.FunctionUrl), before.FunctionUrlConfigs?.map((c) => c.FunctionUrl));

    const deleted = await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'url-fn' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejectsWith(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'url-fn' })), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    const alias = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'url-fn', Qualifier: 'live' }));
    assert.equal(alias.FunctionArn, `${ARN}:url-fn:live`);
  });
});
