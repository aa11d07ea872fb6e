import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateTableCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { rejectsWith } from './support/aws-errors.js';
import { createTable, dynamodbClient, waitForTable } from './support/dynamodb.js';
import { startTestServer, type TestServer } from './support/server.js';

describe('DynamoDB items', () => {
  let server: TestServer;
  let ddb: DynamoDBClient;
  const streamRecords = async (tableName: string) => {
    const rows = await server.lambkin.store.selectFrom('dynamodb_stream_records').select(['stream_arn', 'record']).orderBy('sequence_number').execute();
    return rows.filter((r) => r.stream_arn.includes(`:table/${tableName}/stream/`)).map((r) => JSON.parse(r.record) as { eventName: string; dynamodb: Record<string, unknown>; userIdentity?: unknown });
  };
  before(async () => {
    server = await startTestServer({ LAMBKIN_DYNAMODB_TTL_SWEEP_SECONDS: '1' });
    ddb = dynamodbClient(server.url);
    await createTable(ddb, 'things');
    await createTable(ddb, 'pairs', { rangeType: 'N' });
    await ddb.send(
      new CreateTableCommand({
        TableName: 'indexed',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'email', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'by-email', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    );
    await waitForTable(ddb, 'indexed');
  });
  after(async () => {
    ddb.destroy();
    await server.stop();
  });

  test('PutItem and GetItem keep every type; numbers come back normalised, empty non-key strings are allowed', async () => {
    const item = {
      id: { S: 'all-types' },
      n: { N: '0001.50' },
      big: { N: '12345678901234567890123456789012345678' },
      s: { S: '' },
      b: { B: Buffer.from([1, 2, 3]) },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.5'] },
      m: { M: { nested: { L: [{ BOOL: true }, { NULL: true }] } } },
    };
    await ddb.send(new PutItemCommand({ TableName: 'things', Item: item }));
    const { Item } = await ddb.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'all-types' } }, ConsistentRead: true }));
    assert.deepEqual(Item?.n, { N: '1.5' });
    assert.deepEqual(Item?.big, { N: '12345678901234567890123456789012345678' });
    assert.deepEqual(Item?.s, { S: '' });
    assert.deepEqual(Buffer.from(Item?.b?.B ?? []), Buffer.from([1, 2, 3]));
    assert.deepEqual(Item?.m, item.m);
    const projected = await ddb.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'all-types' } }, ProjectionExpression: 'n, #m.nested[0]', ExpressionAttributeNames: { '#m': 'm' } }));
    assert.deepEqual(projected.Item, { n: { N: '1.5' }, m: { M: { nested: { L: [{ BOOL: true }] } } } });
    const missing = await ddb.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'nobody' } } }));
    assert.equal(missing.Item, undefined);
  });

  test('ConditionExpression guards writes; ReturnValuesOnConditionCheckFailure=ALL_OLD returns the item', async () => {
    await ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'cond' }, v: { N: '1' } }, ConditionExpression: 'attribute_not_exists(id)' }));
    const err = await rejectsWith(
      ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'cond' }, v: { N: '2' } }, ConditionExpression: 'attribute_not_exists(id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      'ConditionalCheckFailedException',
      400,
      'The conditional request failed',
    );
    assert.deepEqual((err as unknown as { Item?: unknown }).Item, { id: { S: 'cond' }, v: { N: '1' } });
    await rejectsWith(ddb.send(new DeleteItemCommand({ TableName: 'things', Key: { id: { S: 'cond' } }, ConditionExpression: 'v = :two', ExpressionAttributeValues: { ':two': { N: '2' } } })), 'ConditionalCheckFailedException', 400);
    const { Item } = await ddb.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'cond' } } }));
    assert.deepEqual(Item?.v, { N: '1' });
  });

  test('ReturnValues: ALL_OLD on put and delete, the four update modes, and which each operation allows', async () => {
    const first = await ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'rv' }, a: { N: '1' }, b: { S: 'x' } }, ReturnValues: 'ALL_OLD' }));
    assert.equal(first.Attributes, undefined);
    const second = await ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'rv' }, a: { N: '1' }, b: { S: 'x' } }, ReturnValues: 'ALL_OLD' }));
    assert.deepEqual(second.Attributes, { id: { S: 'rv' }, a: { N: '1' }, b: { S: 'x' } });
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'rv' } }, ReturnValues: 'ALL_NEW' })), 'ValidationException', 400, 'ReturnValues can only be ALL_OLD or NONE');

    const updatedNew = await ddb.send(new UpdateItemCommand({ TableName: 'things', Key: { id: { S: 'rv' } }, UpdateExpression: 'SET a = a + :one, c = :c', ExpressionAttributeValues: { ':one': { N: '1' }, ':c': { S: 'new' } }, ReturnValues: 'UPDATED_NEW' }));
    assert.deepEqual(updatedNew.Attributes, { a: { N: '2' }, c: { S: 'new' } });
    const updatedOld = await ddb.send(new UpdateItemCommand({ TableName: 'things', Key: { id: { S: 'rv' } }, UpdateExpression: 'REMOVE b SET a = :ten', ExpressionAttributeValues: { ':ten': { N: '10' } }, ReturnValues: 'UPDATED_OLD' }));
    assert.deepEqual(updatedOld.Attributes, { a: { N: '2' }, b: { S: 'x' } });
    const allNew = await ddb.send(new UpdateItemCommand({ TableName: 'things', Key: { id: { S: 'rv' } }, UpdateExpression: 'ADD tags :t', ExpressionAttributeValues: { ':t': { SS: ['q'] } }, ReturnValues: 'ALL_NEW' }));
    assert.deepEqual(allNew.Attributes, { id: { S: 'rv' }, a: { N: '10' }, c: { S: 'new' }, tags: { SS: ['q'] } });
    const deleted = await ddb.send(new DeleteItemCommand({ TableName: 'things', Key: { id: { S: 'rv' } }, ReturnValues: 'ALL_OLD' }));
    assert.deepEqual(deleted.Attributes?.a, { N: '10' });
  });

  test('the legacy parameters still work: Expected, AttributeUpdates, AttributesToGet', async () => {
    await ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'legacy' }, v: { N: '1' } }, Expected: { id: { Exists: false } } }));
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'legacy' } }, Expected: { id: { Exists: false } } })), 'ConditionalCheckFailedException', 400);
    await ddb.send(new UpdateItemCommand({ TableName: 'things', Key: { id: { S: 'legacy' } }, AttributeUpdates: { v: { Action: 'ADD', Value: { N: '4' } }, w: { Action: 'PUT', Value: { S: 'w' } } } }));
    const { Item } = await ddb.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'legacy' } }, AttributesToGet: ['v', 'w'] }));
    assert.deepEqual(Item, { v: { N: '5' }, w: { S: 'w' } });
    await rejectsWith(
      ddb.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'legacy' } }, AttributesToGet: ['v'], ProjectionExpression: 'w' })),
      'ValidationException',
      400,
      /^Can not use both expression and non-expression parameters in the same request/,
    );
  });

  test('UpdateItem on a missing item creates it from its key', async () => {
    await ddb.send(new UpdateItemCommand({ TableName: 'pairs', Key: { id: { S: 'p' }, sk: { N: '7' } }, UpdateExpression: 'SET hits = if_not_exists(hits, :zero) + :one', ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' } } }));
    const { Item } = await ddb.send(new GetItemCommand({ TableName: 'pairs', Key: { id: { S: 'p' }, sk: { N: '7' } } }));
    assert.deepEqual(Item, { id: { S: 'p' }, sk: { N: '7' }, hits: { N: '1' } });
  });

  test('key checks answer with AWS texts', async () => {
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'things', Item: { other: { S: 'x' } } })), 'ValidationException', 400, 'One or more parameter values were invalid: Missing the key id in the item');
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { N: '1' } } })), 'ValidationException', 400, 'One or more parameter values were invalid: Type mismatch for key id expected: S actual: N');
    await rejectsWith(ddb.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'x' }, extra: { S: 'y' } } })), 'ValidationException', 400, 'The provided key element does not match the schema');
    await rejectsWith(ddb.send(new GetItemCommand({ TableName: 'pairs', Key: { id: { S: 'x' } } })), 'ValidationException', 400, 'The provided key element does not match the schema');
    await rejectsWith(
      ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: '' } } })),
      'ValidationException',
      400,
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id',
    );
    await rejectsWith(
      ddb.send(new UpdateItemCommand({ TableName: 'things', Key: { id: { S: 'k' } }, UpdateExpression: 'SET id = :v', ExpressionAttributeValues: { ':v': { S: 'other' } } })),
      'ValidationException',
      400,
      'One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key',
    );
    await rejectsWith(
      ddb.send(new PutItemCommand({ TableName: 'indexed', Item: { id: { S: 'i' }, email: { N: '5' } } })),
      'ValidationException',
      400,
      'One or more parameter values were invalid: Type mismatch for Index Key email Expected: S Actual: N IndexName: by-email',
    );
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'missing-table', Item: { id: { S: 'x' } } })), 'ResourceNotFoundException', 400, 'Requested resource not found');
  });

  test('bad values and bad expressions are ValidationException with the value checks\' and the expression engine\'s texts', async () => {
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'n' }, n: { N: 'abc' } } })), 'ValidationException', 400, /numeric/);
    await rejectsWith(
      ddb.send(new UpdateItemCommand({ TableName: 'things', Key: { id: { S: 'n' } }, UpdateExpression: 'SET a = :unused' })),
      'ValidationException',
      400,
      /^Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :unused$/,
    );
  });

  test('an item over 400 KB is refused; one just under is stored', async () => {
    const big = 'x'.repeat(400 * 1024);
    await rejectsWith(ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'big' }, data: { S: big } } })), 'ValidationException', 400, 'Item size has exceeded the maximum allowed size');
    await ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'big' }, data: { S: 'x'.repeat(400 * 1024 - 20) } } }));
  });

  test('ReturnConsumedCapacity counts 1 write unit per KB, half a read unit per 4 KB eventually consistent, and index writes', async () => {
    const put = await ddb.send(new PutItemCommand({ TableName: 'things', Item: { id: { S: 'cap' }, data: { S: 'x'.repeat(2500) } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(put.ConsumedCapacity, { TableName: 'things', CapacityUnits: 3, WriteCapacityUnits: 3 });
    const get = await ddb.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'cap' } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(get.ConsumedCapacity?.CapacityUnits, 0.5);
    const strong = await ddb.send(new GetItemCommand({ TableName: 'things', Key: { id: { S: 'cap' } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(strong.ConsumedCapacity?.CapacityUnits, 1);
    const indexed = await ddb.send(new PutItemCommand({ TableName: 'indexed', Item: { id: { S: 'c' }, email: { S: 'c@x' } }, ReturnConsumedCapacity: 'INDEXES' }));
    assert.equal(indexed.ConsumedCapacity?.CapacityUnits, 2);
    assert.deepEqual(indexed.ConsumedCapacity?.Table, { CapacityUnits: 1, WriteCapacityUnits: 1 });
    assert.deepEqual(indexed.ConsumedCapacity?.GlobalSecondaryIndexes, { 'by-email': { CapacityUnits: 1, WriteCapacityUnits: 1 } });
  });

  test('every write appends its change to the table stream: INSERT, MODIFY, REMOVE with keys and images', async () => {
    await ddb.send(new PutItemCommand({ TableName: 'indexed', Item: { id: { S: 's1' }, v: { N: '1' } } }));
    await ddb.send(new UpdateItemCommand({ TableName: 'indexed', Key: { id: { S: 's1' } }, UpdateExpression: 'SET v = :two', ExpressionAttributeValues: { ':two': { N: '2' } } }));
    await ddb.send(new DeleteItemCommand({ TableName: 'indexed', Key: { id: { S: 's1' } } }));
    // A failed conditional write appends nothing.
    await rejectsWith(ddb.send(new DeleteItemCommand({ TableName: 'indexed', Key: { id: { S: 's1' } }, ConditionExpression: 'attribute_exists(id)' })), 'ConditionalCheckFailedException', 400);
    const records = (await streamRecords('indexed')).filter((r) => JSON.stringify(r.dynamodb.Keys) === JSON.stringify({ id: { S: 's1' } }));
    assert.deepEqual(records.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
    assert.deepEqual(records[1]?.dynamodb.OldImage, { id: { S: 's1' }, v: { N: '1' } });
    assert.deepEqual(records[1]?.dynamodb.NewImage, { id: { S: 's1' }, v: { N: '2' } });
  });

  test('TTL: each write stores its item\'s expiry, whether it changes, stays or goes', async () => {
    await createTable(ddb, 'expiring');
    await ddb.send(new UpdateTimeToLiveCommand({ TableName: 'expiring', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    const soon = Math.floor(Date.now() / 1000) + 3600;
    const expiry = async () => {
      const rows = await server.lambkin.store.selectFrom('dynamodb_items').innerJoin('dynamodb_tables', 'dynamodb_tables.id', 'dynamodb_items.table_id').select('ttl_at').where('dynamodb_tables.name', '=', 'expiring').execute();
      return rows.map((r) => (r.ttl_at === null ? null : Number(r.ttl_at)));
    };
    const put = (item: Record<string, { S: string } | { N: string }>) => ddb.send(new PutItemCommand({ TableName: 'expiring', Item: { id: { S: 'e1' }, ...item } }));
    await put({ expires: { N: String(soon) } });
    assert.deepEqual(await expiry(), [soon]);
    await put({ expires: { N: String(soon) }, note: { S: 'same expiry' } });
    assert.deepEqual(await expiry(), [soon]);
    await put({ expires: { N: String(soon + 60) } });
    assert.deepEqual(await expiry(), [soon + 60]);
    await put({ note: { S: 'no expiry' } });
    assert.deepEqual(await expiry(), [null]);
    await put({ note: { S: 'still none' } });
    assert.deepEqual(await expiry(), [null]);
    await ddb.send(new UpdateItemCommand({ TableName: 'expiring', Key: { id: { S: 'e1' } }, UpdateExpression: 'SET expires = :t', ExpressionAttributeValues: { ':t': { N: String(soon + 120) } } }));
    assert.deepEqual(await expiry(), [soon + 120]);
    await ddb.send(new UpdateItemCommand({ TableName: 'expiring', Key: { id: { S: 'e1' } }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': { S: 'update keeps it' } } }));
    assert.deepEqual(await expiry(), [soon + 120]);
  });

  test('TTL: expired items are deleted by the sweeper and appear on the stream as service deletions', async () => {
    await ddb.send(new UpdateTimeToLiveCommand({ TableName: 'indexed', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    const past = Math.floor(Date.now() / 1000) - 10;
    await ddb.send(new PutItemCommand({ TableName: 'indexed', Item: { id: { S: 'old' }, expires: { N: String(past) } } }));
    await ddb.send(new PutItemCommand({ TableName: 'indexed', Item: { id: { S: 'young' }, expires: { N: String(past + 3600) } } }));
    await ddb.send(new PutItemCommand({ TableName: 'indexed', Item: { id: { S: 'ageless' }, expires: { S: 'not a number' } } }));
    const deadline = Date.now() + 5000;
    while ((await ddb.send(new GetItemCommand({ TableName: 'indexed', Key: { id: { S: 'old' } } }))).Item && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await ddb.send(new GetItemCommand({ TableName: 'indexed', Key: { id: { S: 'old' } } }))).Item, undefined);
    assert.ok((await ddb.send(new GetItemCommand({ TableName: 'indexed', Key: { id: { S: 'young' } } }))).Item);
    assert.ok((await ddb.send(new GetItemCommand({ TableName: 'indexed', Key: { id: { S: 'ageless' } } }))).Item);
    const removal = (await streamRecords('indexed')).find((r) => r.eventName === 'REMOVE' && JSON.stringify(r.dynamodb.Keys) === JSON.stringify({ id: { S: 'old' } }));
    assert.deepEqual(removal?.userIdentity, { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
  });
});
