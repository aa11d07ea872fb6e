import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, NumberValue, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createTable, dynamodbClient } from './support/dynamodb.js';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip, boto3Skip, runCommand } from './support/cli.js';

const BOTO3_SCRIPT = fileURLToPath(new URL('../../test/clients/boto3_dynamodb.py', import.meta.url));
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' };

const run = (command: string, args: string[]) => runCommand(command, args, env);

describe('the DocumentClient (@aws-sdk/lib-dynamodb) drives DynamoDB', () => {
  let server: TestServer;
  let ddb: DynamoDBClient;
  let doc: DynamoDBDocumentClient;
  before(async () => {
    server = await startTestServer();
    ddb = dynamodbClient(server.url);
    doc = DynamoDBDocumentClient.from(ddb, { unmarshallOptions: { wrapNumbers: true } });
    await createTable(ddb, 'docs', { rangeType: 'N' });
  });
  after(async () => {
    ddb.destroy();
    await server.stop();
  });

  test('native JavaScript values round-trip; numbers beyond 2^53 keep every digit as NumberValue', async () => {
    const huge = '9007199254740993123456789';
    await doc.send(new PutCommand({ TableName: 'docs', Item: { id: 'd', sk: 1, name: 'doc', huge: NumberValue.from(huge), list: [1, 'two', { three: true }], set: new Set(['a', 'b']), nothing: null } }));
    const { Item } = await doc.send(new GetCommand({ TableName: 'docs', Key: { id: 'd', sk: 1 } }));
    assert.equal((Item?.huge as NumberValue).toString(), huge);
    assert.equal(Item?.name, 'doc');
    assert.deepEqual(Item?.set, new Set(['a', 'b']));
    assert.equal(Item?.nothing, null);
    assert.equal(((Item?.list as unknown[])[2] as { three: boolean }).three, true);
  });

  test('update, query and a transaction through the DocumentClient', async () => {
    await doc.send(new UpdateCommand({ TableName: 'docs', Key: { id: 'd', sk: 2 }, UpdateExpression: 'SET hits = if_not_exists(hits, :z) + :one', ExpressionAttributeValues: { ':z': 0, ':one': 1 } }));
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Update: { TableName: 'docs', Key: { id: 'd', sk: 2 }, UpdateExpression: 'SET hits = hits + :one', ExpressionAttributeValues: { ':one': 1 } } },
          { Put: { TableName: 'docs', Item: { id: 'd', sk: 3 } } },
        ],
      }),
    );
    const { Items } = await doc.send(new QueryCommand({ TableName: 'docs', KeyConditionExpression: 'id = :d AND sk >= :two', ExpressionAttributeValues: { ':d': 'd', ':two': 2 } }));
    assert.deepEqual(Items?.map((i) => [(i.sk as NumberValue).toString(), i.hits && (i.hits as NumberValue).toString()]), [['2', '2'], ['3', undefined]]);
  });
});

describe('the AWS CLI drives DynamoDB', { skip: awsCliSkip }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  const aws = async (...args: string[]): Promise<Record<string, unknown>> => {
    const out = await run('aws', ['--endpoint-url', server.url, '--output', 'json', 'dynamodb', ...args]);
    assert.equal(out.code, 0, out.stderr);
    return out.stdout.trim() ? (JSON.parse(out.stdout) as Record<string, unknown>) : {};
  };

  test('create-table, wait, put-item, query', async () => {
    await aws('create-table', '--table-name', 'cli', '--attribute-definitions', 'AttributeName=id,AttributeType=S', 'AttributeName=n,AttributeType=N', '--key-schema', 'AttributeName=id,KeyType=HASH', 'AttributeName=n,KeyType=RANGE', '--billing-mode', 'PAY_PER_REQUEST');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await aws('wait', 'table-exists', '--table-name', 'cli');
    await aws('put-item', '--table-name', 'cli', '--item', '{"id":{"S":"x"},"n":{"N":"2"},"v":{"S":"two"}}');
    await aws('put-item', '--table-name', 'cli', '--item', '{"id":{"S":"x"},"n":{"N":"10"},"v":{"S":"ten"}}');
    const out = await aws('query', '--table-name', 'cli', '--key-condition-expression', 'id = :x', '--expression-attribute-values', '{":x":{"S":"x"}}');
    assert.deepEqual((out.Items as { v: { S: string } }[]).map((i) => i.v.S), ['two', 'ten']);
    assert.equal(out.Count, 2);
  });
});

describe('boto3 drives DynamoDB', { skip: boto3Skip }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  test('client and resource: waiters, batch_writer, Key/Attr conditions, paginators, errors, delete', async () => {
    const result = await run('python3', [BOTO3_SCRIPT, server.url]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'OK');
  });
});
