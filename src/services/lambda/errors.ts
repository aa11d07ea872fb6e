import { AwsError } from '../../contracts/aws-error.js';

/**
 * Every error type the Lambda API sends, its HTTP status and the JSON member that carries the
 * message (spec §1.2: the member's case follows the model shape).
 */
interface ErrorSpec {
  status: number;
  messageKey: 'message' | 'Message';
  type?: 'User' | 'Service' | null;
}

export const LAMBDA_ERRORS = {
  InvalidParameterValueException: { status: 400, messageKey: 'message' },
  ValidationException: { status: 400, messageKey: 'message', type: null },
  InvalidRequestContentException: { status: 400, messageKey: 'message' },
  ResourceInUseException: { status: 400, messageKey: 'Message' },
  PolicyLengthExceededException: { status: 400, messageKey: 'message' },
  CodeStorageExceededException: { status: 400, messageKey: 'message' },
  AccessDeniedException: { status: 403, messageKey: 'Message' },
  ResourceNotFoundException: { status: 404, messageKey: 'Message' },
  ProvisionedConcurrencyConfigNotFoundException: { status: 404, messageKey: 'message' },
  CodeSigningConfigNotFoundException: { status: 404, messageKey: 'Message' },
  UnknownOperationException: { status: 404, messageKey: 'message' },
  ResourceConflictException: { status: 409, messageKey: 'message' },
  PreconditionFailedException: { status: 412, messageKey: 'message' },
  RequestEntityTooLargeException: { status: 413, messageKey: 'message' },
  UnsupportedMediaTypeException: { status: 415, messageKey: 'message' },
  TooManyRequestsException: { status: 429, messageKey: 'message' },
  ServiceException: { status: 500, messageKey: 'Message' },
  ResourceNotReadyException: { status: 502, messageKey: 'message' },
} as const satisfies Record<string, ErrorSpec>;

export type LambdaErrorCode = keyof typeof LAMBDA_ERRORS;

export function lambdaError(code: LambdaErrorCode, message: string, fields?: Record<string, unknown>): AwsError {
  const spec: ErrorSpec = LAMBDA_ERRORS[code];
  return new AwsError(code, spec.status, message, { messageKey: spec.messageKey, type: spec.type, fields });
}

const ipve = (message: string) => lambdaError('InvalidParameterValueException', message);

/** Message templates as AWS spells them (spec §1.2, ../shared/parity recordings). */
export const errors = {
  functionNotFound: (arn: string) => lambdaError('ResourceNotFoundException', `Function not found: ${arn}`),
  functionAlreadyExists: (name: string) => lambdaError('ResourceConflictException', `Function already exist: ${name}`),
  updateInProgress: (arn: string) =>
    lambdaError(
      'ResourceConflictException',
      `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`,
    ),
  functionNotActive: (state: string) =>
    lambdaError(
      'ResourceConflictException',
      `The operation cannot be performed at this time. The function is currently in the following state: ${state}`,
    ),
  /** A role Lambkin's IAM has whose trust policy does not name `lambda.amazonaws.com`. */
  roleNotAssumable: () => ipve('The role defined for the function cannot be assumed by Lambda.'),
  qualifierMismatch: () => ipve('The derived qualifier from the function name does not match the specified qualifier.'),
  runtimeNoLongerSupported: (runtime: string) =>
    ipve(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    ),
  runtimeUnknown: (runtime: string, accepted: readonly string[]) =>
    ipve(`Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${accepted.join(', ')}] or be a valid ARN`),
  envVarsTooLarge: (measured: string) =>
    ipve(
      `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${measured}`,
    ),
  envVarsReserved: (keys: string[]) =>
    ipve(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${keys.join(', ')}`,
    ),
  zipTooLarge: (limit: number) => lambdaError('RequestEntityTooLargeException', `Zipped size must be smaller than ${limit} bytes`),
  requestTooLarge: (limit: number, operation: string) =>
    lambdaError('RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes for the ${operation} operation`),
  unzippedTooLarge: (limit: number) => ipve(`Unzipped size must be smaller than ${limit} bytes`),
  badZip: () => ipve('Could not unzip uploaded file. Please check your file, then try to upload again.'),
  // Until the embedded S3 exists no bucket does, so this is AWS's answer for a missing bucket.
  s3BucketMissing: () =>
    ipve('Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist'),
  tooManyLayers: () => ipve('Cannot reference more than 5 layers.'),
  layerVersionNotFound: (arn: string) => ipve(`Layer version ${arn} does not exist.`),
  duplicateLayer: (a: string, b: string) =>
    ipve(`Two different versions of the same layer are not allowed to be referenced in the same function. ${a} and ${b} are versions of the same layer.`),
  layerWrongRegion: (region: string) =>
    ipve(`Layers are not in the same region as the function. Layers are expected to be in region ${region}.`),
  codeShaMismatch: (given: string, current: string) =>
    ipve(`CodeSHA256 (${given}) is different from current CodeSHA256 in $LATEST (${current}). Please try again with the CodeSHA256 in $LATEST.`),
  revisionMismatch: (api: 'GetFunction/GetAlias' | 'GetPolicy' | 'GetLayerPolicy') =>
    lambdaError(
      'PreconditionFailedException',
      `The Revision Id provided does not match the latest Revision Id. Call the ${api} API to retrieve the latest Revision Id`,
    ),
  aliasExists: (arn: string) => lambdaError('ResourceConflictException', `Alias already exists: ${arn}`),
  aliasNotFound: (arn: string) => lambdaError('ResourceNotFoundException', `Cannot find alias arn: ${arn}`),
  latestNotDeletable: () => ipve('$LATEST version cannot be deleted without deleting the function.'),
  resourceNotFound: () => lambdaError('ResourceNotFoundException', 'The resource you requested does not exist.'),
  /** A function ARN of another region than the endpoint's (recorded from AWS). */
  otherRegion: (region: string, here: string) =>
    lambdaError('ResourceNotFoundException', `Functions from '${region}' are not reachable in this region ('${here}')`),
  tagsOnQualified: () => ipve('Tags on function aliases and versions are not supported. Please specify a function ARN.'),
  tooManyTags: () => ipve('Number of tags exceeds resource tag limit.'),
  accessDenied: (action: string, resource: string, accountId: string) =>
    lambdaError(
      'AccessDeniedException',
      `User: arn:aws:iam::${accountId}:root is not authorized to perform: lambda:${action} on resource: ${resource} because no resource-based policy allows the lambda:${action} action`,
    ),
  invalidJson: (detail: string) =>
    lambdaError('InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${detail}`),
  unknownOperation: () => lambdaError('UnknownOperationException', 'Unknown operation'),
  aliasNotFoundForUpdate: (arn: string) => lambdaError('ResourceNotFoundException', `Alias not found: ${arn}`),
  tooManyVersionWeights: () => ipve('Number of items in AdditionalVersionWeights cannot be greater than 1'),
  versionAlreadyRouted: (version: string) =>
    ipve(`Invalid function version ${version}. Function version ${version} is already included in routing configuration.`),
  latestWithRouting: () => ipve('$LATEST is not supported for an alias pointing to more than 1 version'),
  statementIdExists: (sid: string) =>
    lambdaError(
      'ResourceConflictException',
      `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
    ),
  statementNotFound: (sid: string) => lambdaError('ResourceNotFoundException', `Statement ${sid} is not found in resource policy.`),
  policyOnLatest: () => ipve('We currently do not support adding policies for $LATEST.'),
  invalidPrincipal: () => ipve('The provided principal was invalid. Please check the principal and try again.'),
  noPolicyForResource: () => lambdaError('ResourceNotFoundException', 'No policy is associated with the given resource.'),
  noPolicyForFunction: (arn: string) => lambdaError('ResourceNotFoundException', `No policy found for: ${arn}`),
  policyTooLarge: (size: number, limit: number) =>
    lambdaError('PolicyLengthExceededException', `The final policy size (${size}) is bigger than the limit (${limit}).`),
  layerVersionBelowOne: () => ipve('Layer Version Cannot be less than 1'),
  layerVersionMissing: (arn: string) => lambdaError('ResourceNotFoundException', `Layer version ${arn} does not exist.`),
  layerContentMissing: () => ipve('Please provide a source for layer content.'),
  tagsEmpty: () => ipve('An error occurred and the request cannot be processed.'),
  taggedMappingNotFound: (arn: string) => lambdaError('ResourceNotFoundException', `Event source mapping not found: ${arn}`),
  taggedCapacityProviderNotFound: (arn: string) => lambdaError('ResourceNotFoundException', `Capacity provider not found: ${arn}`),
  concurrencyOnQualified: () =>
    ipve(
      'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
    ),
  // AWS sends these concurrency-accounting errors without `Type` (recorded).
  reservedBelowUnreservedMin: (min: number) =>
    new AwsError('InvalidParameterValueException', 400,
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${min}].`,
      { messageKey: 'message', type: null },
    ),
  reservedBelowProvisioned: (reserved: number, provisioned: number) =>
    new AwsError('InvalidParameterValueException', 400,
      ` ReservedConcurrentExecutions  ${reserved} should not be lower than function's total provisioned concurrency [${provisioned}].`,
      { messageKey: 'message', type: null },
    ),
  provisionedAboveUnreserved: (unreserved: number) =>
    new AwsError('InvalidParameterValueException', 400,
      `Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [${unreserved}].`,
      { messageKey: 'message', type: null },
    ),
  provisionedBelowUnreservedMin: (min: number) =>
    new AwsError('InvalidParameterValueException', 400,
      `Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${min}].`,
      { messageKey: 'message', type: null },
    ),
  provisionedAboveReserved: () =>
    ipve('Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function'),
  provisionedOnUnpublished: () => ipve('Provisioned Concurrency Configs cannot be applied to unpublished function versions.'),
  provisionedNeedsPublished: () => ipve('The function resource provided must be an alias or a published version.'),
  provisionedConfigNotFound: () =>
    lambdaError('ProvisionedConcurrencyConfigNotFoundException', 'No Provisioned Concurrency Config found for this function'),
  provisionedAliasOnProvisionedVersion: () =>
    lambdaError('ResourceConflictException', "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version"),
  provisionedVersionUnderAlias: () => lambdaError('ResourceConflictException', 'Version is pointed by a Provisioned Concurrency alias'),
  // Event-invoke configs (recorded).
  eventInvokeConfigNotFound: (qualifiedArn: string) =>
    lambdaError('ResourceNotFoundException', `The function ${qualifiedArn} doesn't have an EventInvokeConfig`),
  eventInvokeFunctionMissing: () => lambdaError('ResourceNotFoundException', "The function doesn't exist."),
  eventInvokeConfigEmpty: () => ipve('You must specify at least one of error handling or destination setting.'),
  destinationIsSelf: () => ipve("You can't specify the function as a destination for itself."),
  destinationArnInvalid: (arn: string) => ipve(`The destination ARN ${arn} is invalid.`),
  // Unverified wording: AWS refuses a DLQ it cannot use with an InvalidParameterValueException.
  deadLetterTargetInvalid: (arn: string) => ipve(`The provided target ARN ${arn} is invalid.`),
  destinationConfigInvalid: (onSuccess: string | null, onFailure: string | null) =>
    ipve(`The provided destination config DestinationConfig(onSuccess=${onSuccess}, onFailure=${onFailure}) is invalid.`),
  // Function URL configs (recorded).
  urlFunctionMissing: () => lambdaError('ResourceNotFoundException', 'Function does not exist'),
  urlConfigExists: (arn: string) =>
    lambdaError(
      'ResourceConflictException',
      `Failed to create function url config for [functionArn = ${arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
    ),
  // Event source mappings (recorded).
  mappingFunctionMissing: () => ipve('Function does not exist'),
  unrecognizedEventSource: () => ipve('Unrecognized event source.'),
  mappingDestinationUnsupported: () => ipve('Unsupported DestinationConfig parameter for given event source mapping type.'),
  startingPositionMissing: () =>
    ipve("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null."),
  startingPositionUnsupported: (arn: string) => ipve(`Unsupported starting position for arn type: ${arn}`),
  batchWindowRequired: () => ipve('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10'),
  invalidFilterPattern: () => ipve('Invalid filter pattern definition.'),
  sqsMappingExists: (sourceArn: string, functionName: string, uuid: string) =>
    lambdaError(
      'ResourceConflictException',
      `An event source mapping with SQS arn (" ${sourceArn} ") and function (" ${functionName} ") already exists. Please update or delete the existing mapping with UUID ${uuid}`,
    ),
  streamMappingExists: (sourceArn: string, functionName: string, uuid: string) =>
    lambdaError(
      'ResourceConflictException',
      `The event source arn (" ${sourceArn} ") and function (" ${functionName} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${uuid}`,
    ),
  sqsQueueMissing: () =>
    ipve('Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.'),
  streamNotFound: (arn: string) => ipve(`Stream not found: ${arn}`),
  fifoBatchSizeTooLarge: () => ipve('Batch size for FIFO queues must be between 1 and 10.'),
  mappingInUse: (action: 'update' | 'delete') =>
    lambdaError('ResourceInUseException', `Cannot ${action} the event source mapping because it is in use.`),
  // Lambkin-specific: only a Lambda service assembled without the event-invoke queue (no
  // `asyncInvoker`, as some tests build it) sends this; it refuses rather than fake a 202.
  asyncInvokeUnavailable: () =>
    ipve('Asynchronous invocation (InvocationType Event) is not available yet in this Lambkin build; use RequestResponse.'),
  invalidClientContext: () => ipve('Client context must be a valid Base64-encoded JSON object.'),
  clientContextTooLarge: (limit: number) => ipve(`Client context must be smaller than ${limit} bytes.`),
  invocationThrottled: (reason: string) => lambdaError('TooManyRequestsException', 'Rate Exceeded.', { Reason: reason }),
  internal: () => lambdaError('ServiceException', 'An internal error occurred.'),
} as const;
