import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GetAccountSettingsCommand, PutFunctionConcurrencyCommand, CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { NODE_HANDLER_ZIP, ROLE } from './support/zip.js';
import { rejectsWith } from './support/aws-errors.js';

describe('a configured account concurrency limit', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer({ LAMBKIN_ACCOUNT_CONCURRENCY: '300' });
    lambda = server.lambda();
  });
  after(() => server.stop());

  test('GetAccountSettings and the reservation rules use it', async () => {
    const settings = await lambda.send(new GetAccountSettingsCommand({}));
    assert.equal(settings.AccountLimit?.ConcurrentExecutions, 300);
    assert.equal(settings.AccountLimit?.UnreservedConcurrentExecutions, 300);
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'limited', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP } }));
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'limited', ReservedConcurrentExecutions: 200 }));
    const after = await lambda.send(new GetAccountSettingsCommand({}));
    assert.equal(after.AccountLimit?.UnreservedConcurrentExecutions, 100);
    await rejectsWith(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'limited', ReservedConcurrentExecutions: 201 })),
      'InvalidParameterValueException', 400, /below its minimum value of \[100\]/);
  });
});
