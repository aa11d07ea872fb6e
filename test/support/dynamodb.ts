import { DescribeTableCommand, DynamoDBClient, type CreateTableCommandInput, CreateTableCommand } from '@aws-sdk/client-dynamodb';

/** The SDK's DynamoDB client against a test server; no retries, so errors surface at once. */
export function dynamodbClient(url: string, options: { region?: string } = {}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: url,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

/** Waits (briefly, polling) until a table reports `status`. */
export async function waitForTable(client: DynamoDBClient, name: string, status = 'ACTIVE', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    const indexesSettled = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === status && (status !== 'ACTIVE' || indexesSettled)) return;
    if (Date.now() > deadline) throw new Error(`table ${name} is ${Table?.TableStatus}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Creates an on-demand table (hash key `id`, optional sort key `sk`) and waits until it is ACTIVE. */
export async function createTable(client: DynamoDBClient, name: string, extra: Partial<CreateTableCommandInput> & { rangeType?: 'S' | 'N' | 'B'; hashType?: 'S' | 'N' | 'B' } = {}): Promise<void> {
  const { rangeType, hashType, ...rest } = extra;
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, ...(rangeType ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : [])],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: hashType ?? 'S' }, ...(rangeType ? [{ AttributeName: 'sk', AttributeType: rangeType }] : [])],
      ...rest,
    }),
  );
  await waitForTable(client, name);
}
