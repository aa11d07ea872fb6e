import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sdk from '@aws-sdk/client-cloudwatch-logs';
import { errors, LOGS_ERRORS } from '../src/services/logs/errors.js';
import { describeCatalogue, modelStatuses, type CatalogueSuite, type Expectation } from './support/error-catalogue.js';

const invalid = 'InvalidParameterException';
const notFound = 'ResourceNotFoundException';
const REQUEST_ID = 'b04848e1-f91e-4ed5-8a00-413d7c60de9e';

// `aws`: AWS's wording, restated from responses the real service returned (no recording of
// CloudWatch Logs is kept in test/fixtures/parity). `lambkin`: no AWS text on record here.
const expectations: Record<keyof typeof errors, Expectation> = {
  groupNotFound: { error: errors.groupNotFound(), code: notFound, message: 'The specified log group does not exist.', source: 'aws' },
  streamNotFound: { error: errors.streamNotFound(), code: notFound, message: 'The specified log stream does not exist.', source: 'aws' },
  groupExists: { error: errors.groupExists(), code: 'ResourceAlreadyExistsException', message: 'The specified log group already exists', source: 'aws' },
  streamExists: { error: errors.streamExists(), code: 'ResourceAlreadyExistsException', message: 'The specified log stream already exists', source: 'aws' },
  nameTooLong: { error: errors.nameTooLong(), code: invalid, message: 'Invalid LogGroup or LogStream, both must have length less than or equal to 512.', source: 'aws' },
  prefixAndPattern: { error: errors.prefixAndPattern(), code: invalid, message: 'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.', source: 'aws' },
  nameAndIdentifier: { error: errors.nameAndIdentifier(), code: 'ValidationException', message: 'LogGroup name and LogGroup ARN are mutually exclusive parameters.', source: 'aws' },
  groupRequired: { error: errors.groupRequired(), code: invalid, message: 'Should provide either a logGroupName or a logGroupIdentifier.', source: 'lambkin' },
  orderByWithPrefix: { error: errors.orderByWithPrefix(), code: invalid, message: 'Cannot order by LastEventTime with a logStreamNamePrefix.', source: 'aws' },
  streamNamesAndPrefix: { error: errors.streamNamesAndPrefix(), code: invalid, message: 'Cannot specify both logStreamNames and logStreamNamePrefix.', source: 'lambkin' },
  invalidNextToken: { error: errors.invalidNextToken(), code: invalid, message: 'The specified nextToken is invalid.', source: 'aws' },
  notChronological: { error: errors.notChronological(), code: invalid, message: 'Log events in a single PutLogEvents request must be in chronological order.', source: 'aws' },
  spanTooLong: { error: errors.spanTooLong(), code: invalid, message: 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.', source: 'aws' },
  batchTooLarge: { error: errors.batchTooLarge(1048600, 1048576), code: invalid, message: 'Upload too large: 1048600 bytes exceeds limit of 1048576', source: 'aws' },
  filterPatternInvalid: { error: errors.filterPatternInvalid('Invalid filter pattern'), code: invalid, message: 'Invalid filter pattern', source: 'caller' },
  invalidMetricValue: { error: errors.invalidMetricValue(), code: invalid, message: 'Invalid metric value', source: 'lambkin' },
  filterNotFound: { error: errors.filterNotFound(), code: notFound, message: 'The specified metric filter does not exist.', source: 'lambkin' },
  subscriptionNotFound: { error: errors.subscriptionNotFound(), code: notFound, message: 'The specified subscription filter does not exist.', source: 'aws' },
  limitExceeded: { error: errors.limitExceeded(), code: 'LimitExceededException', message: 'Resource limit exceeded.', source: 'aws' },
  crossAccountLambda: {
    error: errors.crossAccountLambda(),
    code: 'AccessDeniedException',
    message: 'Cross-account lambda invocation passing is not allowed. You must use DestinationPolicies to create cross account lambda triggers.',
    source: 'aws',
  },
  lambdaNotInvokable: {
    error: errors.lambdaNotInvokable(),
    code: invalid,
    message: 'Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.',
    source: 'aws',
  },
  constraintText: { error: errors.constraintText('destinationArn for vendor kinesis cannot be used without roleArn'), code: invalid, message: 'destinationArn for vendor kinesis cannot be used without roleArn', source: 'caller' },
  unsupportedDestination: {
    error: errors.unsupportedDestination('arn:aws:sqs:us-east-1:000000000000:q'),
    code: invalid,
    message: 'Invalid destination ARN: arn:aws:sqs:us-east-1:000000000000:q. Lambkin delivers subscription filters to Lambda functions only.',
    source: 'lambkin',
  },
  tooManyTags: { error: errors.tooManyTags(), code: 'TooManyTagsException', message: 'A resource can have no more than 50 tags.', source: 'lambkin' },
  invalidResourceArn: { error: errors.invalidResourceArn('arn:x'), code: invalid, message: 'Invalid resource arn: arn:x', source: 'lambkin' },
  queryGroupNotFound: {
    error: errors.queryGroupNotFound('/g', '111111111111', REQUEST_ID),
    code: notFound,
    message: `Log group '/g' does not exist for account ID '111111111111' (Service: AWSLogs; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: ${REQUEST_ID}; Proxy: null)`,
    source: 'aws',
  },
  queryNotRunning: { error: errors.queryNotRunning(), code: invalid, message: 'Query is not running.', source: 'lambkin' },
  queryNotFound: { error: errors.queryNotFound(), code: notFound, message: 'Query does not exist.', source: 'lambkin' },
  queryGroupsRequired: { error: errors.queryGroupsRequired(), code: invalid, message: 'Query must specify log group(s) to run against.', source: 'lambkin' },
  queryGroupsExclusive: { error: errors.queryGroupsExclusive(), code: invalid, message: 'LogGroupName, LogGroupNames and LogGroupIdentifiers are mutually exclusive parameters.', source: 'lambkin' },
  queryEndBeforeStart: { error: errors.queryEndBeforeStart(), code: invalid, message: 'End time should not be before the start time', source: 'lambkin' },
  malformedQuery: { error: errors.malformedQuery('unexpected symbol found x at line 1 and position 1', 0, 1), code: 'MalformedQueryException', message: 'unexpected symbol found x at line 1 and position 1', source: 'caller' },
  constraint: { error: errors.constraint(['a', 'b']), code: invalid, message: '2 validation errors detected: a; b', source: 'caller' },
  serialization: { error: errors.serialization('detail'), code: 'SerializationException', message: 'detail', source: 'caller' },
  unknownOperation: { error: errors.unknownOperation('Nope'), code: 'UnknownOperationException', message: 'Operation Nope is not supported.', source: 'lambkin' },
  requestTooLarge: { error: errors.requestTooLarge(16), code: 'RequestEntityTooLargeException', message: 'Request must be smaller than 16 bytes.', source: 'lambkin' },
};

const suite: CatalogueSuite = {
  service: 'logs',
  catalogue: errors,
  expectations,
  model: modelStatuses(sdk),
  // The awsJson protocol's common errors (AWS API reference, "Common Errors").
  documented: { SerializationException: 400, UnknownOperationException: 400 },
  unlisted: { RequestEntityTooLargeException: { status: 413, reason: 'a request body over the front door limit, refused before any Logs operation runs' } },
};
describeCatalogue(suite);

test('logs code table: every code has the status the model or the common errors give it', () => {
  const model = modelStatuses(sdk);
  for (const [code, status] of Object.entries(LOGS_ERRORS)) assert.equal(status, model.get(code) ?? suite.documented[code], code);
});

test('a malformed query carries where it stopped, as queryCompileError', () => {
  assert.deepEqual(errors.malformedQuery('m', 3, 5).fields, { queryCompileError: { location: { start: 3, end: 5 }, message: 'm' } });
});
