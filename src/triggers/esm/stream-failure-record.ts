import { randomUUID } from 'node:crypto';
import type { DeliverySinks } from '../../contracts/delivery-sinks.js';
import type { InvokedAs } from './function-invoker.js';
import type { SourceRecord } from './stream-source.js';

export type StreamFailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

/** The last answer the function gave for the records, if it was invoked with them. */
export interface LastResponse {
  invoked: InvokedAs;
  /** `Unhandled` for an error; absent when a partial batch response failed the records. */
  functionError?: string;
}

export interface FailedBatch {
  condition: StreamFailureCondition;
  /** The mapped function, unqualified. */
  functionArn: string;
  approximateInvokeCount: number;
  lastResponse?: LastResponse;
  batchInfoKey: string;
  shardId: string;
  streamArn: string;
  records: SourceRecord[];
  now: number;
}

/**
 * The OnFailure invocation record of a stream mapping (spec §4.9): which records were given up on
 * and why, never the records themselves. Records dropped before any invocation carry no
 * `responseContext`.
 */
export function streamFailureRecord(batch: FailedBatch): string {
  const first = batch.records[0];
  const last = batch.records[batch.records.length - 1];
  const record: Record<string, unknown> = {
    requestContext: {
      requestId: batch.lastResponse?.invoked.requestId ?? '',
      functionArn: batch.functionArn,
      condition: batch.condition,
      approximateInvokeCount: batch.approximateInvokeCount,
    },
  };
  if (batch.lastResponse) {
    record.responseContext = {
      statusCode: 200,
      executedVersion: batch.lastResponse.invoked.executedVersion,
      ...(batch.lastResponse.functionError ? { functionError: batch.lastResponse.functionError } : {}),
    };
  }
  record.version = '1.0';
  record.timestamp = new Date(batch.now).toISOString();
  record[batch.batchInfoKey] = {
    shardId: batch.shardId,
    startSequenceNumber: first?.sequenceNumber,
    endSequenceNumber: last?.sequenceNumber,
    approximateArrivalOfFirstRecord: first ? new Date(first.arrivalMs).toISOString() : undefined,
    approximateArrivalOfLastRecord: last ? new Date(last.arrivalMs).toISOString() : undefined,
    batchSize: batch.records.length,
    streamArn: batch.streamArn,
  };
  return JSON.stringify(record);
}

/** The record with the whole event added as `payload`, as AWS writes it to an S3 destination. */
export function withEventPayload(record: string, eventJson: string): string {
  return `${record.slice(0, -1)},"payload":${eventJson}}`;
}

/** AWS's key for a failure record in an S3 destination: `aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<UUID>`. */
export function failureObjectKey(mappingUuid: string, shardId: string, nowMs: number): string {
  const iso = new Date(nowMs).toISOString();
  const day = iso.slice(0, 10);
  return `aws/lambda/${mappingUuid}/${shardId}/${day.replaceAll('-', '/')}/${day}T${iso.slice(11, 19).replaceAll(':', '.')}-${randomUUID()}`;
}

/**
 * Hands the record to the OnFailure destination (SQS, SNS, S3) through its service's delivery
 * sink; resolves once the destination accepted it, rejects otherwise (the caller retries). A
 * destination whose service this process does not run is reported as `undeliverable`.
 */
export async function deliverFailureRecord(
  sinks: DeliverySinks,
  destination: string,
  message: { body: string; objectKey?: string },
  sentBy: { sourceArn: string; accountId: string },
): Promise<'delivered' | 'undeliverable'> {
  const sink = sinks.forArn(destination);
  if (!sink) return 'undeliverable';
  await sink.deliver(destination, { ...message, sentBy: { principalService: 'lambda.amazonaws.com', ...sentBy } });
  return 'delivered';
}
