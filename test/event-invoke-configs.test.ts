import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand, CreateFunctionCommand, DeleteFunctionEventInvokeConfigCommand, GetFunctionEventInvokeConfigCommand,
  ListFunctionEventInvokeConfigsCommand, PublishVersionCommand, PutFunctionEventInvokeConfigCommand, UpdateFunctionEventInvokeConfigCommand,
  waitUntilFunctionActiveV2, type LambdaClient,
} from '@aws-sdk/client-lambda';
import { startTestServer, type TestServer } from './support/server.js';
import { NODE_HANDLER_ZIP, ROLE } from './support/zip.js';
import { rejectsWith } from './support/aws-errors.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';

describe('event invoke configs', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    server = await startTestServer();
    lambda = server.lambda();
    for (const name of ['eic', 'eic-other']) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP } }));
      await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: name });
    }
    await lambda.send(new PublishVersionCommand({ FunctionName: 'eic' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'eic', Name: 'live', FunctionVersion: '1' }));
  });
  after(() => server.stop());

  test('Put replaces, Update merges, Get returns the qualified ARN and epoch-seconds LastModified', async () => {
    const put = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 }));
    assert.equal(put.$metadata.httpStatusCode, 200);
    assert.equal(put.FunctionArn, `${ARN}:eic:$LATEST`);
    assert.deepEqual(put.DestinationConfig, { OnSuccess: {}, OnFailure: {} });
    assert.ok(put.LastModified instanceof Date && Math.abs(put.LastModified.getTime() - Date.now()) < 60_000);

    const replaced = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', MaximumRetryAttempts: 0 }));
    assert.equal(replaced.MaximumRetryAttempts, 0);
    assert.equal(replaced.MaximumEventAgeInSeconds, undefined);

    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 }));
    const merged = await lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'eic', MaximumRetryAttempts: 0 }));
    assert.equal(merged.MaximumRetryAttempts, 0);
    assert.equal(merged.MaximumEventAgeInSeconds, 60);
    const got = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'eic' }));
    assert.equal(got.MaximumEventAgeInSeconds, 60);
    assert.equal(got.FunctionArn, `${ARN}:eic:$LATEST`);
  });

  test('qualifiers: version, alias, alias ARN, shorthand; mismatches and missing aliases', async () => {
    const v = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', Qualifier: '1', MaximumRetryAttempts: 1 }));
    assert.equal(v.FunctionArn, `${ARN}:eic:1`);
    const a = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: `${ARN}:eic:live`, MaximumRetryAttempts: 1 }));
    assert.equal(a.FunctionArn, `${ARN}:eic:live`);
    const s = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic:live', Qualifier: 'live', MaximumRetryAttempts: 1 }));
    assert.equal(s.FunctionArn, `${ARN}:eic:live`);
    await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic:1', Qualifier: '$LATEST', MaximumRetryAttempts: 1 })),
      'InvalidParameterValueException', 400, 'The derived qualifier from the function name does not match the specified qualifier.');
    await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', Qualifier: 'livedoesnotexist', MaximumRetryAttempts: 1 })),
      'ResourceNotFoundException', 404, "The function doesn't exist.");
    await rejectsWith(lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'eic', Qualifier: 'doesnotexist' })),
      'ResourceNotFoundException', 404, `The function ${ARN}:eic:doesnotexist doesn't have an EventInvokeConfig`);
  });

  test('recorded errors for missing functions, empty requests and bad values', async () => {
    await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'doesnotexist' })),
      'InvalidParameterValueException', 400, 'You must specify at least one of error handling or destination setting.');
    await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'doesnotexist', MaximumRetryAttempts: 1 })),
      'ResourceNotFoundException', 404, "The function doesn't exist.");
    await rejectsWith(lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'doesnotexist', MaximumRetryAttempts: 0 })),
      'ResourceNotFoundException', 404, "The function doesn't exist.");
    await rejectsWith(lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'doesnotexist' })),
      'ResourceNotFoundException', 404, `The function ${ARN}:doesnotexist:$LATEST doesn't have an EventInvokeConfig`);
    await rejectsWith(lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'doesnotexist' })),
      'ResourceNotFoundException', 404, "The function doesn't exist.");
    await rejectsWith(lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'eic-other', MaximumRetryAttempts: 0 })),
      'ResourceNotFoundException', 404, `The function ${ARN}:eic-other:$LATEST doesn't have an EventInvokeConfig`);
    await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', MaximumRetryAttempts: 3 })),
      'ValidationException', 400, "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2");
    await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', MaximumEventAgeInSeconds: 59 })),
      'ValidationException', 400, "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60");
  });

  test('destinations: other functions are accepted; self, missing, wrong-service and undeliverable (S3) targets are refused', async () => {
    const ok = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic-other', DestinationConfig: { OnSuccess: { Destination: `${ARN}:eic` } } }));
    assert.deepEqual(ok.DestinationConfig, { OnSuccess: { Destination: `${ARN}:eic` }, OnFailure: {} });
    const empty = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic-other', DestinationConfig: { OnFailure: {} } }));
    assert.deepEqual(empty.DestinationConfig, { OnSuccess: {}, OnFailure: {} });
    await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', DestinationConfig: { OnSuccess: { Destination: `${ARN}:eic` } } })),
      'InvalidParameterValueException', 400, "You can't specify the function as a destination for itself.");
    await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', DestinationConfig: { OnSuccess: { Destination: `${ARN}:doesnotexist` } } })),
      'InvalidParameterValueException', 400, `The destination ARN ${ARN}:doesnotexist is invalid.`);
    const iam = 'arn:aws:iam:us-east-1:000000000000:function:eic';
    await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', DestinationConfig: { OnSuccess: { Destination: iam } } })),
      'InvalidParameterValueException', 400, `The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=${iam}), onFailure=null) is invalid.`);
    const bad = 'arn:aws:_-/!lambda:us-east-1:000000000000:function:eic';
    await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', DestinationConfig: { OnFailure: { Destination: bad } } })),
      'ValidationException', 400, /^1 validation error detected: Value 'arn:aws:_-\/!lambda:.*' at 'destinationConfig\.onFailure\.destination' failed to satisfy constraint: Member must satisfy regular expression pattern: \$\|kafka:/);
    // Queues, topics and buses are delivered to by the embedded services, so they are accepted.
    for (const arn of ['arn:aws:sqs:us-east-1:000000000000:q', 'arn:aws:sns:us-east-1:000000000000:t', 'arn:aws:events:us-east-1:000000000000:event-bus/default']) {
      const accepted = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', DestinationConfig: { OnFailure: { Destination: arn } } }));
      assert.equal(accepted.DestinationConfig?.OnFailure?.Destination, arn);
    }
    // An S3 bucket is a valid OnFailure destination on AWS; Lambkin writes only stream mappings' records to S3.
    await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::failures' } } })),
      'InvalidParameterValueException', 400, 'The destination ARN arn:aws:s3:::failures is invalid.');
  });

  test('List pages, Delete answers 204 then 404, configs survive a restart', async () => {
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', MaximumRetryAttempts: 1 }));
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', Qualifier: '1', MaximumRetryAttempts: 1 }));
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', Qualifier: 'live', MaximumEventAgeInSeconds: 120 }));
    await server.restart();
    lambda = server.lambda();
    const all = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'eic' }));
    assert.deepEqual(all.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn), [`${ARN}:eic:$LATEST`, `${ARN}:eic:1`, `${ARN}:eic:live`]);
    const first = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'eic', MaxItems: 2 }));
    assert.equal(first.FunctionEventInvokeConfigs?.length, 2);
    assert.ok(first.NextMarker);
    const rest = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'eic', Marker: first.NextMarker }));
    assert.deepEqual(rest.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn), [`${ARN}:eic:live`]);
    assert.equal(rest.FunctionEventInvokeConfigs?.[0]?.MaximumEventAgeInSeconds, 120);
    await rejectsWith(lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'eic', MaxItems: 51 })), 'ValidationException', 400,
      "1 validation error detected: Value '51' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50");

    for (const Qualifier of ['$LATEST', '1', 'live']) {
      const res = await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'eic', Qualifier }));
      assert.equal(res.$metadata.httpStatusCode, 204);
    }
    assert.deepEqual((await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'eic' }))).FunctionEventInvokeConfigs, []);
    await rejectsWith(lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'eic' })),
      'ResourceNotFoundException', 404, `The function ${ARN}:eic:$LATEST doesn't have an EventInvokeConfig`);
  });
});
