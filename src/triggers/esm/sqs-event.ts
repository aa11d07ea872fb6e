import type { SqsSourceMessage } from './sqs-source.js';

/** One record of the SQS event Lambda sends (spec §4.5), keys in AWS's order. */
export function sqsRecord(m: SqsSourceMessage, queueArn: string): Record<string, unknown> {
  const attributes: Record<string, string> = {};
  for (const key of SYSTEM_ORDER) if (m.attributes[key] !== undefined) attributes[key] = m.attributes[key] as string;
  const messageAttributes: Record<string, Record<string, unknown>> = {};
  for (const [name, a] of Object.entries(m.messageAttributes)) {
    messageAttributes[name] = a.BinaryValue !== undefined
      ? { binaryValue: a.BinaryValue, stringListValues: [], binaryListValues: [], dataType: a.DataType }
      : { stringValue: a.StringValue, stringListValues: [], binaryListValues: [], dataType: a.DataType };
  }
  return {
    messageId: m.messageId,
    receiptHandle: m.receiptHandle,
    body: m.body,
    attributes,
    messageAttributes,
    md5OfMessageAttributes: Object.keys(messageAttributes).length > 0 ? (m.md5OfMessageAttributes ?? null) : null,
    md5OfBody: m.md5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? '',
  };
}

const SYSTEM_ORDER = [
  'ApproximateReceiveCount', 'AWSTraceHeader', 'SentTimestamp', 'SequenceNumber', 'MessageGroupId', 'SenderId',
  'MessageDeduplicationId', 'ApproximateFirstReceiveTimestamp', 'DeadLetterQueueSourceArn',
];

/**
 * The ids a `ReportBatchItemFailures` response names, or null when the response means the whole
 * batch failed (spec §4.10): invalid JSON, a non-object, a malformed list, or an entry whose
 * `itemIdentifier` is missing, empty, not a string or not a message of the batch.
 */
export function failedItemIds(payload: Buffer, batchIds: Set<string>): Set<string> | null {
  const text = payload.toString('utf8').trim();
  if (text === '' || text === 'null') return new Set();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (parsed === null) return new Set();
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const list = (parsed as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return new Set();
  if (!Array.isArray(list)) return null;
  const ids = new Set<string>();
  for (const entry of list) {
    const id = entry && typeof entry === 'object' ? (entry as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || id === '' || !batchIds.has(id)) return null;
    ids.add(id);
  }
  return ids;
}
