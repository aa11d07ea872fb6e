import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sdk from '@aws-sdk/client-kinesis';
import { errors, javaUtcDate, KINESIS_ERRORS } from '../src/services/kinesis/errors.js';
import { describeCatalogue, modelStatuses, type CatalogueSuite, type Expectation } from './support/error-catalogue.js';

const A = '123456789012';
const invalid = 'InvalidArgumentException';
const iteratorMessage = 'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. ';

// `aws`: AWS's wording as Kinesis answers (restated from responses of the real service; no recording
// of Kinesis is kept in ../shared/parity). `lambkin`: no AWS text on record here.
const expectations: Record<keyof typeof errors, Expectation> = {
  streamNotFound: { error: errors.streamNotFound('s', A), code: 'ResourceNotFoundException', message: `Stream s under account ${A} not found.`, source: 'aws' },
  streamExists: { error: errors.streamExists('s', A), code: 'ResourceInUseException', message: `Stream s under account ${A} already exists.`, source: 'aws' },
  streamNotActive: { error: errors.streamNotActive('s', A, 'UPDATING'), code: 'ResourceInUseException', message: `Stream s under account ${A} not ACTIVE, instead in state UPDATING`, source: 'aws' },
  streamHasConsumers: {
    error: errors.streamHasConsumers('s', A),
    code: 'ResourceInUseException',
    message: `Stream s under account ${A} has registered consumers. Set EnforceConsumerDeletion to delete it with them.`,
    source: 'lambkin',
  },
  streamIdentifierRequired: { error: errors.streamIdentifierRequired(), code: invalid, message: 'Either StreamName or StreamARN must be provided.', source: 'lambkin' },
  streamArnMismatch: { error: errors.streamArnMismatch('arn', 's'), code: invalid, message: 'StreamARN arn does not name stream s.', source: 'lambkin' },
  shardNotFound: { error: errors.shardNotFound('shardId-000000000001', 's', A), code: 'ResourceNotFoundException', message: `Could not find shard shardId-000000000001 in stream s under account ${A}.`, source: 'aws' },
  shardDoesNotExist: { error: errors.shardDoesNotExist('shardId-000000000001', 's', A), code: 'ResourceNotFoundException', message: `Shard shardId-000000000001 in stream s under account ${A} does not exist`, source: 'aws' },
  shardClosed: {
    error: errors.shardClosed('shardId-000000000000', 's', A),
    code: invalid,
    message: `Shard shardId-000000000000 in stream s under account ${A} has already been merged or split, and thus is not eligible for merging or splitting.`,
    source: 'aws',
  },
  shardLimit: {
    error: errors.shardLimit(A, 'us-east-1', 499, 500, 2),
    code: 'LimitExceededException',
    message:
      `This request would exceed the shard limit for the account ${A} in us-east-1. Current shard count for the account: 499. Limit: 500. ` +
      'Number of additional shards that would have resulted from this request: 2. Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.',
    source: 'aws',
  },
  onDemandStreamLimit: { error: errors.onDemandStreamLimit(50), code: 'LimitExceededException', message: 'The account has reached its limit of 50 on-demand streams.', source: 'lambkin' },
  shardCountRequired: { error: errors.shardCountRequired(), code: invalid, message: 'ShardCount is required for streams in PROVISIONED mode.', source: 'lambkin' },
  shardCountWithOnDemand: { error: errors.shardCountWithOnDemand(), code: invalid, message: 'ShardCount cannot be specified for streams in ON_DEMAND mode.', source: 'lambkin' },
  onDemandNotSupported: { error: errors.onDemandNotSupported('SplitShard'), code: 'ValidationException', message: 'SplitShard is only supported for data streams with the provisioned capacity mode.', source: 'lambkin' },
  scalingOutOfBounds: {
    error: errors.scalingOutOfBounds(2, 5),
    code: 'LimitExceededException',
    message: 'UpdateShardCount can scale to between half and double the current open shard count. Current open shard count: 2. Target shard count: 5.',
    source: 'lambkin',
  },
  invalidNewStartingHashKey: {
    error: errors.invalidNewStartingHashKey('1', 'shardId-000000000000', 's', A, '0', '9'),
    code: invalid,
    message: `NewStartingHashKey 1 used in SplitShard() on shard shardId-000000000000 in stream s under account ${A} is not both greater than one plus the shard's StartingHashKey 0 and less than the shard's EndingHashKey 9.`,
    source: 'aws',
  },
  notAdjacent: {
    error: errors.notAdjacent('shardId-000000000000', 'shardId-000000000002', 's', A),
    code: invalid,
    message: `Shards shardId-000000000000 and shardId-000000000002 in stream s under account ${A} are not an adjacent pair of shards eligible for merging`,
    source: 'aws',
  },
  retentionTooShort: { error: errors.retentionTooShort(1), code: invalid, message: 'Minimum allowed retention period is 24 hours. Requested retention period (1 hours) is too short.', source: 'aws' },
  retentionTooLong: { error: errors.retentionTooLong(9000), code: invalid, message: 'Maximum allowed retention period is 8760 hours. Requested retention period (9000 hours) is too long.', source: 'aws' },
  retentionNotLonger: {
    error: errors.retentionNotLonger(24, 's', 48),
    code: invalid,
    message: 'Requested retention period (24 hours) for stream s can not be shorter than existing retention period (48 hours). Use DecreaseRetentionPeriod API.',
    source: 'aws',
  },
  retentionNotShorter: {
    error: errors.retentionNotShorter(96, 's', 48),
    code: invalid,
    message: 'Requested retention period (96 hours) for stream s can not be longer than existing retention period (48 hours). Use IncreaseRetentionPeriod API.',
    source: 'aws',
  },
  invalidExplicitHashKey: { error: errors.invalidExplicitHashKey('-1'), code: invalid, message: 'Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was -1', source: 'aws' },
  invalidSequenceForOrdering: { error: errors.invalidSequenceForOrdering('1', 's', A), code: invalid, message: `ExclusiveMinimumSequenceNumber 1 used in PutRecord on stream s under account ${A} is invalid.`, source: 'aws' },
  recordTooLarge: { error: errors.recordTooLarge(1048577, 1048576), code: invalid, message: 'The size of the record (data plus partition key, 1048577 bytes) exceeds the maximum record size of 1048576 bytes.', source: 'lambkin' },
  recordsTooLarge: { error: errors.recordsTooLarge(), code: invalid, message: 'Records size exceeds 5 MB limit', source: 'aws' },
  sequenceRequired: { error: errors.sequenceRequired('AT_SEQUENCE_NUMBER'), code: invalid, message: `${iteratorMessage}Request specified AT_SEQUENCE_NUMBER and no StartingSequenceNumber.`, source: 'aws' },
  sequenceNotAllowed: { error: errors.sequenceNotAllowed('LATEST'), code: invalid, message: `${iteratorMessage}Request specified LATEST and also a StartingSequenceNumber.`, source: 'aws' },
  invalidStartingSequence: {
    error: errors.invalidStartingSequence('1', 'shardId-000000000000', 's', A),
    code: invalid,
    message: `StartingSequenceNumber 1 used in GetShardIterator on shard shardId-000000000000 in stream s under account ${A} is invalid.`,
    source: 'aws',
  },
  sequenceOfOtherShard: {
    error: errors.sequenceOfOtherShard('shardId-000000000001', 'shardId-000000000000'),
    code: invalid,
    message: 'Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a call to a shard with shardId-000000000000',
    source: 'aws',
  },
  timestampRequired: { error: errors.timestampRequired(), code: invalid, message: 'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.', source: 'aws' },
  timestampInFuture: {
    error: errors.timestampInFuture(2000, 1000),
    code: invalid,
    message: 'The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: 2000, currentTimestampInMillis: 1000',
    source: 'aws',
  },
  invalidShardIterator: { error: errors.invalidShardIterator(), code: invalid, message: 'Invalid ShardIterator.', source: 'aws' },
  iteratorExpired: {
    error: errors.iteratorExpired(Date.UTC(2017, 0, 4, 5, 13, 52), Date.UTC(2017, 0, 4, 5, 19, 1)),
    code: 'ExpiredIteratorException',
    message: 'Iterator expired. The iterator was created at time Wed Jan 04 05:13:52 UTC 2017 while right now it is Wed Jan 04 05:19:01 UTC 2017 which is further in the future than the tolerated delay of 300000 milliseconds.',
    source: 'aws',
  },
  shardThroughput: { error: errors.shardThroughput('shardId-000000000000', 's', A), code: 'ProvisionedThroughputExceededException', message: `Rate exceeded for shard shardId-000000000000 in stream s under account ${A}.`, source: 'aws' },
  nextTokenWithStreamName: { error: errors.nextTokenWithStreamName(), code: invalid, message: 'NextToken and StreamName cannot be provided together.', source: 'aws' },
  nextTokenOrStreamName: { error: errors.nextTokenOrStreamName(), code: invalid, message: 'Either NextToken or StreamName should be provided.', source: 'aws' },
  invalidNextToken: { error: errors.invalidNextToken(), code: invalid, message: 'Invalid NextToken.', source: 'lambkin' },
  expiredNextToken: { error: errors.expiredNextToken(), code: 'ExpiredNextTokenException', message: 'The NextToken has expired.', source: 'lambkin' },
  invalidShardFilter: { error: errors.invalidShardFilter('detail'), code: invalid, message: 'Invalid ShardFilter. detail', source: 'caller' },
  tooManyTags: {
    error: errors.tooManyTags('s', A),
    code: invalid,
    message: `Failed to add tags to stream s under account ${A} because a given stream cannot have more than 50 tags associated with it.`,
    source: 'aws',
  },
  invalidTagCharacters: { error: errors.invalidTagCharacters(), code: invalid, message: 'Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.', source: 'aws' },
  invalidResourceArn: { error: errors.invalidResourceArn('x'), code: invalid, message: 'x is not a valid Kinesis stream or consumer ARN.', source: 'lambkin' },
  consumerNotFound: { error: errors.consumerNotFound('c', 's', A), code: 'ResourceNotFoundException', message: `Consumer c under stream s under account ${A} not found.`, source: 'lambkin' },
  consumerExists: { error: errors.consumerExists('c', 's', A), code: 'ResourceInUseException', message: `Consumer c under stream s under account ${A} already exists.`, source: 'lambkin' },
  consumerNotActive: {
    error: errors.consumerNotActive('c', 1731291806, 's', A),
    code: 'ResourceInUseException',
    message: `Consumer c with creation timestamp 1731291806 under stream: s , account ${A} is not in ACTIVE status.`,
    source: 'aws',
  },
  subscriptionExists: {
    error: errors.subscriptionExists(A, 's', 'shardId-000000000007', 'c'),
    code: 'ResourceInUseException',
    message: `Another active subscription exists for this consumer: ${A}:s:shardId-000000000007:c`,
    source: 'aws',
  },
  consumerIdentifierRequired: { error: errors.consumerIdentifierRequired(), code: invalid, message: 'Either ConsumerARN or both StreamARN and ConsumerName must be provided.', source: 'lambkin' },
  tooManyConsumers: { error: errors.tooManyConsumers(20), code: 'LimitExceededException', message: 'A stream can have at most 20 registered consumers.', source: 'lambkin' },
  constraint: { error: errors.constraint(['a', 'b']), code: 'ValidationException', message: '2 validation errors detected: a; b', source: 'caller' },
  serialization: { error: errors.serialization('detail'), code: 'SerializationException', message: 'detail', source: 'caller' },
  unknownOperation: { error: errors.unknownOperation('Nope'), code: 'UnknownOperationException', message: 'Operation Nope is not supported.', source: 'lambkin' },
  requestTooLarge: { error: errors.requestTooLarge(16), code: 'RequestEntityTooLargeException', message: 'Request must be smaller than 16 bytes.', source: 'lambkin' },
  internal: { error: errors.internal(), code: 'InternalFailure', message: 'The request processing has failed because of an unknown error, exception or failure.', source: 'aws' },
};

const suite: CatalogueSuite = {
  service: 'kinesis',
  catalogue: errors,
  expectations,
  model: modelStatuses(sdk),
  // The awsJson protocol's common errors (AWS API reference, "Common Errors").
  documented: { SerializationException: 400, UnknownOperationException: 400, InternalFailure: 500 },
  unlisted: { RequestEntityTooLargeException: { status: 413, reason: 'a request body over the front door limit, refused before any Kinesis operation runs' } },
};
describeCatalogue(suite);

test('kinesis code table: every code has the status the model or the common errors give it', () => {
  const model = modelStatuses(sdk);
  for (const [code, status] of Object.entries(KINESIS_ERRORS)) assert.equal(status, model.get(code) ?? suite.documented[code], code);
});

test('times in messages are printed as the Java service prints them', () => {
  assert.equal(javaUtcDate(Date.UTC(2015, 0, 22, 1, 22, 2)), 'Thu Jan 22 01:22:02 UTC 2015');
});
