import { AwsError } from '../../contracts/aws-error.js';

/**
 * Every error SQS sends: the JSON shape name (`__type` = `com.amazonaws.sqs#<Code>`), the query
 * protocol code AWS puts in `x-amzn-query-error` (and in query `<Code>`), and the HTTP status.
 */
interface ErrorSpec {
  queryCode: string;
  status: number;
}

export const SQS_ERRORS = {
  QueueDoesNotExist: { queryCode: 'AWS.SimpleQueueService.NonExistentQueue', status: 400 },
  QueueNameExists: { queryCode: 'QueueAlreadyExists', status: 400 },
  QueueDeletedRecently: { queryCode: 'AWS.SimpleQueueService.QueueDeletedRecently', status: 400 },
  InvalidAttributeName: { queryCode: 'InvalidAttributeName', status: 400 },
  InvalidAttributeValue: { queryCode: 'InvalidAttributeValue', status: 400 },
  InvalidParameterValue: { queryCode: 'InvalidParameterValue', status: 400 },
  MissingParameter: { queryCode: 'MissingParameter', status: 400 },
  InvalidAction: { queryCode: 'InvalidAction', status: 400 },
  MalformedInput: { queryCode: 'MalformedInput', status: 400 },
  ReceiptHandleIsInvalid: { queryCode: 'ReceiptHandleIsInvalid', status: 400 },
  MessageNotInflight: { queryCode: 'AWS.SimpleQueueService.MessageNotInflight', status: 400 },
  InvalidMessageContents: { queryCode: 'InvalidMessageContents', status: 400 },
  EmptyBatchRequest: { queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400 },
  TooManyEntriesInBatchRequest: { queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', status: 400 },
  BatchEntryIdsNotDistinct: { queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', status: 400 },
  InvalidBatchEntryId: { queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId', status: 400 },
  BatchRequestTooLong: { queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong', status: 400 },
  PurgeQueueInProgress: { queryCode: 'AWS.SimpleQueueService.PurgeQueueInProgress', status: 403 },
  OverLimit: { queryCode: 'OverLimit', status: 403 },
  AccessDenied: { queryCode: 'AccessDenied', status: 403 },
  UnsupportedOperation: { queryCode: 'AWS.SimpleQueueService.UnsupportedOperation', status: 400 },
  ResourceNotFoundException: { queryCode: 'ResourceNotFoundException', status: 404 },
  RequestEntityTooLarge: { queryCode: 'RequestEntityTooLarge', status: 413 },
  InternalFailure: { queryCode: 'InternalFailure', status: 500 },
  ServiceUnavailable: { queryCode: 'ServiceUnavailable', status: 503 },
} as const satisfies Record<string, ErrorSpec>;

export type SqsErrorCode = keyof typeof SQS_ERRORS;

export function sqsError(code: SqsErrorCode, message: string): AwsError {
  const spec: ErrorSpec = SQS_ERRORS[code];
  const fault = spec.status >= 500 ? 'Receiver' : 'Sender';
  return new AwsError(code, spec.status, message, { headers: { 'x-amzn-query-error': `${spec.queryCode};${fault}` } });
}

const invalid = (message: string) => sqsError('InvalidParameterValue', message);

/** Message templates as AWS spells them. */
export const errors = {
  /** A queue policy that does not allow another account or a service (AWS names the queue by its URL). */
  accessDenied: (queueUrl: string) => sqsError('AccessDenied', `Access to the resource ${queueUrl} is denied.`),
  queueDoesNotExist: () => sqsError('QueueDoesNotExist', 'The specified queue does not exist.'),
  queueNameExists: (attribute: string) =>
    sqsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${attribute}`),
  unknownAttribute: (name: string) => sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`),
  invalidAttributeValue: (name: string) => sqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`),
  invalidAttributeValueReason: (name: string, reason: string) =>
    sqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}. Reason: ${reason}`),
  missingParameter: (name: string) => sqsError('MissingParameter', `The request must contain the parameter ${name}.`),
  invalidAction: (action: string) => sqsError('InvalidAction', `The action ${action} is not valid for this endpoint.`),
  malformedInput: (detail: string) => sqsError('MalformedInput', `Unable to parse request body: ${detail}`),
  invalidQueueName: () => invalid('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length'),
  invalidFifoQueueName: () =>
    invalid(
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    ),
  invalidParameter: (name: string, value: unknown, reason: string) =>
    invalid(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`),
  messageTooLong: (limit: number) => invalid(`One or more parameters are invalid. Reason: Message must be shorter than ${limit} bytes.`),
  emptyBody: () => sqsError('MissingParameter', 'The request must contain the parameter MessageBody.'),
  invalidMessageContents: () =>
    sqsError(
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    ),
  messageAttribute: (reason: string) => invalid(reason),
  fifoNeedsGroupId: () => sqsError('MissingParameter', 'The request must contain the parameter MessageGroupId.'),
  fifoNeedsDedup: () =>
    invalid('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly'),
  fifoOnlyParameter: (name: string) => invalid(`The request include parameter ${name} that is not valid for this queue type`),
  fifoDelayPerMessage: (value: number) =>
    invalid(`Value ${value} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`),
  receiptHandleInvalid: (handle: string) => sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`),
  receiptHandleExpired: (handle: string) =>
    invalid(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`),
  messageNotInflight: (handle: string) =>
    invalid(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`),
  emptyBatch: (entryShape: string) => sqsError('EmptyBatchRequest', `There should be at least one ${entryShape} in the request.`),
  tooManyEntries: (count: number) =>
    sqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${count}.`),
  idsNotDistinct: (id: string) => sqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`),
  invalidBatchEntryId: () =>
    sqsError(
      'InvalidBatchEntryId',
      'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
    ),
  batchTooLong: (limit: number, sent: number) =>
    sqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${limit} bytes. You have sent ${sent} bytes.`),
  purgeInProgress: (name: string) => sqsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`),
  tooManyTags: () => invalid('Too many tags added for queue'),
  redrivePolicy: (value: string, reason: string) => invalid(`Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`),
  notADeadLetterQueue: () => invalid('Source queue must be configured as a Dead Letter Queue.'),
  moveTaskRunning: () => sqsError('UnsupportedOperation', 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.'),
  moveTaskNotFound: () => sqsError('ResourceNotFoundException', 'Task does not exist.'),
  moveSourceMissing: () => sqsError('ResourceNotFoundException', 'The resource that you specified for the SourceArn parameter doesn\'t exist.'),
  moveTaskHandleInvalid: () => invalid('Value for parameter TaskHandle is invalid.'),
  requestTooLarge: () => sqsError('RequestEntityTooLarge', 'Request entity too large.'),
  internal: () => sqsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.'),
  // AWS's common error (API reference, "Common Errors"); SDKs retry it. Sent while a queue's
  // cluster node is being replaced.
  unavailable: () => sqsError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.'),
};
