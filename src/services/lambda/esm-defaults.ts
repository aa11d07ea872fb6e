import * as limits from './limits.js';

/** The event sources Lambkin maps today. */
export type SourceKind = 'sqs' | 'kinesis' | 'dynamodb';

/** The source kind of an event source ARN, or null when Lambda does not recognise it. */
export function sourceKindOf(arn: string): SourceKind | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  const resource = parts.slice(5).join(':');
  switch (parts[2]) {
    case 'sqs':
      return resource.length > 0 && !resource.includes('/') ? 'sqs' : null;
    case 'kinesis':
      return resource.startsWith('stream/') ? 'kinesis' : null;
    case 'dynamodb':
      return /^table\/[^/]+\/stream\/.+$/.test(resource) ? 'dynamodb' : null;
    default:
      return null;
  }
}

export function isFifoQueue(arn: string): boolean {
  return arn.endsWith('.fifo');
}

export function isStream(kind: SourceKind): boolean {
  return kind === 'kinesis' || kind === 'dynamodb';
}

/** What AWS fills in on create for each kind (recorded responses). */
export function mappingDefaults(kind: SourceKind): Record<string, unknown> {
  if (kind === 'sqs') {
    return {
      BatchSize: limits.ESM_SQS_BATCH_SIZE_DEFAULT,
      MaximumBatchingWindowInSeconds: 0,
      FunctionResponseTypes: [],
      StateTransitionReason: 'USER_INITIATED',
    };
  }
  return {
    BatchSize: limits.ESM_STREAM_BATCH_SIZE_DEFAULT,
    BisectBatchOnFunctionError: false,
    DestinationConfig: { OnFailure: {} },
    FunctionResponseTypes: [],
    MaximumBatchingWindowInSeconds: 0,
    MaximumRecordAgeInSeconds: -1,
    MaximumRetryAttempts: -1,
    ParallelizationFactor: 1,
    TumblingWindowInSeconds: 0,
    LastProcessingResult: 'No records processed',
    StateTransitionReason: 'User action',
  };
}

/** Request members each kind keeps; the rest belong to other source types and are not stored. */
export const MEMBERS_BY_KIND: Record<SourceKind, readonly string[]> = {
  sqs: ['BatchSize', 'MaximumBatchingWindowInSeconds', 'FilterCriteria', 'FunctionResponseTypes', 'ScalingConfig', 'KMSKeyArn', 'MetricsConfig'],
  kinesis: [
    'BatchSize', 'MaximumBatchingWindowInSeconds', 'FilterCriteria', 'FunctionResponseTypes', 'KMSKeyArn', 'MetricsConfig',
    'StartingPosition', 'StartingPositionTimestamp', 'DestinationConfig', 'BisectBatchOnFunctionError', 'MaximumRecordAgeInSeconds',
    'MaximumRetryAttempts', 'ParallelizationFactor', 'TumblingWindowInSeconds',
  ],
  dynamodb: [
    'BatchSize', 'MaximumBatchingWindowInSeconds', 'FilterCriteria', 'FunctionResponseTypes', 'KMSKeyArn', 'MetricsConfig',
    'StartingPosition', 'DestinationConfig', 'BisectBatchOnFunctionError', 'MaximumRecordAgeInSeconds',
    'MaximumRetryAttempts', 'ParallelizationFactor', 'TumblingWindowInSeconds',
  ],
};
