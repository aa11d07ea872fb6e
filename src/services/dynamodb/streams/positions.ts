/**
 * A position in one shard. DynamoDB Streams' own iterator types, plus AT_TIMESTAMP, which only the
 * in-process reader takes: a mapping's LATEST is "after what existed when it was created".
 */
export type StreamPosition =
  | { type: 'TRIM_HORIZON' }
  | { type: 'LATEST' }
  | { type: 'AT_TIMESTAMP'; timestampMs: number }
  | { type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };
