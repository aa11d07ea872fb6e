import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import {
  CreateAliasCommand, CreateEventSourceMappingCommand, CreateFunctionCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand, ListTagsCommand, PublishVersionCommand, UpdateEventSourceMappingCommand, waitUntilFunctionActiveV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { createStreamTable, dynamodbClient } from './support/dynamodb-streams.js';
import { kinesisClient } from './support/kinesis.js';
import { startTestServer, type TestServer } from './support/server.js';
import { sqsClient } from './support/sqs.js';
import { NODE_HANDLER_ZIP, ROLE } from './support/zip.js';
import { rejectsWith } from './support/aws-errors.js';

const ACCOUNT = '000000000000';
const ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function`;
const queue = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
const kinesis = (name: string) => `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`;
const ddb = (name: string) => `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${name}/stream/2026-01-01T00:00:00.000`;

describe('event source mappings', () => {
  let server: TestServer;
  let lambda: LambdaClient;
  before(async () => {
    // Long enough that a call made right after CreateEventSourceMapping still finds it Creating
    // (the suite's 20 ms lost that race on a slow host, with PostgreSQL under the server).
    server = await startTestServer({ LAMBKIN_PROVISIONING_DELAY_MS: '400' });
    lambda = server.lambda();
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'esm-fn', Runtime: 'nodejs22.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: NODE_HANDLER_ZIP } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10, minDelay: 1 }, { FunctionName: 'esm-fn' });
    await lambda.send(new PublishVersionCommand({ FunctionName: 'esm-fn' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'esm-fn', Name: 'live', FunctionVersion: '1' }));
    // CreateEventSourceMapping checks that the queue exists, as AWS does.
    const sqs = sqsClient(server.url);
    for (const name of ['q1', 'forms', 'big', 'f', 'upd', 'off', 'del', 'list-a', 'list-b']) await sqs.send(new CreateQueueCommand({ QueueName: name }));
    // … and that the stream exists.
    const streams = kinesisClient(server.url);
    for (const name of ['k1', 'dest']) await streams.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    streams.destroy();
  });
  after(() => server.stop());

  async function waitForState(uuid: string, state: string) {
    for (let i = 0; i < 100; i++) {
      const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
      if (got.State === state) return got;
      await sleep(10);
    }
    assert.fail(`mapping ${uuid} never reached ${state}`);
  }
  async function waitForGone(uuid: string) {
    for (let i = 0; i < 100; i++) {
      try {
        await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
      } catch {
        return;
      }
      await sleep(10);
    }
    assert.fail(`mapping ${uuid} was never removed`);
  }

  test('SQS: 202 Creating with the recorded defaults, then Enabled; duplicates are refused', async () => {
    const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: queue('q1') }));
    assert.equal(created.$metadata.httpStatusCode, 202);
    const { $metadata: _m, ...doc } = created;
    assert.ok(created.UUID && /^[0-9a-f-]{36}$/.test(created.UUID));
    assert.ok(doc.LastModified instanceof Date);
    assert.deepEqual({ ...doc, LastModified: undefined }, {
      BatchSize: 10, EventSourceArn: queue('q1'), EventSourceMappingArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:event-source-mapping:${created.UUID}`,
      FunctionArn: `${ARN}:esm-fn`, FunctionResponseTypes: [], LastModified: undefined, MaximumBatchingWindowInSeconds: 0, State: 'Creating',
      StateTransitionReason: 'USER_INITIATED', UUID: created.UUID,
    });
    const enabled = await waitForState(created.UUID, 'Enabled');
    assert.equal(enabled.$metadata.httpStatusCode, 200);
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: queue('q1') })), 'ResourceConflictException', 409,
      `An event source mapping with SQS arn (" ${queue('q1')} ") and function (" esm-fn ") already exists. Please update or delete the existing mapping with UUID ${created.UUID}`);
  });

  test('function name forms give the recorded FunctionArn; missing functions are IPVE', async () => {
    const forms: Array<[string, string]> = [
      ['esm-fn:$LATEST', `${ARN}:esm-fn:$LATEST`], ['esm-fn:1', `${ARN}:esm-fn:1`], [`${ARN}:esm-fn:live`, `${ARN}:esm-fn:live`],
    ];
    for (const [input, expected] of forms) {
      const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: input, EventSourceArn: queue('forms') }));
      assert.equal(created.FunctionArn, expected);
    }
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'doesnotexist', EventSourceArn: queue('x') })),
      'InvalidParameterValueException', 400, 'Function does not exist');
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn:nosuchalias', EventSourceArn: queue('x') })),
      'InvalidParameterValueException', 400, 'Function does not exist');
  });

  test('recorded validation errors', async () => {
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'doesnotexist' })), 'InvalidParameterValueException', 400, 'Unrecognized event source.');
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'doesnotexist', EventSourceArn: queue('x'), DestinationConfig: { OnSuccess: { Destination: queue('other') } },
    })), 'InvalidParameterValueException', 400, 'Unsupported DestinationConfig parameter for given event source mapping type.');
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: kinesis('s') })),
      'InvalidParameterValueException', 400, "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.");
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: kinesis('s'), StartingPosition: 'invalid' as never })),
      'ValidationException', 400, "1 validation error detected: Value 'invalid' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]");
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'esm-fn', EventSourceArn: ddb('t'), StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: new Date(1741010802000),
    })), 'InvalidParameterValueException', 400, `Unsupported starting position for arn type: ${ddb('t')}`);
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: queue('big'), BatchSize: 20 })),
      'InvalidParameterValueException', 400, 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: queue('big'), BatchSize: 10001, MaximumBatchingWindowInSeconds: 1 })),
      'ValidationException', 400, "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000");
    for (const Pattern of ['simple string', '{"eventSource": "aws:sqs"}', '{"eventSource": []}', '[{"eventName": ["INSERT"=123}]']) {
      await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: queue('f'), FilterCriteria: { Filters: [{ Pattern }] } })),
        'InvalidParameterValueException', 400, 'Invalid filter pattern definition.');
    }
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: 'arn:aws:iam::000000000000:role/x' })),
      'InvalidParameterValueException', 400, 'Unrecognized event source.');
    // Stream mappings report failures to SQS, SNS or S3 only; anything else is refused rather than dropped.
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'esm-fn', EventSourceArn: kinesis('dest'), StartingPosition: 'LATEST',
      DestinationConfig: { OnFailure: { Destination: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default` } },
    })), 'InvalidParameterValueException', 400, `The destination ARN arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default is invalid.`);
  });

  test('streams: recorded defaults, filters kept, stream duplicate message', async () => {
    const created = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'esm-fn', EventSourceArn: kinesis('k1'), StartingPosition: 'LATEST',
      FilterCriteria: { Filters: [{ Pattern: '{"data": {"kind": ["a"]}}' }] },
    }));
    assert.equal(created.BatchSize, 100);
    assert.equal(created.BisectBatchOnFunctionError, false);
    assert.deepEqual(created.DestinationConfig, { OnFailure: {} });
    assert.deepEqual(created.FunctionResponseTypes, []);
    assert.equal(created.MaximumRecordAgeInSeconds, -1);
    assert.equal(created.MaximumRetryAttempts, -1);
    assert.equal(created.ParallelizationFactor, 1);
    assert.equal(created.TumblingWindowInSeconds, 0);
    assert.equal(created.LastProcessingResult, 'No records processed');
    assert.equal(created.StateTransitionReason, 'User action');
    assert.equal(created.StartingPosition, 'LATEST');
    assert.deepEqual(created.FilterCriteria, { Filters: [{ Pattern: '{"data": {"kind": ["a"]}}' }] });
    await rejectsWith(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: kinesis('k1'), StartingPosition: 'LATEST' })),
      'ResourceConflictException', 409,
      `The event source arn (" ${kinesis('k1')} ") and function (" esm-fn ") provided mapping already exists. Please update or delete the existing mapping with UUID ${created.UUID}`);
    const dynamodb = dynamodbClient(server.url);
    const tableStream = await createStreamTable(dynamodb, 'esm-t1');
    dynamodb.destroy();
    const empty = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'esm-fn', EventSourceArn: tableStream, StartingPosition: 'TRIM_HORIZON', FilterCriteria: { Filters: [] },
    }));
    assert.equal(empty.FilterCriteria, undefined);
    assert.equal(empty.BatchSize, 100);
  });

  test('Update: Updating then Enabled; disable goes Disabling then Disabled; enable goes Enabling', async () => {
    const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: queue('upd'), MaximumBatchingWindowInSeconds: 1 }));
    const uuid = created.UUID ?? '';
    await rejectsWith(lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 5 })), 'ResourceInUseException', 400);
    await waitForState(uuid, 'Enabled');
    const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 5, FunctionName: 'esm-fn:live' }));
    assert.equal(updated.$metadata.httpStatusCode, 202);
    assert.equal(updated.State, 'Updating');
    assert.equal(updated.BatchSize, 5);
    assert.equal(updated.FunctionArn, `${ARN}:esm-fn:live`);
    await waitForState(uuid, 'Enabled');
    await rejectsWith(lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 50, MaximumBatchingWindowInSeconds: 0 })),
      'InvalidParameterValueException', 400, 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
    const disabling = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
    assert.equal(disabling.State, 'Disabling');
    await waitForState(uuid, 'Disabled');
    const enabling = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    assert.equal(enabling.State, 'Enabling');
    await waitForState(uuid, 'Enabled');

    const disabled = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: queue('off'), Enabled: false, BatchSize: 1 }));
    assert.equal(disabled.State, 'Disabled');
  });

  test('Delete answers 202 Deleting and the mapping disappears; unknown UUIDs are 404', async () => {
    const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: queue('del'), Tags: { team: 'a' } }));
    const uuid = created.UUID ?? '';
    const tags = await lambda.send(new ListTagsCommand({ Resource: created.EventSourceMappingArn }));
    assert.deepEqual(tags.Tags, { team: 'a' });
    await waitForState(uuid, 'Enabled');
    const deleting = await lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
    assert.equal(deleting.$metadata.httpStatusCode, 202);
    assert.equal(deleting.State, 'Deleting');
    await waitForGone(uuid);
    const missing = '8d5e1a2b-0000-4000-8000-000000000000';
    // One call at a time: sent together, a later call's refusal could arrive while an earlier one
    // was awaited, unhandled, and fail the test.
    for (const call of [
      () => lambda.send(new GetEventSourceMappingCommand({ UUID: missing })),
      () => lambda.send(new DeleteEventSourceMappingCommand({ UUID: missing })),
      () => lambda.send(new UpdateEventSourceMappingCommand({ UUID: missing, Enabled: false })),
    ]) {
      await rejectsWith(call(), 'ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    }
  });

  test('List filters by source and function, pages, and mappings survive a restart', async () => {
    const a = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: queue('list-a') }));
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: queue('list-b') }));
    await server.restart();
    lambda = server.lambda();
    // A mapping still Creating when the process stopped settles without its lost timer.
    const afterRestart = await waitForState(a.UUID ?? '', 'Enabled');
    assert.equal(afterRestart.EventSourceArn, queue('list-a'));
    const bySource = await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: queue('list-a') }));
    assert.deepEqual(bySource.EventSourceMappings?.map((m) => m.UUID), [a.UUID]);
    const byFunction = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'esm-fn' }));
    assert.ok((byFunction.EventSourceMappings?.length ?? 0) >= 2);
    const byAlias = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: `${ARN}:esm-fn:live` }));
    assert.ok(byAlias.EventSourceMappings?.every((m) => m.FunctionArn === `${ARN}:esm-fn:live`));
    const none = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'doesnotexist' }));
    assert.deepEqual(none.EventSourceMappings, []);
    const first = await lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 1 }));
    assert.equal(first.EventSourceMappings?.length, 1);
    assert.ok(first.NextMarker);
    const second = await lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 1, Marker: first.NextMarker }));
    assert.notEqual(second.EventSourceMappings?.[0]?.UUID, first.EventSourceMappings?.[0]?.UUID);
  });
});
