import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, type StreamViewType } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

const CLIENT = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };

export const dynamodbClient = (url: string) => new DynamoDBClient({ endpoint: url, ...CLIENT });
export const streamsClient = (url: string) => new DynamoDBStreamsClient({ endpoint: url, ...CLIENT });

/** Creates an on-demand table (hash `id` S, optional range `sk` N) with a stream; answers the stream ARN once ACTIVE. */
export async function createStreamTable(client: DynamoDBClient, name: string, viewType: StreamViewType = 'NEW_AND_OLD_IMAGES', withRange = false): Promise<string> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, ...(withRange ? [{ AttributeName: 'sk', KeyType: 'RANGE' as const }] : [])],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, ...(withRange ? [{ AttributeName: 'sk', AttributeType: 'N' as const }] : [])],
      StreamSpecification: { StreamEnabled: true, StreamViewType: viewType },
    }),
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE' && Table.LatestStreamArn) return Table.LatestStreamArn;
    if (Date.now() > deadline) throw new Error(`table ${name} never became ACTIVE with a stream`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
