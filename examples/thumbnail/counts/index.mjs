// Fed by the photos table's stream (NEW_AND_OLD_IMAGES): keeps each owner's photo count and total
// bytes in the photo-owners table. A batch that fails is retried whole, so each stream record is
// applied in one transaction with a marker keyed by its eventID: a record already applied fails
// the marker's condition and is skipped, and no count moves twice.
import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';

const dynamodb = new DynamoDBClient({});
const OWNERS_TABLE = process.env.OWNERS_TABLE ?? 'photo-owners';
const APPLIED_TABLE = process.env.APPLIED_TABLE ?? 'photo-owners-applied';
// Stream records live 24 hours; a marker needs to outlast any retry of its record, no more.
const MARKER_TTL_SECONDS = 2 * 24 * 3600;

/** What one record changes, per owner: a photo leaves its old owner's counts and joins its new one's. */
function deltasOf(record) {
  const deltas = new Map();
  const add = (image, sign) => {
    if (!image) return;
    const owner = image.owner.S;
    const delta = deltas.get(owner) ?? { photos: 0, bytes: 0 };
    delta.photos += sign;
    delta.bytes += sign * Number(image.size.N);
    deltas.set(owner, delta);
  };
  add(record.dynamodb.OldImage, -1);
  add(record.dynamodb.NewImage, +1);
  return [...deltas].filter(([, d]) => d.photos !== 0 || d.bytes !== 0);
}

async function apply(record) {
  const deltas = deltasOf(record);
  if (deltas.length === 0) return 'unchanged';
  const now = new Date();
  try {
    await dynamodb.send(new TransactWriteItemsCommand({
      TransactItems: [
        {
          Put: {
            TableName: APPLIED_TABLE,
            Item: { eventID: { S: record.eventID }, expiresAt: { N: String(Math.floor(now.getTime() / 1000) + MARKER_TTL_SECONDS) } },
            ConditionExpression: 'attribute_not_exists(eventID)',
          },
        },
        ...deltas.map(([owner, d]) => ({
          Update: {
            TableName: OWNERS_TABLE,
            Key: { owner: { S: owner } },
            UpdateExpression: 'ADD photos :photos, bytes :bytes SET updatedAt = :now',
            ExpressionAttributeValues: { ':photos': { N: String(d.photos) }, ':bytes': { N: String(d.bytes) }, ':now': { S: now.toISOString() } },
          },
        })),
      ],
    }));
    return 'applied';
  } catch (err) {
    // The marker is the first action: its condition failing means this record was applied before.
    if (err.name === 'TransactionCanceledException' && err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return 'already applied';
    throw err;
  }
}

export const handler = async (event) => {
  const outcomes = [];
  // In order: one photo's changes must be applied as they happened.
  for (const record of event.Records ?? []) outcomes.push(await apply(record));
  console.log('photo counts', JSON.stringify(outcomes));
  return { outcomes };
};
