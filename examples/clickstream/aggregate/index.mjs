// Counts clicks per page over a tumbling window and, when the window closes, writes each page's
// total for that window to DynamoDB. A record that is not a click throws: the mapping bisects the
// batch until that record stands alone, then sends its description to the SQS failure queue.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

const dynamodb = new DynamoDBClient({});
const TABLE = process.env.TOTALS_TABLE ?? 'page-totals';

function clickOf(record) {
  const text = Buffer.from(record.kinesis.data, 'base64').toString('utf8');
  const click = JSON.parse(text);
  if (typeof click?.page !== 'string') throw new Error(`not a click event: ${text.slice(0, 100)}`);
  return click;
}

export const handler = async (event) => {
  // The window's running counts, carried by the mapping from one invocation to the next.
  const counts = { ...(event.state ?? {}) };
  for (const record of event.Records ?? []) {
    const { page } = clickOf(record);
    counts[page] = (counts[page] ?? 0) + 1;
  }
  if (!event.isFinalInvokeForWindow) return { state: counts };

  for (const [page, clicks] of Object.entries(counts)) {
    await dynamodb.send(new PutItemCommand({
      TableName: TABLE,
      Item: { page: { S: page }, windowStart: { S: event.window.start }, windowEnd: { S: event.window.end }, clicks: { N: String(clicks) } },
    }));
  }
  console.log('window', event.window.start, 'totals', JSON.stringify(counts));
  return { state: {} };
};
