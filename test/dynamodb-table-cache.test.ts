import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { rejectsWith } from './support/aws-errors.js';
import { createTable, dynamodbClient, waitForTable } from './support/dynamodb.js';
import { startTestServer, type TestServer } from './support/server.js';

// Item operations read their table through a cache; each test warms it with item traffic first,
// then changes the table and checks that the very next item operation sees the change.
describe('DynamoDB item operations see table changes at once', () => {
  let server: TestServer;
  let ddb: DynamoDBClient;
  const warm = async (table: string) => {
    for (let i = 0; i < 5; i++) {
      await ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: `warm-${i}` } } }));
      await ddb.send(new GetItemCommand({ TableName: table, Key: { id: { S: `warm-${i}` } } }));
    }
  };
  const streamRecords = async (tableName: string) => {
    const rows = await server.lambkin.store.selectFrom('dynamodb_stream_records').select(['stream_arn', 'record']).orderBy('sequence_number').execute();
    return rows.filter((r) => r.stream_arn.includes(`:table/${tableName}/stream/`)).map((r) => JSON.parse(r.record) as { eventName: string; dynamodb: { Keys: unknown } });
  };

  before(async () => {
    server = await startTestServer({ LAMBKIN_DYNAMODB_TTL_SWEEP_SECONDS: '1' });
    ddb = dynamodbClient(server.url);
  });
  after(async () => {
    ddb.destroy();
    await server.stop();
  });

  test('a deleted table refuses the next PutItem and GetItem', async () => {
    await createTable(ddb, 'cache-deleted');
    await warm('cache-deleted');
    await ddb.send(new DeleteTableCommand({ TableName: 'cache-deleted' }));
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'cache-deleted', Item: { id: { S: 'late' } } })), 'ResourceNotFoundException', 400, 'Requested resource not found');
    await rejectsWith(ddb.send(new GetItemCommand({ TableName: 'cache-deleted', Key: { id: { S: 'warm-0' } } })), 'ResourceNotFoundException', 400, 'Requested resource not found');
  });

  test('a table made again under the same name takes items by its new key schema', async () => {
    await waitForGone(ddb, 'cache-deleted');
    await createTable(ddb, 'cache-deleted', { hashType: 'N' });
    await rejectsWith(
      ddb.send(new PutItemCommand({ TableName: 'cache-deleted', Item: { id: { S: 'text' } } })),
      'ValidationException',
      400,
      'One or more parameter values were invalid: Type mismatch for key id expected: N actual: S',
    );
    await ddb.send(new PutItemCommand({ TableName: 'cache-deleted', Item: { id: { N: '7' } } }));
    assert.deepEqual((await ddb.send(new GetItemCommand({ TableName: 'cache-deleted', Key: { id: { N: '7' } } }))).Item, { id: { N: '7' } });
  });

  test('a stream enabled after item traffic records the next write', async () => {
    await createTable(ddb, 'cache-streamed');
    await warm('cache-streamed');
    await ddb.send(new UpdateTableCommand({ TableName: 'cache-streamed', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    await ddb.send(new PutItemCommand({ TableName: 'cache-streamed', Item: { id: { S: 'first-streamed' } } }));
    assert.deepEqual((await streamRecords('cache-streamed')).map((r) => r.dynamodb.Keys), [{ id: { S: 'first-streamed' } }]);
  });

  test('a global index added after item traffic holds the next write and checks its key type', async () => {
    await createTable(ddb, 'cache-indexed');
    await warm('cache-indexed');
    await ddb.send(
      new UpdateTableCommand({
        TableName: 'cache-indexed',
        AttributeDefinitions: [{ AttributeName: 'colour', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-colour', KeySchema: [{ AttributeName: 'colour', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
      }),
    );
    await rejectsWith(
      ddb.send(new PutItemCommand({ TableName: 'cache-indexed', Item: { id: { S: 'n' }, colour: { N: '1' } } })),
      'ValidationException',
      400,
      /Type mismatch for Index Key colour Expected: S Actual: N IndexName: by-colour/,
    );
    await waitForTable(ddb, 'cache-indexed');
    await ddb.send(new PutItemCommand({ TableName: 'cache-indexed', Item: { id: { S: 'red-one' }, colour: { S: 'red' } } }));
    const found = await ddb.send(new QueryCommand({ TableName: 'cache-indexed', IndexName: 'by-colour', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': { S: 'red' } } }));
    assert.deepEqual(found.Items, [{ id: { S: 'red-one' }, colour: { S: 'red' } }]);
  });

  test('TTL enabled after item traffic applies to the next write', async () => {
    await createTable(ddb, 'cache-ttl');
    await warm('cache-ttl');
    await ddb.send(new UpdateTimeToLiveCommand({ TableName: 'cache-ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    const expires = Math.floor(Date.now() / 1000) + 3600;
    await ddb.send(new PutItemCommand({ TableName: 'cache-ttl', Item: { id: { S: 'expiring' }, expires: { N: String(expires) } } }));
    const rows = await server.lambkin.store.selectFrom('dynamodb_items').select('ttl_at').where('ttl_at', 'is not', null).execute();
    assert.deepEqual(rows.map((r) => Number(r.ttl_at)), [expires], 'the write after UpdateTimeToLive carries its expiry');
  });
});

async function waitForGone(ddb: DynamoDBClient, name: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await ddb.send(new DescribeTableCommand({ TableName: name }));
    } catch (err) {
      if ((err as Error).name === 'ResourceNotFoundException') return;
      throw err;
    }
    if (Date.now() > deadline) throw new Error(`table ${name} was not deleted`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('only tables/tables.ts writes dynamodb_tables rows, and each of its writers takes a TableCache.writing transaction', () => {
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'services', 'dynamodb');
  const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
  const writes = /(insertInto|updateTable|deleteFrom)\(\s*'dynamodb_tables'/;
  const outside = files(root).filter((f) => !f.endsWith(path.join('tables', 'tables.ts')) && writes.test(readFileSync(f, 'utf8')));
  assert.deepEqual(outside.map((f) => path.relative(root, f)), []);
  const owner = readFileSync(path.join(root, 'tables', 'tables.ts'), 'utf8');
  for (const chunk of owner.split('\nexport ').filter((c) => writes.test(c))) {
    assert.match(chunk, /^async function \w+\(\w+: TableWriteTransaction,/, `writes dynamodb_tables outside TableCache.writing: ${chunk.slice(0, 60)}`);
  }
});
