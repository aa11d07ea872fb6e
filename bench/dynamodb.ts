// DynamoDB figures: PutItem and GetItem through the SDK with 16 clients beside the same client
// against a canned-response stub (the SDK's own ceiling), and the latency from an item write
// through the table's stream and an event source mapping to the handler starting.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { runJsonChild } from './child.js';
import type { DynamodbLoadPlan, DynamodbLoadResult } from './dynamodb-loadgen.js';
import type { BenchServer } from './lambkin.js';
import { median, round3 } from './stats.js';

export interface DynamodbFigures {
  concurrency: number;
  putItemPerSecond: number;
  putItemStubPerSecond: number;
  getItemPerSecond: number;
  getItemStubPerSecond: number;
  failed: number;
  /** Median ms from a PutItem being sent to the handler of a stream mapping on the table starting. */
  writeToHandlerP50Ms: number;
}

const CONCURRENCY = 16;
const KEYS = 1000;

/** Answers every DynamoDB call at once: PutItem with `{}`, GetItem with a small item. */
async function startDynamodbStub(): Promise<{ url: string; close(): Promise<void> }> {
  const item = JSON.stringify({ Item: { pk: { S: 'item-0' }, page: { S: '/products/42' }, clicks: { N: '17' } } });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = String(req.headers['x-amz-target']).endsWith('.GetItem') ? item : '{}';
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function load(url: string, table: string, operation: DynamodbLoadPlan['operation'], durationMs: number): Promise<DynamodbLoadResult> {
  const plan: DynamodbLoadPlan = { url, table, operation, keys: KEYS, concurrency: CONCURRENCY, durationMs };
  return runJsonChild<DynamodbLoadResult>([fileURLToPath(new URL('./dynamodb-loadgen.js', import.meta.url)), JSON.stringify(plan)]);
}

const perSecond = (r: DynamodbLoadResult) => Math.round(r.completed / r.seconds);

/** Reports how long after the writer sent it (the item's `sentAt`) each change reached the handler. */
const STREAM_REPORTER = `
exports.handler = async (event) => {
  const now = Date.now();
  const lat = event.Records.map((r) => now - Number(r.dynamodb.NewImage.sentAt.N));
  await fetch(process.env.REPORT_URL, { method: 'POST', body: JSON.stringify(lat), headers: { connection: 'close' } });
  return {};
};
`;

async function activeTable(dynamodb: DynamoDBClient, name: string, withStream: boolean): Promise<string | undefined> {
  await dynamodb.send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    ...(withStream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } } : {}),
  }));
  for (;;) {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return Table.LatestStreamArn;
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function measureDynamodb(server: BenchServer, options: { durationMs: number; latencySamples: number }): Promise<DynamodbFigures> {
  const dynamodb = new DynamoDBClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const lambda = server.client(4);
  const stub = await startDynamodbStub();
  const latencies: number[] = [];
  const reporter = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      latencies.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as number[]));
      res.end();
    });
  });
  await new Promise<void>((resolve) => reporter.listen(server.hostPort(), '127.0.0.1', resolve));
  try {
    await activeTable(dynamodb, 'bench-items', false);
    // The stub first, then Lambkin, per operation; GetItem reads what PutItem wrote.
    const putStub = await load(stub.url, 'bench-items', 'PutItem', options.durationMs);
    const put = await load(server.url, 'bench-items', 'PutItem', options.durationMs);
    const getStub = await load(stub.url, 'bench-items', 'GetItem', options.durationMs);
    const get = await load(server.url, 'bench-items', 'GetItem', options.durationMs);

    // Item write → stream → mapping → handler, one write at a time on an idle mapping; the first warms up.
    const reportUrl = JSON.stringify(`http://127.0.0.1:${(reporter.address() as AddressInfo).port}/`);
    await server.deploy('bench-ddb-stream', STREAM_REPORTER.replace('process.env.REPORT_URL', reportUrl), { timeoutSeconds: 30 });
    const streamArn = await activeTable(dynamodb, 'bench-streamed', true);
    const { UUID } = await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'bench-ddb-stream', EventSourceArn: streamArn, StartingPosition: 'LATEST', BatchSize: 100,
    }));
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i <= options.latencySamples; i++) {
      if (i === 1) latencies.length = 0;
      const before = latencies.length;
      await dynamodb.send(new PutItemCommand({ TableName: 'bench-streamed', Item: { pk: { S: `k-${i}` }, sentAt: { N: String(Date.now()) } } }));
      const deadline = Date.now() + 10_000;
      while (latencies.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      if (latencies.length === before) throw new Error('a stream record never reached the handler');
      await new Promise((r) => setTimeout(r, 20));
    }
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID }));
    return {
      concurrency: CONCURRENCY,
      putItemPerSecond: perSecond(put),
      putItemStubPerSecond: perSecond(putStub),
      getItemPerSecond: perSecond(get),
      getItemStubPerSecond: perSecond(getStub),
      failed: put.failed + get.failed,
      writeToHandlerP50Ms: round3(median(latencies)),
    };
  } finally {
    dynamodb.destroy();
    lambda.destroy();
    await stub.close();
    reporter.close();
    reporter.closeAllConnections();
  }
}
