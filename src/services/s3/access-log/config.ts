/** A bucket's server access logging (PutBucketLogging's LoggingEnabled), as stored on the bucket row. */
export interface LoggingConfig {
  targetBucket: string;
  targetPrefix: string;
  /** TargetObjectKeyFormat: absent or `simple` is SimplePrefix; `partitioned` is PartitionedPrefix. */
  keyFormat?: { kind: 'simple' } | { kind: 'partitioned'; dateSource: 'EventTime' | 'DeliveryTime' };
}

export function parseLoggingConfig(text: string | null): LoggingConfig | undefined {
  return text ? (JSON.parse(text) as LoggingConfig) : undefined;
}
