import type { AccessLogEntry } from './record-line.js';

/**
 * What the request path needs of server access logging: note one request against its bucket.
 * delivery.ts implements it; deps.ts names only this, so the request path and the delivery
 * (which writes log objects through the request path's own writer) do not import each other.
 */
export interface AccessLogSink {
  note(bucket: string, entry: Omit<AccessLogEntry, 'bucketOwnerAccount' | 'bucket'>): Promise<void>;
}
