import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type DynamoDBClient, GetItemCommand, PutItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { rejectsWith } from './support/aws-errors.js';
import { createTable, dynamodbClient } from './support/dynamodb.js';
import { startTestServer, type TestServer } from './support/server.js';

describe('DynamoDB transactions', () => {
  let server: TestServer;
  let ddb: DynamoDBClient;
  const balance = async (id: string) => (await ddb.send(new GetItemCommand({ TableName: 'accounts', Key: { id: { S: id } } }))).Item?.balance?.N;
  before(async () => {
    server = await startTestServer();
    ddb = dynamodbClient(server.url);
    await createTable(ddb, 'accounts');
    await createTable(ddb, 'ledger');
    await ddb.send(new PutItemCommand({ TableName: 'accounts', Item: { id: { S: 'alice' }, balance: { N: '100' } } }));
    await ddb.send(new PutItemCommand({ TableName: 'accounts', Item: { id: { S: 'bob' }, balance: { N: '0' } } }));
  });
  after(async () => {
    ddb.destroy();
    await server.stop();
  });

  const transfer = (amount: number, entry: string): TransactWriteItem[] => [
    {
      Update: {
        TableName: 'accounts',
        Key: { id: { S: 'alice' } },
        UpdateExpression: 'SET balance = balance - :n',
        ConditionExpression: 'balance >= :n',
        ExpressionAttributeValues: { ':n': { N: String(amount) } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    { Update: { TableName: 'accounts', Key: { id: { S: 'bob' } }, UpdateExpression: 'SET balance = balance + :n', ExpressionAttributeValues: { ':n': { N: String(amount) } } } },
    { Put: { TableName: 'ledger', Item: { id: { S: entry }, amount: { N: String(amount) } }, ConditionExpression: 'attribute_not_exists(id)' } },
  ];

  test('all actions commit together', async () => {
    await ddb.send(new TransactWriteItemsCommand({ TransactItems: transfer(30, 't1') }));
    assert.equal(await balance('alice'), '70');
    assert.equal(await balance('bob'), '30');
  });

  test('one failed condition cancels every action, with a reason per action', async () => {
    const err = await rejectsWith(
      ddb.send(new TransactWriteItemsCommand({ TransactItems: transfer(500, 't2') })),
      'TransactionCanceledException',
      400,
      'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, None]',
    );
    const reasons = (err as unknown as { CancellationReasons: { Code: string; Message?: string; Item?: unknown }[] }).CancellationReasons;
    assert.deepEqual(reasons.map((r) => r.Code), ['ConditionalCheckFailed', 'None', 'None']);
    assert.equal(reasons[0]?.Message, 'The conditional request failed');
    assert.deepEqual(reasons[0]?.Item, { id: { S: 'alice' }, balance: { N: '70' } });
    assert.equal(await balance('alice'), '70');
    assert.equal(await balance('bob'), '30');
    assert.equal((await ddb.send(new GetItemCommand({ TableName: 'ledger', Key: { id: { S: 't2' } } }))).Item, undefined);
  });

  test('ConditionCheck takes part without writing; two actions on one item are refused', async () => {
    await rejectsWith(
      ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ ConditionCheck: { TableName: 'accounts', Key: { id: { S: 'bob' } }, ConditionExpression: 'balance > :big', ExpressionAttributeValues: { ':big': { N: '1000' } } } }, ...transfer(1, 't3').slice(0, 1)] })),
      'TransactionCanceledException',
      400,
      'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
    );
    await rejectsWith(
      ddb.send(new TransactWriteItemsCommand({ TransactItems: [...transfer(1, 't4').slice(0, 1), { Delete: { TableName: 'accounts', Key: { id: { S: 'alice' } } } }] })),
      'ValidationException',
      400,
      'Transaction request cannot include multiple operations on one item',
    );
  });

  test('a ClientRequestToken makes a retry a no-op; the same token with other parameters is IdempotentParameterMismatchException', async () => {
    await ddb.send(new TransactWriteItemsCommand({ TransactItems: transfer(10, 't5'), ClientRequestToken: 'token-1' }));
    await ddb.send(new TransactWriteItemsCommand({ TransactItems: transfer(10, 't5'), ClientRequestToken: 'token-1' }));
    assert.equal(await balance('alice'), '60');
    await rejectsWith(ddb.send(new TransactWriteItemsCommand({ TransactItems: transfer(11, 't6'), ClientRequestToken: 'token-1' })), 'IdempotentParameterMismatchException', 400);
  });

  test('more than 100 actions are refused by the request validator', async () => {
    const items: TransactWriteItem[] = Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: 'ledger', Item: { id: { S: `bulk-${i}` } } } }));
    await rejectsWith(ddb.send(new TransactWriteItemsCommand({ TransactItems: items })), 'ValidationException', 400, /at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/);
  });

  test('TransactGetItems reads several items at one moment', async () => {
    const got = await ddb.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: 'accounts', Key: { id: { S: 'alice' } }, ProjectionExpression: 'balance' } },
          { Get: { TableName: 'accounts', Key: { id: { S: 'nobody' } } } },
          { Get: { TableName: 'ledger', Key: { id: { S: 't1' } } } },
        ],
      }),
    );
    assert.deepEqual(got.Responses?.[0]?.Item, { balance: { N: '60' } });
    assert.equal(got.Responses?.[1]?.Item, undefined);
    assert.deepEqual(got.Responses?.[2]?.Item, { id: { S: 't1' }, amount: { N: '30' } });
  });
});
