import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeEndpointsCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { rejectsWith } from './support/aws-errors.js';
import { createTable, dynamodbClient, waitForTable } from './support/dynamodb.js';
import { rawRequest } from './support/raw-http.js';
import { startTestServer, type TestServer } from './support/server.js';

const ACCOUNT = '000000000000';

describe('DynamoDB tables', () => {
  let server: TestServer;
  let ddb: DynamoDBClient;
  before(async () => {
    server = await startTestServer();
    ddb = dynamodbClient(server.url);
  });
  after(async () => {
    ddb.destroy();
    await server.stop();
  });

  test('CreateTable answers CREATING, the SDK waiter sees ACTIVE, and DescribeTable reports the definition', async () => {
    const created = await ddb.send(
      new CreateTableCommand({
        TableName: 'orders',
        KeySchema: [
          { AttributeName: 'customer', KeyType: 'HASH' },
          { AttributeName: 'orderId', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'customer', AttributeType: 'S' },
          { AttributeName: 'orderId', AttributeType: 'N' },
          { AttributeName: 'status', AttributeType: 'S' },
          { AttributeName: 'placed', AttributeType: 'N' },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'by-status',
            KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        ],
        LocalSecondaryIndexes: [{ IndexName: 'by-placed', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'placed', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        Tags: [{ Key: 'team', Value: 'shop' }],
      }),
    );
    assert.equal(created.TableDescription?.TableStatus, 'CREATING');
    await waitUntilTableExists({ client: ddb, maxWaitTime: 10, minDelay: 1 }, { TableName: 'orders' });
    await waitForTable(ddb, 'orders');
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: 'orders' }));
    assert.equal(Table?.TableStatus, 'ACTIVE');
    assert.equal(Table?.TableArn, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`);
    assert.match(Table?.TableId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(Table?.ItemCount, 0);
    assert.equal(Table?.TableSizeBytes, 0);
    assert.deepEqual(Table?.ProvisionedThroughput && { r: Table.ProvisionedThroughput.ReadCapacityUnits, w: Table.ProvisionedThroughput.WriteCapacityUnits }, { r: 5, w: 3 });
    assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'ACTIVE');
    assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.IndexArn, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders/index/by-status`);
    assert.deepEqual(Table?.GlobalSecondaryIndexes?.[0]?.Projection, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] });
    assert.equal(Table?.LocalSecondaryIndexes?.[0]?.IndexName, 'by-placed');
    assert.deepEqual(Table?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    assert.equal(Table?.LatestStreamArn, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders/stream/${Table?.LatestStreamLabel}`);
    assert.ok(Table?.CreationDateTime instanceof Date);
  });

  test('a second table of the same name is ResourceInUseException "Table already exists"', async () => {
    await createTable(ddb, 'twice');
    await rejectsWith(
      ddb.send(new CreateTableCommand({ TableName: 'twice', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] })),
      'ResourceInUseException',
      400,
      'Table already exists: twice',
    );
  });

  test('CreateTable refuses definitions as AWS words it', async () => {
    const base = { TableName: 'bad', BillingMode: 'PAY_PER_REQUEST' as const };
    await rejectsWith(
      ddb.send(new CreateTableCommand({ ...base, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'other', AttributeType: 'S' }] })),
      'ValidationException',
      400,
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [other]',
    );
    await rejectsWith(
      ddb.send(
        new CreateTableCommand({
          ...base,
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        }),
      ),
      'ValidationException',
      400,
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
    await rejectsWith(
      ddb.send(new CreateTableCommand({ TableName: 'bad', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] })),
      'ValidationException',
      400,
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
    await rejectsWith(
      ddb.send(
        new CreateTableCommand({
          ...base,
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'extra', AttributeType: 'S' },
          ],
        }),
      ),
      'ValidationException',
      400,
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
    await rejectsWith(
      ddb.send(new CreateTableCommand({ ...base, TableName: 'x', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] })),
      'ValidationException',
      400,
      "1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    );
  });

  test('an unknown table is ResourceNotFoundException naming it', async () => {
    await rejectsWith(ddb.send(new DescribeTableCommand({ TableName: 'nope' })), 'ResourceNotFoundException', 400, 'Requested resource not found: Table: nope not found');
    await rejectsWith(ddb.send(new DeleteTableCommand({ TableName: 'nope' })), 'ResourceNotFoundException', 400, 'Requested resource not found: Table: nope not found');
  });

  test('errors carry the Smithy shape id in __type, the validator\'s from com.amazon.coral.validate', async () => {
    const send = async (target: string, body: unknown) => {
      const url = new URL(server.url);
      const unsigned = new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${target}` },
        body: JSON.stringify(body),
      });
      const signer = new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'dynamodb', sha256: Hash.bind(null, 'sha256') });
      const signed = await signer.sign(unsigned);
      return rawRequest(server.url, { method: 'POST', path: '/', headers: signed.headers, body: JSON.stringify(body) });
    };
    const missing = await send('DescribeTable', { TableName: 'nope' });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json(), { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'Requested resource not found: Table: nope not found' });
    assert.equal(missing.headers['content-type'], 'application/x-amz-json-1.0');
    const invalid = await send('DescribeTable', { TableName: 'x' });
    assert.equal(invalid.json().__type, 'com.amazon.coral.validate#ValidationException');
    const unknown = await send('NoSuchOperation', {});
    assert.equal(unknown.json().__type, 'com.amazon.coral.service#UnknownOperationException');
  });

  test('ListTables pages with Limit, ExclusiveStartTableName and LastEvaluatedTableName', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await createTable(ddb, name);
    const first = await ddb.send(new ListTablesCommand({ ExclusiveStartTableName: 'page', Limit: 2 }));
    assert.deepEqual(first.TableNames, ['page-a', 'page-b']);
    assert.equal(first.LastEvaluatedTableName, 'page-b');
    const second = await ddb.send(new ListTablesCommand({ ExclusiveStartTableName: first.LastEvaluatedTableName, Limit: 2 }));
    assert.equal(second.TableNames?.[0], 'page-c');
    const all = await ddb.send(new ListTablesCommand({}));
    assert.ok(all.TableNames?.includes('orders'));
    assert.equal(all.LastEvaluatedTableName, undefined);
  });

  test('UpdateTable adds a global index (CREATING, then ACTIVE) and deletes it', async () => {
    await createTable(ddb, 'growing');
    const updated = await ddb.send(
      new UpdateTableCommand({
        TableName: 'growing',
        AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-email', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
      }),
    );
    assert.equal(updated.TableDescription?.TableStatus, 'UPDATING');
    assert.equal(updated.TableDescription?.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'CREATING');
    await waitForTable(ddb, 'growing');
    const described = await ddb.send(new DescribeTableCommand({ TableName: 'growing' }));
    assert.equal(described.Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'ACTIVE');
    assert.ok(described.Table?.AttributeDefinitions?.some((d) => d.AttributeName === 'email'));

    const deleting = await ddb.send(new UpdateTableCommand({ TableName: 'growing', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-email' } }] }));
    assert.equal(deleting.TableDescription?.GlobalSecondaryIndexes?.[0]?.IndexStatus, 'DELETING');
    await waitForTable(ddb, 'growing');
    assert.equal((await ddb.send(new DescribeTableCommand({ TableName: 'growing' }))).Table?.GlobalSecondaryIndexes, undefined);
  });

  test('UpdateTable on a table that is not ACTIVE is ResourceInUseException', async () => {
    // UPDATING lasts 1.5 s here, not the suite's 20 ms: a loaded host must not end it before the second call.
    const slow = await startTestServer({ LAMBKIN_PROVISIONING_DELAY_MS: '1500' });
    try {
      const client = dynamodbClient(slow.url);
      await createTable(client, 'busy');
      await client.send(new UpdateTableCommand({ TableName: 'busy', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }));
      await rejectsWith(
        client.send(new UpdateTableCommand({ TableName: 'busy', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 } })),
        'ResourceInUseException',
        400,
        'Attempt to change a resource which is still in use: Table is being updated: busy',
      );
      await waitForTable(client, 'busy');
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'busy' }));
      assert.equal(Table?.BillingModeSummary?.BillingMode, 'PROVISIONED');
      assert.equal(Table?.ProvisionedThroughput?.ReadCapacityUnits, 2);
    } finally {
      await slow.stop();
    }
  });

  test('each time a stream is enabled it gets a new label and ARN; the old one is listed as disabled', async () => {
    await createTable(ddb, 'streamy');
    const on = await ddb.send(new UpdateTableCommand({ TableName: 'streamy', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    const firstArn = on.TableDescription?.LatestStreamArn;
    assert.ok(firstArn);
    await waitForTable(ddb, 'streamy');
    await rejectsWith(
      ddb.send(new UpdateTableCommand({ TableName: 'streamy', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })),
      'ValidationException',
      400,
      'Table already has an enabled stream: TableName: streamy',
    );
    await ddb.send(new UpdateTableCommand({ TableName: 'streamy', StreamSpecification: { StreamEnabled: false } }));
    await waitForTable(ddb, 'streamy');
    const off = await ddb.send(new DescribeTableCommand({ TableName: 'streamy' }));
    assert.equal(off.Table?.StreamSpecification, undefined);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const again = await ddb.send(new UpdateTableCommand({ TableName: 'streamy', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    assert.notEqual(again.TableDescription?.LatestStreamArn, firstArn);
    await waitForTable(ddb, 'streamy');

    const streams = await server.lambkin.dynamodbStreams.list('streamy');
    assert.deepEqual(
      streams.map((s) => [s.streamArn === firstArn ? 'first' : 'second', s.status, s.viewType]),
      [
        ['first', 'DISABLED', 'KEYS_ONLY'],
        ['second', 'ENABLED', 'NEW_IMAGE'],
      ],
    );
  });

  test('DeleteTable answers DELETING, the table is then gone, and its stream stays readable as DISABLED', async () => {
    await createTable(ddb, 'doomed', { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } });
    const deleted = await ddb.send(new DeleteTableCommand({ TableName: 'doomed' }));
    assert.equal(deleted.TableDescription?.TableStatus, 'DELETING');
    await waitUntilTableNotExists({ client: ddb, maxWaitTime: 10, minDelay: 1 }, { TableName: 'doomed' });
    await rejectsWith(ddb.send(new DescribeTableCommand({ TableName: 'doomed' })), 'ResourceNotFoundException', 400);
    const streams = await server.lambkin.dynamodbStreams.list('doomed');
    assert.equal(streams.length, 1);
    assert.equal(streams[0]?.status, 'DISABLED');
    assert.ok(await server.lambkin.dynamodbStreams.find(streams[0]!.streamArn));
  });

  test('TTL is enabled and described; enabling twice is refused', async () => {
    await createTable(ddb, 'expiring');
    assert.deepEqual((await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'expiring' }))).TimeToLiveDescription, { TimeToLiveStatus: 'DISABLED' });
    const set = await ddb.send(new UpdateTimeToLiveCommand({ TableName: 'expiring', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    assert.deepEqual(set.TimeToLiveSpecification, { Enabled: true, AttributeName: 'expires' });
    assert.deepEqual((await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'expiring' }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
    await rejectsWith(
      ddb.send(new UpdateTimeToLiveCommand({ TableName: 'expiring', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })),
      'ValidationException',
      400,
      'TimeToLive is already enabled',
    );
  });

  test('tags are added, listed and removed by table ARN', async () => {
    await createTable(ddb, 'tagged');
    const arn = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/tagged`;
    await ddb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await ddb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    assert.deepEqual((await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'b', Value: '2' }]);
    await rejectsWith(
      ddb.send(new ListTagsOfResourceCommand({ ResourceArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/missing` })),
      'ResourceNotFoundException',
      400,
      `Requested resource not found: ResourcArn: arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/missing not found`,
    );
  });

  test('DescribeEndpoints and DescribeLimits answer as SDKs expect', async () => {
    const endpoints = await ddb.send(new DescribeEndpointsCommand({}));
    assert.equal(endpoints.Endpoints?.[0]?.CachePeriodInMinutes, 1440);
    assert.equal(endpoints.Endpoints?.[0]?.Address, new URL(server.url).host);
    const limits = await ddb.send(new DescribeLimitsCommand({}));
    assert.equal(limits.TableMaxReadCapacityUnits, 40000);
  });

  test('the health answer lists dynamodb', async () => {
    const health = (await (await fetch(`${server.url}/_lambkin/health`)).json()) as { services: string[] };
    assert.ok(health.services.includes('dynamodb'));
  });
});
