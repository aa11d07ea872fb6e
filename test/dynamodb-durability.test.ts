import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { BatchGetItemCommand, CreateTableCommand, DescribeTableCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { freePort, startChild } from './support/child-server.js';
import { dynamodbClient, waitForTable } from './support/dynamodb.js';

describe('DynamoDB: kill -9 mid-writes', () => {
  test('every acknowledged write (puts, updates, transactions, index entries) is there after a restart on the same data', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'lambkin-ddb-kill-'));
    const port = await freePort();
    const ddb = dynamodbClient(`http://127.0.0.1:${port}`);
    let child = await startChild(dataDir, port);
    try {
      await ddb.send(
        new CreateTableCommand({
          TableName: 'durable',
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'group', AttributeType: 'S' },
          ],
          GlobalSecondaryIndexes: [{ IndexName: 'by-group', KeySchema: [{ AttributeName: 'group', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      );
      await waitForTable(ddb, 'durable');
      // A table left CREATING by the kill is finished after the restart.
      await ddb.send(new CreateTableCommand({ TableName: 'half-made', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }));

      const acked = new Set<number>();
      let counterAcked = 0;
      let next = 0;
      // 8 writers keep writing; the kill cuts them off mid-request.
      const writer = async () => {
        while (next < 5000 && child.exitCode === null && !child.killed) {
          const i = next++;
          try {
            if (i % 10 === 0) {
              await ddb.send(
                new TransactWriteItemsCommand({
                  TransactItems: [
                    { Put: { TableName: 'durable', Item: { id: { S: `i${i}` }, group: { S: `g${i % 7}` } } } },
                    { Update: { TableName: 'durable', Key: { id: { S: 'counter' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
                  ],
                }),
              );
              counterAcked++;
            } else {
              await ddb.send(new PutItemCommand({ TableName: 'durable', Item: { id: { S: `i${i}` }, group: { S: `g${i % 7}` } } }));
            }
            acked.add(i);
          } catch {
            // cut off by the kill: not acknowledged, so not promised
          }
        }
      };
      const writers = Array.from({ length: 8 }, writer);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      child.kill('SIGKILL');
      await Promise.all(writers);
      assert.ok(acked.size >= 50, `only ${acked.size} writes acknowledged before the kill`);

      child = await startChild(dataDir, port);
      const ids = [...acked];
      for (let i = 0; i < ids.length; i += 100) {
        const keys = ids.slice(i, i + 100).map((n) => ({ id: { S: `i${n}` } }));
        const got = await ddb.send(new BatchGetItemCommand({ RequestItems: { durable: { Keys: keys } } }));
        assert.equal(got.Responses?.durable?.length, keys.length, 'an acknowledged item is missing');
      }
      // The counter has every acknowledged transaction (and perhaps one that committed as the kill cut its answer).
      const counter = await ddb.send(new UpdateItemCommand({ TableName: 'durable', Key: { id: { S: 'counter' } }, UpdateExpression: 'ADD n :zero', ExpressionAttributeValues: { ':zero': { N: '0' } }, ReturnValues: 'ALL_NEW' }));
      assert.ok(Number(counter.Attributes?.n?.N) >= counterAcked);
      // Index entries were written in the same transactions as their items.
      let inIndex = 0;
      for (let g = 0; g < 7; g++) {
        let start: Record<string, never> | undefined;
        do {
          const page = await ddb.send(new QueryCommand({ TableName: 'durable', IndexName: 'by-group', KeyConditionExpression: '#g = :g', ExpressionAttributeNames: { '#g': 'group' }, ExpressionAttributeValues: { ':g': { S: `g${g}` } }, ExclusiveStartKey: start }));
          inIndex += page.Count ?? 0;
          start = page.LastEvaluatedKey as Record<string, never> | undefined;
        } while (start);
      }
      const { Table } = await ddb.send(new DescribeTableCommand({ TableName: 'durable' }));
      assert.equal(inIndex, (Table?.ItemCount ?? 0) - 1, 'the index holds every item but the counter');
      await waitForTable(ddb, 'half-made');
    } finally {
      ddb.destroy();
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
