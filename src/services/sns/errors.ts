import { AwsError } from '../../contracts/aws-error.js';

/**
 * Every error SNS sends, as AWS spells it (codes are the query-protocol `Code`s; the SDKs map
 * `NotFound` to `NotFoundException`, `InvalidParameter` to `InvalidParameterException`, …).
 */
const sender = (code: string, status: number, message: string) => new AwsError(code, status, message);

export const snsErrors = {
  invalidAction: (action: string) => sender('InvalidAction', 400, `The action ${action} is not valid for this web service.`),
  missingAction: () => sender('MissingAction', 400, 'Missing Action'),
  internal: () => new AwsError('InternalError', 500, 'An internal error occurred.'),
  requestTooLarge: (limit: number) => sender('RequestEntityTooLarge', 413, `Request must be smaller than ${limit} bytes`),

  /** A topic policy that does not allow another account or a service (AWS's wording for resource-policy refusals). */
  notAuthorized: (principal: string, action: string, topicArn: string) =>
    sender('AuthorizationError', 403, `User: ${principal} is not authorized to perform: SNS:${action} on resource: ${topicArn} because no resource-based policy allows the SNS:${action} action`),
  topicNotFound: () => sender('NotFound', 404, 'Topic does not exist'),
  subscriptionNotFound: () => sender('NotFound', 404, 'Subscription does not exist'),
  resourceNotFound: () => sender('ResourceNotFound', 404, 'Resource does not exist'),
  /** `Invalid parameter: <what>` */
  invalidParameter: (what: string) => sender('InvalidParameter', 400, `Invalid parameter: ${what}`),
  /** `Invalid parameter: <name> Reason: <reason>` */
  invalidParameterReason: (name: string, reason: string) => sender('InvalidParameter', 400, `Invalid parameter: ${name} Reason: ${reason}`),
  arnTooShort: (name: string, parts: number) =>
    sender('InvalidParameter', 400, `Invalid parameter: ${name} Reason: An ARN must have at least 6 elements, not ${parts}`),
  missingRequired: (name: string) => sender('InvalidParameter', 400, `Invalid parameter: ${name} Reason: no value for required parameter`),
  /** What botocore's own validation would refuse, when a raw client sends it anyway. */
  validationNull: (path: string) =>
    sender('ValidationError', 400, `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`),
  topicExistsWithDifferentAttributes: () => sender('InvalidParameter', 400, 'Invalid parameter: Attributes Reason: Topic already exists with different attributes'),
  topicExistsWithDifferentTags: () => sender('InvalidParameter', 400, 'Invalid parameter: Tags Reason: Topic already exists with different tags'),
  subscriptionExistsWithDifferentAttributes: () =>
    sender('InvalidParameter', 400, 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes'),
  unsupportedProtocol: (protocol: string) => sender('InvalidParameter', 400, `Invalid parameter: Amazon SNS does not support this protocol string: ${protocol}`),
  invalidEndpoint: (what: string) => sender('InvalidParameter', 400, `Invalid parameter: ${what}`),
  invalidToken: () => sender('InvalidParameter', 400, 'Invalid parameter: Token'),
  attributeName: () => sender('InvalidParameter', 400, 'Invalid parameter: AttributeName'),
  rawMessageDelivery: (value: string, inAttributes: boolean) =>
    sender(
      'InvalidParameter',
      400,
      `Invalid parameter: ${inAttributes ? 'Attributes Reason: ' : ''}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`,
    ),
  filterPolicyScope: (value: string) =>
    sender('InvalidParameter', 400, `Invalid parameter: FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`),
  /** Filter-policy validation failures; `inAttributes` when they came with Subscribe's Attributes. */
  filterPolicy: (detail: string, inAttributes: boolean) =>
    sender('InvalidParameter', 400, `Invalid parameter: ${inAttributes ? 'Attributes Reason: ' : ''}FilterPolicy: ${detail}`),
  redrivePolicy: (detail: string) => sender('InvalidParameter', 400, `Invalid parameter: RedrivePolicy: ${detail}`),
  emptyMessage: () => sender('InvalidParameter', 400, 'Invalid parameter: Empty message'),
  messageTooLong: () => sender('InvalidParameter', 400, 'Invalid parameter: Message too long'),
  subject: () => sender('InvalidParameter', 400, 'Invalid parameter: Subject'),
  noDefaultEntry: () => sender('InvalidParameter', 400, 'Invalid parameter: Message Structure - No default entry in JSON message body'),
  structureNotJson: () => sender('InvalidParameter', 400, 'Invalid parameter: Message Structure - JSON message body failed to parse'),
  invalidPhoneNumber: (phoneNumber: string) => sender('InvalidParameter', 400, `Invalid parameter: PhoneNumber Reason: ${phoneNumber} is not valid to publish to`),
  noTargetEndpoint: () => sender('InvalidParameter', 400, 'Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified'),
  groupIdRequired: () => sender('InvalidParameter', 400, 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics'),
  dedupRequired: () =>
    sender(
      'InvalidParameter',
      400,
      'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    ),
  dedupIdOnStandard: () =>
    sender(
      'InvalidParameter',
      400,
      'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
    ),
  groupIdOnStandard: () =>
    sender(
      'InvalidParameter',
      400,
      'Invalid parameter: MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type',
    ),
  fifoQueueOnStandardTopic: () =>
    sender('InvalidParameter', 400, 'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics'),
  invalidSqsEndpoint: () => sender('InvalidParameter', 400, 'Invalid parameter: SQS endpoint ARN'),
  invalidLambdaEndpoint: () => sender('InvalidParameter', 400, 'Invalid parameter: Lambda endpoint ARN'),
  invalidHttpEndpoint: () => sender('InvalidParameter', 400, 'Invalid parameter: Endpoint must match the specified protocol'),
  duplicatedKeys: () => sender('InvalidParameter', 400, 'Invalid parameter: Duplicated keys are not allowed.'),
  invalidAttributeName: (name: string) => sender('InvalidParameter', 400, `Invalid parameter: Attributes Reason: Invalid attribute name: ${name}`),
  fifoTopicName: () =>
    sender(
      'InvalidParameter',
      400,
      'Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.',
    ),
  tagPolicy: (message: string) => sender('InvalidParameter', 400, `Invalid parameter: ${message}`),
  tagLimitExceeded: () => sender('TagLimitExceeded', 400, 'Could not complete request: tag quota of per resource exceeded'),

  messageAttribute: (message: string) => sender('ParameterValueInvalid', 400, message),

  tooManyEntries: () => sender('TooManyEntriesInBatchRequest', 400, 'The batch request contains more entries than permissible.'),
  emptyBatch: () => sender('EmptyBatchRequest', 400, 'The batch request doesn\'t contain any entries.'),
  batchIdsNotDistinct: () => sender('BatchEntryIdsNotDistinct', 400, 'Two or more batch entries in the request have the same Id.'),
  batchTooLong: () => sender('BatchRequestTooLong', 400, 'The length of all the messages put together is more than the limit.'),
  batchIdCharacter: (id: string) =>
    sender('InvalidBatchEntryId', 400, `The Id of a batch entry in the batch request contains an impermissible character: ${id}`),
  batchIdTooLong: (id: string) => sender('InvalidBatchEntryId', 400, `The Id of a batch entry in the batch request is too long: ${id}`),
};
