import { after, before, describe, test } from 'node:test';
import {
  CreateFunctionCommand, PublishVersionCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { NODE_HANDLER_ZIP, ROLE } from './support/zip.js';
import { rejectsWith } from './support/aws-errors.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';

// Provisioning is held for a minute here, so "in progress" is a state the test controls, not a race.
describe('mutations while an update is in progress', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer({ LAMBKIN_PROVISIONING_DELAY_MS: '60000' });
    lambda = server.lambda();
  });
  after(() => server.stop());

  const create = (name: string) =>
    lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP } }));
  const inProgress = (name: string) =>
    `The operation cannot be performed at this time. An update is in progress for resource: ${ARN}:${name}`;

  test('a Pending function refuses updates and publishing with 409', async () => {
    await create('pending');
    await rejectsWith(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'pending', ZipFile: NODE_HANDLER_ZIP })), 'ResourceConflictException', 409, inProgress('pending'));
    await rejectsWith(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'pending', MemorySize: 256 })), 'ResourceConflictException', 409, inProgress('pending'));
    await rejectsWith(lambda.send(new PublishVersionCommand({ FunctionName: 'pending' })), 'ResourceConflictException', 409, inProgress('pending'));
  });

  test('after restart the held work is settled, then an update is InProgress and refuses the next one', async () => {
    await create('held');
    // Restart settles what the previous process left Pending (the provisioner's recovery).
    await server.restart();
    lambda = server.lambda();
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'held', MemorySize: 256 }));
    await rejectsWith(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'held', ZipFile: NODE_HANDLER_ZIP })), 'ResourceConflictException', 409, inProgress('held'));
    await rejectsWith(lambda.send(new PublishVersionCommand({ FunctionName: 'held' })), 'ResourceConflictException', 409, inProgress('held'));
  });
});
