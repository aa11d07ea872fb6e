import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand, ExpiredIteratorException, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand,
  ResourceNotFoundException, TrimmedDataAccessException, type DynamoDBStreamsClient,
} from '@aws-sdk/client-dynamodb-streams';
import { ShiftableClock } from '../src/clock.js';
import { createStreamTable, dynamodbClient, streamsClient } from './support/dynamodb-streams.js';
import { startTestServer, type TestServer } from './support/server.js';
import { awsCliSkip } from './support/cli.js';

const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' };

describe('DynamoDB Streams API through the AWS SDK', () => {
  let server: TestServer;
  let ddb: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  const clock = new ShiftableClock();

  before(async () => {
    server = await startTestServer({}, { dynamodbClock: clock });
    ddb = dynamodbClient(server.url);
    streams = streamsClient(server.url);
  });
  after(async () => {
    ddb.destroy();
    streams.destroy();
    await server.stop();
  });

  const shardOf = async (arn: string) => (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!.ShardId!;
  const iterator = async (arn: string, shardId: string, type: 'TRIM_HORIZON' | 'LATEST' = 'TRIM_HORIZON') =>
    (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: type }))).ShardIterator!;

  test('item writes become INSERT, MODIFY and REMOVE records in order, with the view type images', async () => {
    const arn = await createStreamTable(ddb, 'photos-api');
    await ddb.send(new PutItemCommand({ TableName: 'photos-api', Item: { id: { S: 'p1' }, title: { S: 'red flower' } } }));
    await ddb.send(new UpdateItemCommand({ TableName: 'photos-api', Key: { id: { S: 'p1' } }, UpdateExpression: 'SET likes = :n', ExpressionAttributeValues: { ':n': { N: '3' } } }));
    await ddb.send(new DeleteItemCommand({ TableName: 'photos-api', Key: { id: { S: 'p1' } } }));
    const description = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
    assert.equal(description.StreamStatus, 'ENABLED');
    assert.equal(description.TableName, 'photos-api');
    assert.equal(description.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.deepEqual(description.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
    assert.ok(description.CreationRequestDateTime instanceof Date);
    assert.match(description.Shards![0]!.ShardId!, /^shardId-\d{20}-[0-9a-f]{8}$/);
    const { Records, NextShardIterator } = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator(arn, description.Shards![0]!.ShardId!) }));
    assert.ok(NextShardIterator);
    assert.deepEqual(Records!.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = Records!;
    assert.equal(insert!.eventSource, 'aws:dynamodb');
    assert.equal(insert!.eventVersion, '1.1');
    assert.equal(insert!.awsRegion, 'us-east-1');
    assert.match(insert!.eventID!, /^[0-9a-f]{32}$/);
    assert.deepEqual(insert!.dynamodb!.Keys, { id: { S: 'p1' } });
    assert.deepEqual(insert!.dynamodb!.NewImage, { id: { S: 'p1' }, title: { S: 'red flower' } });
    assert.equal(insert!.dynamodb!.OldImage, undefined);
    assert.equal(insert!.dynamodb!.SizeBytes, 4 + 4 + 15); // Keys (id p1) + NewImage (id p1, title 'red flower'), as AWS counts item sizes
    assert.ok(insert!.dynamodb!.ApproximateCreationDateTime instanceof Date);
    assert.deepEqual(modify!.dynamodb!.OldImage, { id: { S: 'p1' }, title: { S: 'red flower' } });
    assert.deepEqual(modify!.dynamodb!.NewImage, { id: { S: 'p1' }, title: { S: 'red flower' }, likes: { N: '3' } });
    assert.deepEqual(remove!.dynamodb!.OldImage, modify!.dynamodb!.NewImage);
    assert.equal(remove!.dynamodb!.NewImage, undefined);
    const sequences = Records!.map((r) => r.dynamodb!.SequenceNumber!);
    assert.deepEqual([...sequences].sort(), sequences);
  });

  test('each view type carries only its images: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE', async () => {
    const expected = {
      KEYS_ONLY: { INSERT: [false, false], MODIFY: [false, false], REMOVE: [false, false] },
      NEW_IMAGE: { INSERT: [true, false], MODIFY: [true, false], REMOVE: [false, false] },
      OLD_IMAGE: { INSERT: [false, false], MODIFY: [false, true], REMOVE: [false, true] },
    } as const;
    for (const [viewType, images] of Object.entries(expected) as Array<[keyof typeof expected, (typeof expected)[keyof typeof expected]]>) {
      const table = `view-${viewType.toLowerCase().replace('_', '-')}`;
      const arn = await createStreamTable(ddb, table, viewType);
      await ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'k' }, v: { N: '1' } } }));
      await ddb.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'k' }, v: { N: '2' } } }));
      await ddb.send(new DeleteItemCommand({ TableName: table, Key: { id: { S: 'k' } } }));
      const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator(arn, await shardOf(arn)) }));
      assert.deepEqual(Records!.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE'], viewType);
      for (const [i, record] of Records!.entries()) {
        const [hasNew, hasOld] = images[record.eventName as 'INSERT' | 'MODIFY' | 'REMOVE'];
        assert.equal(record.dynamodb!.StreamViewType, viewType);
        assert.deepEqual(record.dynamodb!.Keys, { id: { S: 'k' } });
        assert.deepEqual(record.dynamodb!.NewImage, hasNew ? { id: { S: 'k' }, v: { N: String(i + 1) } } : undefined, `${viewType} ${record.eventName} NewImage`);
        assert.deepEqual(record.dynamodb!.OldImage, hasOld ? { id: { S: 'k' }, v: { N: String(i) } } : undefined, `${viewType} ${record.eventName} OldImage`);
      }
    }
  });

  test('a KEYS_ONLY record is sized by its keys alone; LATEST sees only later writes', async () => {
    const keysOnly = await createStreamTable(ddb, 'keys-only', 'KEYS_ONLY');
    await ddb.send(new PutItemCommand({ TableName: 'keys-only', Item: { id: { S: 'before' } } }));
    const latest = await iterator(keysOnly, await shardOf(keysOnly), 'LATEST');
    await ddb.send(new PutItemCommand({ TableName: 'keys-only', Item: { id: { S: 'k' }, big: { S: 'x'.repeat(100) } } }));
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator: latest }));
    assert.equal(Records!.length, 1);
    assert.deepEqual(Records![0]!.dynamodb!.Keys, { id: { S: 'k' } });
    assert.equal(Records![0]!.dynamodb!.SizeBytes, 3);
  });

  test('a put or update that leaves the item as it was writes no record', async () => {
    const arn = await createStreamTable(ddb, 'no-op-writes');
    const item = { id: { S: 'same' }, n: { N: '1.50' }, tags: { SS: ['a', 'b'] } };
    await ddb.send(new PutItemCommand({ TableName: 'no-op-writes', Item: item }));
    await ddb.send(new PutItemCommand({ TableName: 'no-op-writes', Item: { id: { S: 'same' }, n: { N: '1.5' }, tags: { SS: ['b', 'a'] } } }));
    await ddb.send(new UpdateItemCommand({ TableName: 'no-op-writes', Key: { id: { S: 'same' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1.5' } } }));
    await ddb.send(new UpdateItemCommand({ TableName: 'no-op-writes', Key: { id: { S: 'same' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '2' } } }));
    const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator(arn, await shardOf(arn)) }));
    assert.deepEqual(Records!.map((r) => r.eventName), ['INSERT', 'MODIFY']);
    assert.deepEqual(Records![1]!.dynamodb!.NewImage!.n, { N: '2' });
  });

  test('ListStreams filters by table and pages; unknown streams get AWS text', async () => {
    await createStreamTable(ddb, 'list-a');
    await createStreamTable(ddb, 'list-b');
    const one = await streams.send(new ListStreamsCommand({ TableName: 'list-a' }));
    assert.equal(one.Streams!.length, 1);
    assert.equal(one.Streams![0]!.TableName, 'list-a');
    assert.match(one.Streams![0]!.StreamArn!, /^arn:aws:dynamodb:us-east-1:000000000000:table\/list-a\/stream\/\d{4}-\d\d-\d\dT/);
    const seen: string[] = [];
    let start: string | undefined;
    do {
      const page = await streams.send(new ListStreamsCommand({ Limit: 1, ...(start ? { ExclusiveStartStreamArn: start } : {}) }));
      seen.push(...page.Streams!.map((s) => s.TableName!));
      start = page.LastEvaluatedStreamArn;
    } while (start);
    assert.ok(seen.includes('list-a') && seen.includes('list-b'));
    const missing = 'arn:aws:dynamodb:us-east-1:000000000000:table/nope/stream/2024-01-01T00:00:00.000';
    await assert.rejects(streams.send(new DescribeStreamCommand({ StreamArn: missing })), (err: unknown) => {
      assert.ok(err instanceof ResourceNotFoundException);
      assert.equal(err.message, `Requested resource not found: Stream: ${missing} not found`);
      assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    });
  });

  test('disabling the stream closes its shard: the reader reaches the end', async () => {
    const arn = await createStreamTable(ddb, 'disable-me');
    const shardId = await shardOf(arn);
    await ddb.send(new PutItemCommand({ TableName: 'disable-me', Item: { id: { S: 'a' } } }));
    await ddb.send(new UpdateTableCommand({ TableName: 'disable-me', StreamSpecification: { StreamEnabled: false } }));
    const deadline = Date.now() + 10_000;
    let description = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
    while (description.StreamStatus !== 'DISABLED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      description = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
    }
    assert.equal(description.StreamStatus, 'DISABLED');
    assert.ok(description.Shards![0]!.SequenceNumberRange!.EndingSequenceNumber);
    const page = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator(arn, shardId) }));
    assert.equal(page.Records!.length, 1);
    assert.equal(page.NextShardIterator, undefined);
  });

  test('iterators expire after 15 minutes and records are trimmed after 24 hours', async () => {
    const arn = await createStreamTable(ddb, 'aging');
    const shardId = await shardOf(arn);
    await ddb.send(new PutItemCommand({ TableName: 'aging', Item: { id: { S: 'old' } } }));
    const first = (await streams.send(new GetRecordsCommand({ ShardIterator: await iterator(arn, shardId) }))).Records![0]!.dynamodb!.SequenceNumber!;
    const stale = await iterator(arn, shardId);
    clock.advance(15 * 60_000 + 1000);
    await assert.rejects(streams.send(new GetRecordsCommand({ ShardIterator: stale })), ExpiredIteratorException);
    clock.advance(24 * 3_600_000);
    await server.lambkin.trimDynamodbStreams();
    await assert.rejects(
      streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: first })),
      TrimmedDataAccessException,
    );
  });
});

describe('the AWS CLI drives DynamoDB Streams', { skip: awsCliSkip }, () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  const aws = (...args: string[]): Promise<Record<string, any>> =>
    new Promise((resolve, reject) => {
      execFile('aws', ['--endpoint-url', server.url, '--output', 'json', ...args], { env }, (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve(stdout.trim() ? JSON.parse(stdout) : {})));
    });

  test('list-streams, describe-stream, get-shard-iterator, get-records', async () => {
    const ddb = dynamodbClient(server.url);
    const arn = await createStreamTable(ddb, 'cli-photos');
    await aws('dynamodb', 'put-item', '--table-name', 'cli-photos', '--item', '{"id":{"S":"from-cli"}}');
    ddb.destroy();
    const listed = await aws('dynamodbstreams', 'list-streams', '--table-name', 'cli-photos');
    assert.equal(listed.Streams[0].StreamArn, arn);
    const described = await aws('dynamodbstreams', 'describe-stream', '--stream-arn', arn);
    const shardId = described.StreamDescription.Shards[0].ShardId;
    const it = await aws('dynamodbstreams', 'get-shard-iterator', '--stream-arn', arn, '--shard-id', shardId, '--shard-iterator-type', 'TRIM_HORIZON');
    const got = await aws('dynamodbstreams', 'get-records', '--shard-iterator', it.ShardIterator);
    assert.equal(got.Records.length, 1);
    assert.deepEqual(got.Records[0].dynamodb.Keys, { id: { S: 'from-cli' } });
  });
});
