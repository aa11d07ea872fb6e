import { AwsError } from '../../contracts/aws-error.js';

/**
 * Every error type the CloudWatch Logs API sends: all client errors are 400, with `message` in
 * the body (`__type` the bare code). Texts as AWS words them (recorded responses).
 */
export const LOGS_ERRORS = {
  InvalidParameterException: 400,
  ResourceNotFoundException: 400,
  ResourceAlreadyExistsException: 400,
  LimitExceededException: 400,
  MalformedQueryException: 400,
  OperationAbortedException: 400,
  InvalidOperationException: 400,
  TooManyTagsException: 400,
  ValidationException: 400,
  AccessDeniedException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  ServiceUnavailableException: 500,
} as const satisfies Record<string, number>;

export type LogsErrorCode = keyof typeof LOGS_ERRORS;

export function logsError(code: LogsErrorCode, message: string, fields?: Record<string, unknown>): AwsError {
  return new AwsError(code, LOGS_ERRORS[code], message, { messageKey: 'message', type: null, fields });
}

const invalid = (message: string) => logsError('InvalidParameterException', message);

export const errors = {
  groupNotFound: () => logsError('ResourceNotFoundException', 'The specified log group does not exist.'),
  streamNotFound: () => logsError('ResourceNotFoundException', 'The specified log stream does not exist.'),
  groupExists: () => logsError('ResourceAlreadyExistsException', 'The specified log group already exists'),
  streamExists: () => logsError('ResourceAlreadyExistsException', 'The specified log stream already exists'),
  nameTooLong: () => invalid('Invalid LogGroup or LogStream, both must have length less than or equal to 512.'),
  prefixAndPattern: () => invalid('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.'),
  nameAndIdentifier: () => logsError('ValidationException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.'),
  groupRequired: () => invalid('Should provide either a logGroupName or a logGroupIdentifier.'),
  orderByWithPrefix: () => invalid('Cannot order by LastEventTime with a logStreamNamePrefix.'),
  streamNamesAndPrefix: () => invalid('Cannot specify both logStreamNames and logStreamNamePrefix.'),
  invalidNextToken: () => invalid('The specified nextToken is invalid.'),
  notChronological: () => invalid('Log events in a single PutLogEvents request must be in chronological order.'),
  spanTooLong: () => invalid('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.'),
  batchTooLarge: (bytes: number, limit: number) => invalid(`Upload too large: ${bytes} bytes exceeds limit of ${limit}`),
  filterPatternInvalid: (message: string) => invalid(message),
  invalidMetricValue: () => invalid('Invalid metric value'),
  filterNotFound: () => logsError('ResourceNotFoundException', 'The specified metric filter does not exist.'),
  subscriptionNotFound: () => logsError('ResourceNotFoundException', 'The specified subscription filter does not exist.'),
  limitExceeded: () => logsError('LimitExceededException', 'Resource limit exceeded.'),
  crossAccountLambda: () =>
    logsError('AccessDeniedException', 'Cross-account lambda invocation passing is not allowed. You must use DestinationPolicies to create cross account lambda triggers.'),
  lambdaNotInvokable: () => invalid('Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.'),
  constraintText: (message: string) => invalid(message),
  unsupportedDestination: (arn: string) => invalid(`Invalid destination ARN: ${arn}. Lambkin delivers subscription filters to Lambda functions only.`),
  tooManyTags: () => logsError('TooManyTagsException', 'A resource can have no more than 50 tags.'),
  invalidResourceArn: (arn: string) => invalid(`Invalid resource arn: ${arn}`),
  /** AWS's text carries the Java client's suffix, request id included (recorded 2026-02). */
  queryGroupNotFound: (group: string, account: string, requestId: string) =>
    logsError(
      'ResourceNotFoundException',
      `Log group '${group}' does not exist for account ID '${account}' (Service: AWSLogs; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: ${requestId}; Proxy: null)`,
    ),
  queryNotRunning: () => invalid('Query is not running.'),
  queryNotFound: () => logsError('ResourceNotFoundException', 'Query does not exist.'),
  queryGroupsRequired: () => invalid('Query must specify log group(s) to run against.'),
  queryGroupsExclusive: () => invalid('LogGroupName, LogGroupNames and LogGroupIdentifiers are mutually exclusive parameters.'),
  queryEndBeforeStart: () => invalid('End time should not be before the start time'),
  malformedQuery: (message: string, start: number, end: number) =>
    logsError('MalformedQueryException', message, { queryCompileError: { location: { start, end }, message } }),
  /** The model's constraint messages, as AWS's request validator words them (Logs sends them as InvalidParameterException). */
  constraint: (failures: string[]) => invalid(`${failures.length} validation error${failures.length === 1 ? '' : 's'} detected: ${failures.join('; ')}`),
  serialization: (detail: string) => logsError('SerializationException', detail),
  unknownOperation: (operation: string) => logsError('UnknownOperationException', `Operation ${operation} is not supported.`),
  requestTooLarge: (limit: number) => new AwsError('RequestEntityTooLargeException', 413, `Request must be smaller than ${limit} bytes.`, { type: null }),
};
