import type { SourceRecord } from './stream-source.js';
import type { EncodedRecord, RecordContext, StreamEventFormat } from './stream-event-format.js';

/** The Kinesis record shape of spec §4.6. */
export const kinesisEventFormat: StreamEventFormat = {
  batchInfoKey: 'KinesisBatchInfo',

  encode(record: SourceRecord, context: RecordContext): EncodedRecord {
    const kinesis = {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.partitionKey,
      sequenceNumber: record.sequenceNumber,
      data: record.data.toString('base64'),
      approximateArrivalTimestamp: record.arrivalMs / 1000,
    };
    const head =
      `{"kinesis":${JSON.stringify(kinesis)},"eventSource":"aws:kinesis","eventVersion":"1.0",` +
      `"eventID":${JSON.stringify(`${context.shardId}:${record.sequenceNumber}`)},"eventName":"aws:kinesis:record","invokeIdentityArn":`;
    const tail = `,"awsRegion":${JSON.stringify(context.region)},"eventSourceARN":${JSON.stringify(context.eventSourceArn)}}`;
    return { head, tail, bytes: Buffer.byteLength(head) + Buffer.byteLength(tail) };
  },

  /**
   * Patterns match the fields of `kinesis`; `data` is the decoded record when it is JSON (an
   * object or array) and absent otherwise, so a pattern on `data` never matches plain text.
   */
  filterView(record: SourceRecord): Record<string, unknown> {
    const view: Record<string, unknown> = {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.partitionKey,
      sequenceNumber: record.sequenceNumber,
      approximateArrivalTimestamp: record.arrivalMs / 1000,
    };
    try {
      const parsed: unknown = JSON.parse(record.data.toString('utf8'));
      if (parsed !== null && typeof parsed === 'object') view.data = parsed;
    } catch {
      // not JSON: only metadata patterns can match
    }
    return view;
  },
};
