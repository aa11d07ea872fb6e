import type { Grant } from '../access/acl.js';

/** A bucket's server access logging (PutBucketLogging's LoggingEnabled), as stored on the bucket row. */
export interface LoggingConfig {
  targetBucket: string;
  targetPrefix: string;
  /** TargetObjectKeyFormat: absent or `simple` is SimplePrefix; `partitioned` is PartitionedPrefix. */
  keyFormat?: { kind: 'simple' } | { kind: 'partitioned'; dateSource: 'EventTime' | 'DeliveryTime' };
  /** TargetGrants: what log objects grant beyond the owner's FULL_CONTROL (a target whose ACLs are on only). */
  targetGrants?: Grant[];
}

export function parseLoggingConfig(text: string | null): LoggingConfig | undefined {
  return text ? (JSON.parse(text) as LoggingConfig) : undefined;
}
