import type { LastResponse, QueuedEvent } from '../store/queue/async-event-queue.js';

export type FailureCondition = 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency';
export type RecordCondition = 'Success' | FailureCondition;

/** The version-1.0 invocation record destinations receive (spec §4.9). */
export interface InvocationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: RecordCondition; approximateInvokeCount: number };
  requestPayload: unknown;
  responseContext?: { statusCode: number; executedVersion?: string; functionError?: string };
  responsePayload?: unknown;
}

export function invocationRecord(event: QueuedEvent, functionArn: string, condition: RecordCondition, response: LastResponse | null, nowMs: number): InvocationRecord {
  const record: InvocationRecord = {
    version: '1.0',
    timestamp: new Date(nowMs).toISOString(),
    requestContext: { requestId: event.requestId, functionArn, condition, approximateInvokeCount: event.invokeCount },
    requestPayload: parseJson(event.payload.toString('utf8')),
  };
  if (response) {
    record.responseContext = {
      statusCode: response.statusCode,
      ...(response.executedVersion ? { executedVersion: response.executedVersion } : {}),
      ...(response.functionError ? { functionError: response.functionError } : {}),
    };
    if (response.payload !== undefined) record.responsePayload = parseJson(response.payload);
  }
  return record;
}

/** A function may return any bytes; JSON is embedded as JSON, anything else as a string. */
function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
