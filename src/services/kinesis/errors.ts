import { AwsError } from '../../contracts/aws-error.js';
import { MAX_RETENTION_HOURS, MAX_TAGS_PER_STREAM, MIN_RETENTION_HOURS, SHARD_ITERATOR_TTL_MS } from './limits.js';

/**
 * Every error type the Kinesis API sends, with its HTTP status: Kinesis answers every client error
 * with 400 (the service model gives none another status), `message` in the body.
 */
export const KINESIS_ERRORS = {
  ResourceNotFoundException: 400,
  ResourceInUseException: 400,
  InvalidArgumentException: 400,
  LimitExceededException: 400,
  ExpiredIteratorException: 400,
  ExpiredNextTokenException: 400,
  ProvisionedThroughputExceededException: 400,
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  InternalFailure: 500,
} as const satisfies Record<string, number>;

export type KinesisErrorCode = keyof typeof KINESIS_ERRORS;

export function kinesisError(code: KinesisErrorCode, message: string): AwsError {
  return new AwsError(code, KINESIS_ERRORS[code], message, { messageKey: 'message', type: null });
}

const invalid = (message: string) => kinesisError('InvalidArgumentException', message);
const inUse = (message: string) => kinesisError('ResourceInUseException', message);
const notFound = (message: string) => kinesisError('ResourceNotFoundException', message);

/** `Wed Jan 04 05:13:52 UTC 2017`: how the Java service prints a time in its messages. */
export function javaUtcDate(ms: number): string {
  const m = /^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/.exec(new Date(ms).toUTCString());
  return m ? `${m[1]} ${m[3]} ${m[2]} ${m[5]} UTC ${m[4]}` : new Date(ms).toISOString();
}

export const errors = {
  streamNotFound: (name: string, account: string) => notFound(`Stream ${name} under account ${account} not found.`),
  streamExists: (name: string, account: string) => inUse(`Stream ${name} under account ${account} already exists.`),
  streamNotActive: (name: string, account: string, status: string) => inUse(`Stream ${name} under account ${account} not ACTIVE, instead in state ${status}`),
  streamHasConsumers: (name: string, account: string) =>
    inUse(`Stream ${name} under account ${account} has registered consumers. Set EnforceConsumerDeletion to delete it with them.`),
  streamIdentifierRequired: () => invalid('Either StreamName or StreamARN must be provided.'),
  streamArnMismatch: (arn: string, name: string) => invalid(`StreamARN ${arn} does not name stream ${name}.`),
  shardNotFound: (shardId: string, name: string, account: string) => notFound(`Could not find shard ${shardId} in stream ${name} under account ${account}.`),
  shardDoesNotExist: (shardId: string, name: string, account: string) => notFound(`Shard ${shardId} in stream ${name} under account ${account} does not exist`),
  shardClosed: (shardId: string, name: string, account: string) =>
    invalid(`Shard ${shardId} in stream ${name} under account ${account} has already been merged or split, and thus is not eligible for merging or splitting.`),
  shardLimit: (account: string, region: string, current: number, limit: number, additional: number) =>
    kinesisError(
      'LimitExceededException',
      `This request would exceed the shard limit for the account ${account} in ${region}. Current shard count for the account: ${current}. ` +
        `Limit: ${limit}. Number of additional shards that would have resulted from this request: ${additional}. ` +
        'Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.',
    ),
  onDemandStreamLimit: (limit: number) => kinesisError('LimitExceededException', `The account has reached its limit of ${limit} on-demand streams.`),
  shardCountRequired: () => invalid('ShardCount is required for streams in PROVISIONED mode.'),
  shardCountWithOnDemand: () => invalid('ShardCount cannot be specified for streams in ON_DEMAND mode.'),
  onDemandNotSupported: (operation: string) =>
    kinesisError('ValidationException', `${operation} is only supported for data streams with the provisioned capacity mode.`),
  scalingOutOfBounds: (current: number, target: number) =>
    kinesisError(
      'LimitExceededException',
      `UpdateShardCount can scale to between half and double the current open shard count. Current open shard count: ${current}. Target shard count: ${target}.`,
    ),
  invalidNewStartingHashKey: (key: string, shardId: string, name: string, account: string, start: string, end: string) =>
    invalid(
      `NewStartingHashKey ${key} used in SplitShard() on shard ${shardId} in stream ${name} under account ${account} ` +
        `is not both greater than one plus the shard's StartingHashKey ${start} and less than the shard's EndingHashKey ${end}.`,
    ),
  notAdjacent: (a: string, b: string, name: string, account: string) =>
    invalid(`Shards ${a} and ${b} in stream ${name} under account ${account} are not an adjacent pair of shards eligible for merging`),
  retentionTooShort: (hours: number) =>
    invalid(`Minimum allowed retention period is ${MIN_RETENTION_HOURS} hours. Requested retention period (${hours} hours) is too short.`),
  retentionTooLong: (hours: number) =>
    invalid(`Maximum allowed retention period is ${MAX_RETENTION_HOURS} hours. Requested retention period (${hours} hours) is too long.`),
  retentionNotLonger: (hours: number, name: string, current: number) =>
    invalid(
      `Requested retention period (${hours} hours) for stream ${name} can not be shorter than existing retention period (${current} hours). Use DecreaseRetentionPeriod API.`,
    ),
  retentionNotShorter: (hours: number, name: string, current: number) =>
    invalid(
      `Requested retention period (${hours} hours) for stream ${name} can not be longer than existing retention period (${current} hours). Use IncreaseRetentionPeriod API.`,
    ),
  invalidExplicitHashKey: (key: string) =>
    invalid(`Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${key}`),
  invalidSequenceForOrdering: (sequence: string, name: string, account: string) =>
    invalid(`ExclusiveMinimumSequenceNumber ${sequence} used in PutRecord on stream ${name} under account ${account} is invalid.`),
  recordTooLarge: (bytes: number, limit: number) =>
    invalid(`The size of the record (data plus partition key, ${bytes} bytes) exceeds the maximum record size of ${limit} bytes.`),
  recordsTooLarge: () => invalid('Records size exceeds 5 MB limit'),
  sequenceRequired: (type: string) =>
    invalid(
      'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. ' +
        `Request specified ${type} and no StartingSequenceNumber.`,
    ),
  sequenceNotAllowed: (type: string) =>
    invalid(
      'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. ' +
        `Request specified ${type} and also a StartingSequenceNumber.`,
    ),
  invalidStartingSequence: (sequence: string, shardId: string, name: string, account: string) =>
    invalid(`StartingSequenceNumber ${sequence} used in GetShardIterator on shard ${shardId} in stream ${name} under account ${account} is invalid.`),
  sequenceOfOtherShard: (encodedShardId: string, shardId: string) =>
    invalid(`Invalid StartingSequenceNumber. It encodes ${encodedShardId}, while it was used in a call to a shard with ${shardId}`),
  timestampRequired: () =>
    invalid('Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.'),
  timestampInFuture: (timestampMs: number, nowMs: number) =>
    invalid(
      `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${timestampMs}, currentTimestampInMillis: ${nowMs}`,
    ),
  invalidShardIterator: () => invalid('Invalid ShardIterator.'),
  iteratorExpired: (issuedMs: number, nowMs: number) =>
    kinesisError(
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${javaUtcDate(issuedMs)} while right now it is ${javaUtcDate(nowMs)} ` +
        `which is further in the future than the tolerated delay of ${SHARD_ITERATOR_TTL_MS} milliseconds.`,
    ),
  shardThroughput: (shardId: string, name: string, account: string) =>
    kinesisError('ProvisionedThroughputExceededException', `Rate exceeded for shard ${shardId} in stream ${name} under account ${account}.`),
  nextTokenWithStreamName: () => invalid('NextToken and StreamName cannot be provided together.'),
  nextTokenOrStreamName: () => invalid('Either NextToken or StreamName should be provided.'),
  invalidNextToken: () => invalid('Invalid NextToken.'),
  expiredNextToken: () => kinesisError('ExpiredNextTokenException', 'The NextToken has expired.'),
  invalidShardFilter: (reason: string) => invalid(`Invalid ShardFilter. ${reason}`),
  tooManyTags: (name: string, account: string) =>
    invalid(`Failed to add tags to stream ${name} under account ${account} because a given stream cannot have more than ${MAX_TAGS_PER_STREAM} tags associated with it.`),
  invalidTagCharacters: () => invalid('Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.'),
  invalidResourceArn: (arn: string) => invalid(`${arn} is not a valid Kinesis stream or consumer ARN.`),
  consumerNotFound: (consumer: string, stream: string, account: string) =>
    notFound(`Consumer ${consumer} under stream ${stream} under account ${account} not found.`),
  consumerExists: (consumer: string, stream: string, account: string) =>
    inUse(`Consumer ${consumer} under stream ${stream} under account ${account} already exists.`),
  consumerNotActive: (consumer: string, createdAtSeconds: number, stream: string, account: string) =>
    inUse(`Consumer ${consumer} with creation timestamp ${createdAtSeconds} under stream: ${stream} , account ${account} is not in ACTIVE status.`),
  subscriptionExists: (account: string, stream: string, shardId: string, consumer: string) =>
    inUse(`Another active subscription exists for this consumer: ${account}:${stream}:${shardId}:${consumer}`),
  consumerIdentifierRequired: () => invalid('Either ConsumerARN or both StreamARN and ConsumerName must be provided.'),
  tooManyConsumers: (limit: number) => kinesisError('LimitExceededException', `A stream can have at most ${limit} registered consumers.`),
  /** The model's constraint messages, as AWS's request validator words them. */
  constraint: (failures: string[]) =>
    kinesisError('ValidationException', `${failures.length} validation error${failures.length === 1 ? '' : 's'} detected: ${failures.join('; ')}`),
  serialization: (detail: string) => kinesisError('SerializationException', detail),
  unknownOperation: (operation: string) => kinesisError('UnknownOperationException', `Operation ${operation} is not supported.`),
  requestTooLarge: (limit: number) => new AwsError('RequestEntityTooLargeException', 413, `Request must be smaller than ${limit} bytes.`, { type: null }),
  // AWS's text for InternalFailure (API reference, "Common Errors").
  internal: () => kinesisError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.'),
};
