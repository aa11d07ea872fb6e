import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { rejectsWith } from './support/aws-errors.js';
import { dynamodbClient, waitForTable } from './support/dynamodb.js';
import { startTestServer, type TestServer } from './support/server.js';

const ids = (items: Record<string, AttributeValue>[] | undefined) => (items ?? []).map((i) => Number(i.sk?.N ?? i.id?.S));

describe('DynamoDB Query, Scan and batches', () => {
  let server: TestServer;
  let ddb: DynamoDBClient;
  before(async () => {
    server = await startTestServer();
    ddb = dynamodbClient(server.url);
    await ddb.send(
      new CreateTableCommand({
        TableName: 'events',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'kind', AttributeType: 'S' },
          { AttributeName: 'at', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'by-kind', KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
        LocalSecondaryIndexes: [{ IndexName: 'by-at', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'at', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      }),
    );
    await waitForTable(ddb, 'events');
    // sk -5..14 under "a" (numbers sort numerically, negatives first); kind alternates.
    for (let sk = -5; sk < 15; sk++) {
      await ddb.send(new PutItemCommand({ TableName: 'events', Item: { pk: { S: 'a' }, sk: { N: String(sk) }, kind: { S: sk % 2 === 0 ? 'even' : 'odd' }, at: { S: `t${String(sk + 10).padStart(2, '0')}` }, body: { S: `e${sk}` } } }));
    }
    await ddb.send(new PutItemCommand({ TableName: 'events', Item: { pk: { S: 'b' }, sk: { N: '1' }, kind: { S: 'even' }, at: { S: 't00' } } }));
  });
  after(async () => {
    ddb.destroy();
    await server.stop();
  });

  test('Query orders by the sort key (numbers numerically), both directions, with range conditions', async () => {
    const all = await ddb.send(new QueryCommand({ TableName: 'events', KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'a' } } }));
    assert.deepEqual(ids(all.Items), Array.from({ length: 20 }, (_, i) => i - 5));
    assert.equal(all.Count, 20);
    const between = await ddb.send(new QueryCommand({ TableName: 'events', KeyConditionExpression: 'pk = :a AND sk BETWEEN :lo AND :hi', ExpressionAttributeValues: { ':a': { S: 'a' }, ':lo': { N: '-2' }, ':hi': { N: '2' } }, ScanIndexForward: false }));
    assert.deepEqual(ids(between.Items), [2, 1, 0, -1, -2]);
    const below = await ddb.send(new QueryCommand({ TableName: 'events', KeyConditionExpression: 'pk = :a AND sk < :z', ExpressionAttributeValues: { ':a': { S: 'a' }, ':z': { N: '-3' } } }));
    assert.deepEqual(ids(below.Items), [-5, -4]);
  });

  test('Limit and ExclusiveStartKey page through; the filter applies after the limit', async () => {
    const seen: number[] = [];
    let start: Record<string, AttributeValue> | undefined;
    let pages = 0;
    do {
      const page = await ddb.send(new QueryCommand({ TableName: 'events', KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'a' } }, Limit: 6, ExclusiveStartKey: start }));
      seen.push(...ids(page.Items));
      start = page.LastEvaluatedKey;
      pages++;
    } while (start);
    assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => i - 5));
    assert.equal(pages, 4);
    const filtered = await ddb.send(new QueryCommand({ TableName: 'events', KeyConditionExpression: 'pk = :a', FilterExpression: 'kind = :odd', ExpressionAttributeValues: { ':a': { S: 'a' }, ':odd': { S: 'odd' } }, Limit: 4 }));
    assert.equal(filtered.ScannedCount, 4);
    assert.equal(filtered.Count, 2);
    assert.deepEqual(filtered.LastEvaluatedKey, { pk: { S: 'a' }, sk: { N: '-2' } });
    const counted = await ddb.send(new QueryCommand({ TableName: 'events', KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'a' } }, Select: 'COUNT' }));
    assert.equal(counted.Items, undefined);
    assert.equal(counted.Count, 20);
  });

  test('Query on a global index pages with the base key in LastEvaluatedKey; a local index can return all attributes', async () => {
    const first = await ddb.send(new QueryCommand({ TableName: 'events', IndexName: 'by-kind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: 'even' } }, Limit: 3 }));
    assert.equal(first.Items?.length, 3);
    assert.deepEqual(Object.keys(first.Items![0]!).sort(), ['at', 'kind', 'pk', 'sk']);
    assert.deepEqual(Object.keys(first.LastEvaluatedKey!).sort(), ['at', 'kind', 'pk', 'sk']);
    const rest = await ddb.send(new QueryCommand({ TableName: 'events', IndexName: 'by-kind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: 'even' } }, ExclusiveStartKey: first.LastEvaluatedKey }));
    assert.equal((first.Items?.length ?? 0) + (rest.Items?.length ?? 0), 11);
    assert.deepEqual(first.Items![0]!.at, { S: 't00' });
    await rejectsWith(
      ddb.send(new QueryCommand({ TableName: 'events', IndexName: 'by-kind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: 'even' } }, ConsistentRead: true })),
      'ValidationException',
      400,
      'Consistent reads are not supported on global secondary indexes',
    );
    await rejectsWith(ddb.send(new QueryCommand({ TableName: 'events', IndexName: 'nope', KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'a' } } })), 'ValidationException', 400, 'The table does not have the specified index: nope');
    const local = await ddb.send(new QueryCommand({ TableName: 'events', IndexName: 'by-at', KeyConditionExpression: 'pk = :a AND begins_with(#at, :t0)', ExpressionAttributeNames: { '#at': 'at' }, ExpressionAttributeValues: { ':a': { S: 'a' }, ':t0': { S: 't0' } }, Select: 'ALL_ATTRIBUTES' }));
    // The index keeps only keys; ALL_ATTRIBUTES fetches each item from the table.
    assert.deepEqual(local.Items?.map((i) => i.body?.S), ['e-5', 'e-4', 'e-3', 'e-2', 'e-1']);
  });

  test('Query needs a key condition, in AWS words; KeyConditions, QueryFilter and ScanFilter still work', async () => {
    await rejectsWith(ddb.send(new QueryCommand({ TableName: 'events' })), 'ValidationException', 400, 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    const legacy = await ddb.send(new QueryCommand({ TableName: 'events', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'b' }] } } }));
    assert.equal(legacy.Count, 1);
    const filtered = await ddb.send(
      new QueryCommand({
        TableName: 'events',
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] }, sk: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '10' }] } },
        QueryFilter: { kind: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'odd' }] } },
      }),
    );
    assert.deepEqual(ids(filtered.Items), [11, 13]);
    const scanned = await ddb.send(new ScanCommand({ TableName: 'events', ScanFilter: { body: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'e1' }] } } }));
    assert.deepEqual(ids(scanned.Items).sort((x, y) => x - y), [1, 10, 11, 12, 13, 14]);
  });

  test('parallel Scan segments cover every item exactly once; Scan pages and filters', async () => {
    const seen: string[] = [];
    for (let segment = 0; segment < 4; segment++) {
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await ddb.send(new ScanCommand({ TableName: 'events', Segment: segment, TotalSegments: 4, Limit: 3, ExclusiveStartKey: start }));
        seen.push(...(page.Items ?? []).map((i) => `${i.pk?.S}/${i.sk?.N}`));
        start = page.LastEvaluatedKey;
      } while (start);
    }
    assert.equal(seen.length, 21);
    assert.equal(new Set(seen).size, 21);
    const filtered = await ddb.send(new ScanCommand({ TableName: 'events', FilterExpression: 'pk = :b', ExpressionAttributeValues: { ':b': { S: 'b' } } }));
    assert.equal(filtered.Count, 1);
    assert.equal(filtered.ScannedCount, 21);
    await rejectsWith(
      ddb.send(new ScanCommand({ TableName: 'events', Segment: 4, TotalSegments: 4 })),
      'ValidationException',
      400,
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4',
    );
  });

  test('BatchWriteItem puts and deletes in one call; duplicates and more than 25 requests are refused', async () => {
    await ddb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          events: [
            { PutRequest: { Item: { pk: { S: 'batch' }, sk: { N: '1' } } } },
            { PutRequest: { Item: { pk: { S: 'batch' }, sk: { N: '2' } } } },
            { DeleteRequest: { Key: { pk: { S: 'b' }, sk: { N: '1' } } } },
          ],
        },
      }),
    );
    const got = await ddb.send(
      new BatchGetItemCommand({
        RequestItems: { events: { Keys: [{ pk: { S: 'batch' }, sk: { N: '1' } }, { pk: { S: 'batch' }, sk: { N: '2' } }, { pk: { S: 'b' }, sk: { N: '1' } }], ProjectionExpression: 'sk' } },
      }),
    );
    assert.deepEqual(got.Responses?.events?.map((i) => i.sk?.N).sort(), ['1', '2']);
    assert.deepEqual(got.UnprocessedKeys, {});
    await rejectsWith(
      ddb.send(new BatchWriteItemCommand({ RequestItems: { events: [{ PutRequest: { Item: { pk: { S: 'd' }, sk: { N: '1' } } } }, { DeleteRequest: { Key: { pk: { S: 'd' }, sk: { N: '1' } } } }] } })),
      'ValidationException',
      400,
      'Provided list of item keys contains duplicates',
    );
    const many = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: { S: 'many' }, sk: { N: String(i) } } } }));
    await rejectsWith(ddb.send(new BatchWriteItemCommand({ RequestItems: { events: many } })), 'ValidationException', 400, /Member must have length less than or equal to 25/);
    const keys = Array.from({ length: 101 }, (_, i) => ({ pk: { S: 'many' }, sk: { N: String(i) } }));
    await rejectsWith(ddb.send(new BatchGetItemCommand({ RequestItems: { events: { Keys: keys } } })), 'ValidationException', 400, 'Too many items requested for the BatchGetItem call');
  });
});
