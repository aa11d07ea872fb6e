import type { PollingMapping } from '../../services/lambda/polling-mappings.js';
import type { StreamEventFormat } from './stream-event-format.js';
import type { StreamSource } from './stream-source.js';

/**
 * One kind of stream a mapping can read: the ARN service its mappings name, the event format, and
 * where a mapping reads (the embedded service, or a remote endpoint named by the mapping's tag).
 */
export interface StreamKind {
  /** The ARN service of its event sources: `kinesis`, `dynamodb`. */
  service: string;
  format: StreamEventFormat;
  /** The stream a mapping's EventSourceArn reads. */
  streamArnOf(eventSourceArn: string): string;
  /** The source a mapping reads; `endpoint` is set when the mapping is tagged with a remote endpoint. */
  sourceFor(streamArn: string, endpoint: string | undefined): StreamSource;
}

/** A mapping's `StartingPosition` as read positions: LATEST means "after what existed at creation". */
export function startingPositionOf(polling: PollingMapping): { type: 'TRIM_HORIZON' } | { type: 'AT_TIMESTAMP'; timestampMs: number } {
  const { mapping } = polling;
  if (mapping.StartingPosition === 'TRIM_HORIZON') return { type: 'TRIM_HORIZON' };
  if (mapping.StartingPosition === 'AT_TIMESTAMP') return { type: 'AT_TIMESTAMP', timestampMs: Number(mapping.StartingPositionTimestamp ?? 0) * 1000 };
  // LATEST is the position when the mapping was created, stored: records put after that but before
  // the poller first reads (a restart in between, a slow start) are not lost.
  return { type: 'AT_TIMESTAMP', timestampMs: polling.createdAt };
}
