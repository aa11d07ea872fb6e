// A DynamoDB load generator in its own process (the SDK's signing and parsing must not share the
// server's event loop): N clients send PutItem or GetItem for a while; prints what completed.
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface DynamodbLoadPlan {
  url: string;
  table: string;
  operation: 'PutItem' | 'GetItem';
  /** GetItem reads keys `item-0` … `item-(keys-1)`; PutItem writes them. */
  keys: number;
  concurrency: number;
  durationMs: number;
}

export interface DynamodbLoadResult {
  completed: number;
  failed: number;
  seconds: number;
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const plan = JSON.parse(process.argv[2] ?? '{}') as DynamodbLoadPlan;
const client = new DynamoDBClient({
  endpoint: plan.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1,
  requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: plan.concurrency }) }),
});

let next = 0;
const once = async (): Promise<void> => {
  const pk = { S: `item-${next++ % plan.keys}` };
  if (plan.operation === 'PutItem') {
    await client.send(new PutItemCommand({ TableName: plan.table, Item: { pk, page: { S: '/products/42' }, clicks: { N: '17' } } }));
  } else {
    await client.send(new GetItemCommand({ TableName: plan.table, Key: { pk } }));
  }
};

for (let i = 0; i < 200; i++) await once();
let completed = 0;
let failed = 0;
const started = performance.now();
const until = started + plan.durationMs;
await Promise.all(Array.from({ length: plan.concurrency }, async () => {
  while (performance.now() < until) {
    try {
      await once();
      completed++;
    } catch {
      failed++;
    }
  }
}));
const result: DynamodbLoadResult = { completed, failed, seconds: (performance.now() - started) / 1000 };
client.destroy();
process.stdout.write(JSON.stringify(result));
