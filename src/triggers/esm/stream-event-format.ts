import type { SourceRecord } from './stream-source.js';

/**
 * A record serialized for the event once: `head` + the function's role ARN as JSON + `tail`, or
 * `head` alone when the record names no role (`tail` null: DynamoDB's records have no
 * `invokeIdentityArn`).
 */
export interface EncodedRecord {
  head: string;
  tail: string | null;
  /** UTF-8 bytes of head and tail. */
  bytes: number;
}

export interface RecordContext {
  shardId: string;
  /** The ARN records name as `eventSourceARN`. */
  eventSourceArn: string;
  region: string;
}

/**
 * What differs between stream kinds in the event a function receives: the record shape, what
 * filters see, and the key of the batch description in an OnFailure record. The mapping core is
 * the same for every kind.
 */
export interface StreamEventFormat {
  /** `KinesisBatchInfo` or `DDBStreamBatchInfo`. */
  batchInfoKey: string;
  encode(record: SourceRecord, context: RecordContext): EncodedRecord;
  /** The record as FilterCriteria patterns see it. */
  filterView(record: SourceRecord): Record<string, unknown>;
}

/** The record's JSON in the event, with the function's role ARN (JSON) where the record names it. */
export function recordJson(encoded: EncodedRecord, roleJson: string): string {
  return encoded.tail === null ? encoded.head : encoded.head + roleJson + encoded.tail;
}
