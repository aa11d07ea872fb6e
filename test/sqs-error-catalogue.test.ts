import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sdk from '@aws-sdk/client-sqs';
import { errors, SQS_ERRORS, sqsError, type SqsErrorCode } from '../src/services/sqs/errors.js';
import { describeCatalogue, modelQueryCodes, modelStatuses, recordedQuotedErrors, type CatalogueSuite, type Expectation } from './support/error-catalogue.js';

const handle = 'AQEBexample';
const invalid = 'InvalidParameterValue';

const expectations: Record<keyof typeof errors, Expectation> = {
  accessDenied: {
    error: errors.accessDenied('https://sqs.us-east-1.amazonaws.com/111111111111/q'),
    code: 'AccessDenied',
    message: 'Access to the resource https://sqs.us-east-1.amazonaws.com/111111111111/q is denied.',
    source: 'aws',
  },
  queueDoesNotExist: { error: errors.queueDoesNotExist(), code: 'QueueDoesNotExist', message: 'The specified queue does not exist.', source: 'recorded' },
  queueNameExists: {
    error: errors.queueNameExists('VisibilityTimeout'),
    code: 'QueueNameExists',
    message: 'A queue already exists with the same name and a different value for attribute VisibilityTimeout',
    source: 'aws',
  },
  unknownAttribute: { error: errors.unknownAttribute('Bogus'), code: 'InvalidAttributeName', message: 'Unknown Attribute Bogus.', source: 'aws' },
  invalidAttributeValue: {
    error: errors.invalidAttributeValue('DelaySeconds'),
    code: 'InvalidAttributeValue',
    message: 'Invalid value for the parameter DelaySeconds.',
    source: 'aws',
  },
  invalidAttributeValueReason: {
    error: errors.invalidAttributeValueReason('Policy', 'detail'),
    code: 'InvalidAttributeValue',
    message: 'Invalid value for the parameter Policy. Reason: detail',
    source: 'caller',
  },
  missingParameter: { error: errors.missingParameter('QueueUrl'), code: 'MissingParameter', message: 'The request must contain the parameter QueueUrl.', source: 'aws' },
  invalidAction: { error: errors.invalidAction('Nope'), code: 'InvalidAction', message: 'The action Nope is not valid for this endpoint.', source: 'aws' },
  malformedInput: { error: errors.malformedInput('detail'), code: 'MalformedInput', message: 'Unable to parse request body: detail', source: 'caller' },
  invalidQueueName: {
    error: errors.invalidQueueName(),
    code: invalid,
    message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    source: 'aws',
  },
  invalidFifoQueueName: {
    error: errors.invalidFifoQueueName(),
    code: invalid,
    message:
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    source: 'aws',
  },
  invalidParameter: {
    error: errors.invalidParameter('MaxNumberOfMessages', 11, 'detail'),
    code: invalid,
    message: 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: detail',
    source: 'caller',
  },
  messageTooLong: {
    error: errors.messageTooLong(1048576),
    code: invalid,
    message: 'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
    source: 'aws',
  },
  emptyBody: { error: errors.emptyBody(), code: 'MissingParameter', message: 'The request must contain the parameter MessageBody.', source: 'aws' },
  invalidMessageContents: {
    error: errors.invalidMessageContents(),
    code: 'InvalidMessageContents',
    message: 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    source: 'aws',
  },
  messageAttribute: { error: errors.messageAttribute('detail'), code: invalid, message: 'detail', source: 'caller' },
  fifoNeedsGroupId: { error: errors.fifoNeedsGroupId(), code: 'MissingParameter', message: 'The request must contain the parameter MessageGroupId.', source: 'aws' },
  fifoNeedsDedup: {
    error: errors.fifoNeedsDedup(),
    code: invalid,
    message: 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    source: 'aws',
  },
  fifoOnlyParameter: {
    error: errors.fifoOnlyParameter('MessageGroupId'),
    code: invalid,
    message: 'The request include parameter MessageGroupId that is not valid for this queue type',
    source: 'aws',
  },
  fifoDelayPerMessage: {
    error: errors.fifoDelayPerMessage(5),
    code: invalid,
    message: 'Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
    source: 'aws',
  },
  receiptHandleInvalid: {
    error: errors.receiptHandleInvalid('nope'),
    code: 'ReceiptHandleIsInvalid',
    message: 'The input receipt handle "nope" is not a valid receipt handle.',
    source: 'aws',
  },
  receiptHandleExpired: {
    error: errors.receiptHandleExpired(handle),
    code: invalid,
    message: `Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
    source: 'aws',
  },
  messageNotInflight: {
    error: errors.messageNotInflight(handle),
    code: invalid,
    message: `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    source: 'aws',
  },
  emptyBatch: {
    error: errors.emptyBatch('SendMessageBatchRequestEntry'),
    code: 'EmptyBatchRequest',
    message: 'There should be at least one SendMessageBatchRequestEntry in the request.',
    source: 'aws',
  },
  tooManyEntries: {
    error: errors.tooManyEntries(11),
    code: 'TooManyEntriesInBatchRequest',
    message: 'Maximum number of entries per request are 10. You have sent 11.',
    source: 'aws',
  },
  idsNotDistinct: { error: errors.idsNotDistinct('m1'), code: 'BatchEntryIdsNotDistinct', message: 'Id m1 repeated.', source: 'aws' },
  invalidBatchEntryId: {
    error: errors.invalidBatchEntryId(),
    code: 'InvalidBatchEntryId',
    message: 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
    source: 'aws',
  },
  batchTooLong: {
    error: errors.batchTooLong(1048576, 1048577),
    code: 'BatchRequestTooLong',
    message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.',
    source: 'aws',
  },
  purgeInProgress: {
    error: errors.purgeInProgress('q'),
    code: 'PurgeQueueInProgress',
    message: 'Only one PurgeQueue operation on q is allowed every 60 seconds.',
    source: 'aws',
  },
  tooManyTags: { error: errors.tooManyTags(), code: invalid, message: 'Too many tags added for queue', source: 'aws' },
  redrivePolicy: {
    error: errors.redrivePolicy('{}', 'detail'),
    code: invalid,
    message: 'Value {} for parameter RedrivePolicy is invalid. Reason: detail',
    source: 'caller',
  },
  notADeadLetterQueue: { error: errors.notADeadLetterQueue(), code: invalid, message: 'Source queue must be configured as a Dead Letter Queue.', source: 'aws' },
  moveTaskRunning: {
    error: errors.moveTaskRunning(),
    code: 'UnsupportedOperation',
    message: 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    source: 'aws',
  },
  moveTaskNotFound: { error: errors.moveTaskNotFound(), code: 'ResourceNotFoundException', message: 'Task does not exist.', source: 'aws' },
  moveSourceMissing: {
    error: errors.moveSourceMissing(),
    code: 'ResourceNotFoundException',
    message: "The resource that you specified for the SourceArn parameter doesn't exist.",
    source: 'aws',
  },
  moveTaskHandleInvalid: { error: errors.moveTaskHandleInvalid(), code: invalid, message: 'Value for parameter TaskHandle is invalid.', source: 'aws' },
  requestTooLarge: { error: errors.requestTooLarge(), code: 'RequestEntityTooLarge', message: 'Request entity too large.', source: 'lambkin' },
  // AWS's text for InternalFailure (API reference, "Common Errors").
  internal: {
    error: errors.internal(),
    code: 'InternalFailure',
    message: 'The request processing has failed because of an unknown error, exception or failure.',
    source: 'aws',
  },
  // AWS's text for ServiceUnavailable (API reference, "Common Errors").
  unavailable: {
    error: errors.unavailable(),
    code: 'ServiceUnavailable',
    message: 'The request has failed due to a temporary failure of the server.',
    source: 'aws',
  },
};

const model = modelStatuses(sdk);
const queryCodes = modelQueryCodes(sdk);
// Lambda's recordings quote SQS errors by their query code; the catalogue names them by shape.
const quoted = recordedQuotedErrors('SQS');
const recorded = new Map(Object.entries(SQS_ERRORS).map(([code, spec]) => [code, quoted.get(spec.queryCode) ?? new Set<string>()]));

const suite: CatalogueSuite = {
  service: 'sqs',
  catalogue: errors,
  expectations,
  model,
  // The query API's common errors (AWS API reference, "Common Errors").
  documented: { InvalidParameterValue: 400, MissingParameter: 400, InvalidAction: 400, InternalFailure: 500, ServiceUnavailable: 503 },
  differences: {
    ReceiptHandleIsInvalid: { status: 400, reason: 'the model gives 404; Lambkin answers 400, as test/sqs-api.test.ts asserts, and no recording here settles it' },
  },
  unlisted: {
    AccessDenied: { status: 403, reason: "a queue policy that does not allow another account's call (the query protocol's AccessDenied, 403)" },
    MalformedInput: { status: 400, reason: 'a JSON-protocol body that does not parse' },
    RequestEntityTooLarge: { status: 413, reason: 'a request body over the front door limit, refused before any SQS operation runs' },
  },
  recorded,
};
describeCatalogue(suite);

test('sqs code table: each code has the AWS status and query-protocol code, sent in x-amzn-query-error', () => {
  for (const [code, spec] of Object.entries(SQS_ERRORS)) {
    const aws = model.get(code) ?? suite.documented[code] ?? suite.unlisted?.[code]?.status;
    assert.ok(aws !== undefined, `${code} has no AWS status on record`);
    assert.equal(spec.status, suite.differences?.[code]?.status ?? aws, code);
    assert.equal(spec.queryCode, queryCodes.get(code) ?? code, `${code}: the model's query code`);
    const error = sqsError(code as SqsErrorCode, 'm');
    assert.equal(error.headers['x-amzn-query-error'], `${spec.queryCode};${spec.status >= 500 ? 'Receiver' : 'Sender'}`);
  }
});
