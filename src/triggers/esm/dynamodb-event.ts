import type { SourceRecord } from './stream-source.js';
import type { EncodedRecord, RecordContext, StreamEventFormat } from './stream-event-format.js';

/** A stream record as DynamoDB Streams' GetRecords gives it (the source record's data). */
interface StreamsApiRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  dynamodb: Record<string, unknown>;
  userIdentity?: { PrincipalId?: string; Type?: string };
}

/**
 * The record as Lambda hands it to the function (spec §4.7): the streams API's record with
 * `eventSourceARN`, and a TTL deletion's `userIdentity` in the event's spelling (`type`,
 * `principalId`).
 */
function eventRecordOf(record: SourceRecord, eventSourceArn?: string): Record<string, unknown> {
  const api = JSON.parse(record.data.toString('utf8')) as StreamsApiRecord;
  return {
    eventID: api.eventID,
    eventName: api.eventName,
    eventVersion: api.eventVersion,
    eventSource: api.eventSource,
    awsRegion: api.awsRegion,
    dynamodb: api.dynamodb,
    ...(api.userIdentity ? { userIdentity: { type: api.userIdentity.Type, principalId: api.userIdentity.PrincipalId } } : {}),
    ...(eventSourceArn === undefined ? {} : { eventSourceARN: eventSourceArn }),
  };
}

/**
 * The DynamoDB Streams record shape of spec §4.7. Filters see the record as the function does
 * (`dynamodb`, `eventName`, …): AWS's own TTL-archiving pattern matches `userIdentity.type` and
 * `userIdentity.principalId`, the event's spelling, not the streams API's `Type`/`PrincipalId`.
 */
export const dynamodbEventFormat: StreamEventFormat = {
  batchInfoKey: 'DDBStreamBatchInfo',

  encode(record: SourceRecord, context: RecordContext): EncodedRecord {
    const head = JSON.stringify(eventRecordOf(record, context.eventSourceArn));
    return { head, tail: null, bytes: Buffer.byteLength(head) };
  },

  filterView(record: SourceRecord): Record<string, unknown> {
    return eventRecordOf(record);
  },
};
