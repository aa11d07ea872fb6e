import { AwsError } from '../../../contracts/aws-error.js';

/**
 * Every error type the DynamoDB Streams API sends, with its HTTP status (the service model gives
 * every client error 400), `message` in the body and `__type` in DynamoDB's namespace.
 */
export const DYNAMODB_STREAMS_ERRORS = {
  ResourceNotFoundException: 400,
  ValidationException: 400,
  ExpiredIteratorException: 400,
  TrimmedDataAccessException: 400,
  LimitExceededException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  InternalServerError: 500,
} as const satisfies Record<string, number>;

export type DynamodbStreamsErrorCode = keyof typeof DYNAMODB_STREAMS_ERRORS;

export function streamsError(code: DynamodbStreamsErrorCode, message: string): AwsError {
  return new AwsError(code, DYNAMODB_STREAMS_ERRORS[code], message, { messageKey: 'message', type: null });
}

const validation = (message: string) => streamsError('ValidationException', message);

export const errors = {
  streamNotFound: (arn: string) => streamsError('ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`),
  shardNotFound: () => streamsError('ResourceNotFoundException', 'Requested resource not found: Shard does not exist'),
  iteratorExpired: () => streamsError('ExpiredIteratorException', 'Shard iterator has expired'),
  trimmed: () => streamsError('TrimmedDataAccessException', 'The data you are trying to access has been trimmed.'),
  invalidIterator: () => validation('Invalid ShardIterator'),
  sequenceNumberRequired: (type: string) => validation(`Must provide SequenceNumber for ShardIteratorType ${type}`),
  sequenceNumberNotAllowed: (type: string) => validation(`Must not provide SequenceNumber for ShardIteratorType ${type}`),
  invalidSequenceNumber: (sequence: string, shardId: string) => validation(`Invalid SequenceNumber ${sequence} for shard ${shardId}`),
  /** AWS's constraint list: `1 validation error detected: …; …`. */
  constraints: (violations: string[]) =>
    validation(`${violations.length} validation error${violations.length === 1 ? '' : 's'} detected: ${violations.join('; ')}`),
  unknownOperation: (operation: string) => streamsError('UnknownOperationException', `Unknown operation ${operation}`),
  serialization: () => streamsError('SerializationException', 'Start of structure or map found where not expected.'),
};
