/**
 * A stored event's id, 56 decimal digits as AWS's: its timestamp, the batch it was written in and
 * its index there. Ids sort as the events do (time, then write order), so paging tokens are ids.
 */
export function logEventId(timestamp: number, batchId: number, index: number): string {
  return String(timestamp).padStart(16, '0') + String(batchId).padStart(24, '0') + String(index).padStart(16, '0');
}

export function isLogEventId(value: string): boolean {
  return /^\d{56}$/.test(value);
}

/** The timestamp an id starts with. */
export function logEventIdTime(id: string): number {
  return Number(id.slice(0, 16));
}
