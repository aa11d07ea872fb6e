import * as sdk from '@aws-sdk/client-sns';
import { snsErrors as errors } from '../src/services/sns/errors.js';
import { describeCatalogue, modelStatuses, type Expectation } from './support/error-catalogue.js';

const P = 'Invalid parameter:';

const expectations: Record<keyof typeof errors, Expectation> = {
  invalidAction: { error: errors.invalidAction('Nope'), code: 'InvalidAction', message: 'The action Nope is not valid for this web service.', source: 'aws' },
  missingAction: { error: errors.missingAction(), code: 'MissingAction', message: 'Missing Action', source: 'aws' },
  internal: { error: errors.internal(), code: 'InternalError', message: 'An internal error occurred.', source: 'lambkin' },
  requestTooLarge: { error: errors.requestTooLarge(262144), code: 'RequestEntityTooLarge', message: 'Request must be smaller than 262144 bytes', source: 'lambkin' },

  notAuthorized: {
    error: errors.notAuthorized('arn:aws:iam::111111111111:root', 'Publish', 'arn:aws:sns:us-east-1:000000000000:t'),
    code: 'AuthorizationError',
    message: 'User: arn:aws:iam::111111111111:root is not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:000000000000:t because no resource-based policy allows the SNS:Publish action',
    source: 'aws',
  },
  topicNotFound: { error: errors.topicNotFound(), code: 'NotFound', message: 'Topic does not exist', source: 'aws' },
  subscriptionNotFound: { error: errors.subscriptionNotFound(), code: 'NotFound', message: 'Subscription does not exist', source: 'aws' },
  resourceNotFound: { error: errors.resourceNotFound(), code: 'ResourceNotFound', message: 'Resource does not exist', source: 'aws' },
  invalidParameter: { error: errors.invalidParameter('Name'), code: 'InvalidParameter', message: `${P} Name`, source: 'caller' },
  invalidParameterReason: {
    error: errors.invalidParameterReason('Name', 'detail'),
    code: 'InvalidParameter',
    message: `${P} Name Reason: detail`,
    source: 'caller',
  },
  arnTooShort: {
    error: errors.arnTooShort('TopicArn', 3),
    code: 'InvalidParameter',
    message: `${P} TopicArn Reason: An ARN must have at least 6 elements, not 3`,
    source: 'aws',
  },
  missingRequired: { error: errors.missingRequired('Name'), code: 'InvalidParameter', message: `${P} Name Reason: no value for required parameter`, source: 'aws' },
  validationNull: {
    error: errors.validationNull('name'),
    code: 'ValidationError',
    message: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    source: 'aws',
  },
  topicExistsWithDifferentAttributes: {
    error: errors.topicExistsWithDifferentAttributes(),
    code: 'InvalidParameter',
    message: `${P} Attributes Reason: Topic already exists with different attributes`,
    source: 'aws',
  },
  topicExistsWithDifferentTags: {
    error: errors.topicExistsWithDifferentTags(),
    code: 'InvalidParameter',
    message: `${P} Tags Reason: Topic already exists with different tags`,
    source: 'aws',
  },
  subscriptionExistsWithDifferentAttributes: {
    error: errors.subscriptionExistsWithDifferentAttributes(),
    code: 'InvalidParameter',
    message: `${P} Attributes Reason: Subscription already exists with different attributes`,
    source: 'aws',
  },
  unsupportedProtocol: {
    error: errors.unsupportedProtocol('xyz'),
    code: 'InvalidParameter',
    message: `${P} Amazon SNS does not support this protocol string: xyz`,
    source: 'aws',
  },
  invalidEndpoint: { error: errors.invalidEndpoint('Endpoint'), code: 'InvalidParameter', message: `${P} Endpoint`, source: 'caller' },
  invalidToken: { error: errors.invalidToken(), code: 'InvalidParameter', message: `${P} Token`, source: 'aws' },
  attributeName: { error: errors.attributeName(), code: 'InvalidParameter', message: `${P} AttributeName`, source: 'aws' },
  rawMessageDelivery: {
    error: errors.rawMessageDelivery('yes', true),
    code: 'InvalidParameter',
    message: `${P} Attributes Reason: RawMessageDelivery: Invalid value [yes]. Must be true or false.`,
    source: 'aws',
  },
  filterPolicyScope: {
    error: errors.filterPolicyScope('Body'),
    code: 'InvalidParameter',
    message: `${P} FilterPolicyScope: Invalid value [Body]. Please use either MessageBody or MessageAttributes`,
    source: 'aws',
  },
  filterPolicy: { error: errors.filterPolicy('detail', false), code: 'InvalidParameter', message: `${P} FilterPolicy: detail`, source: 'caller' },
  redrivePolicy: { error: errors.redrivePolicy('detail'), code: 'InvalidParameter', message: `${P} RedrivePolicy: detail`, source: 'caller' },
  emptyMessage: { error: errors.emptyMessage(), code: 'InvalidParameter', message: `${P} Empty message`, source: 'aws' },
  messageTooLong: { error: errors.messageTooLong(), code: 'InvalidParameter', message: `${P} Message too long`, source: 'aws' },
  subject: { error: errors.subject(), code: 'InvalidParameter', message: `${P} Subject`, source: 'aws' },
  noDefaultEntry: {
    error: errors.noDefaultEntry(),
    code: 'InvalidParameter',
    message: `${P} Message Structure - No default entry in JSON message body`,
    source: 'aws',
  },
  structureNotJson: {
    error: errors.structureNotJson(),
    code: 'InvalidParameter',
    message: `${P} Message Structure - JSON message body failed to parse`,
    source: 'aws',
  },
  invalidPhoneNumber: {
    error: errors.invalidPhoneNumber('+1'),
    code: 'InvalidParameter',
    message: `${P} PhoneNumber Reason: +1 is not valid to publish to`,
    source: 'aws',
  },
  noTargetEndpoint: {
    error: errors.noTargetEndpoint(),
    code: 'InvalidParameter',
    message: `${P} TargetArn Reason: No endpoint found for the target arn specified`,
    source: 'aws',
  },
  groupIdRequired: {
    error: errors.groupIdRequired(),
    code: 'InvalidParameter',
    message: `${P} The MessageGroupId parameter is required for FIFO topics`,
    source: 'aws',
  },
  dedupRequired: {
    error: errors.dedupRequired(),
    code: 'InvalidParameter',
    message: `${P} The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly`,
    source: 'aws',
  },
  dedupIdOnStandard: {
    error: errors.dedupIdOnStandard(),
    code: 'InvalidParameter',
    message: `${P} MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type`,
    source: 'aws',
  },
  groupIdOnStandard: {
    error: errors.groupIdOnStandard(),
    code: 'InvalidParameter',
    message: `${P} MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type`,
    source: 'aws',
  },
  // AWS repeats the prefix here.
  fifoQueueOnStandardTopic: {
    error: errors.fifoQueueOnStandardTopic(),
    code: 'InvalidParameter',
    message: `${P} ${P} Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics`,
    source: 'aws',
  },
  invalidSqsEndpoint: { error: errors.invalidSqsEndpoint(), code: 'InvalidParameter', message: `${P} SQS endpoint ARN`, source: 'aws' },
  invalidLambdaEndpoint: { error: errors.invalidLambdaEndpoint(), code: 'InvalidParameter', message: `${P} Lambda endpoint ARN`, source: 'aws' },
  invalidHttpEndpoint: {
    error: errors.invalidHttpEndpoint(),
    code: 'InvalidParameter',
    message: `${P} Endpoint must match the specified protocol`,
    source: 'aws',
  },
  duplicatedKeys: { error: errors.duplicatedKeys(), code: 'InvalidParameter', message: `${P} Duplicated keys are not allowed.`, source: 'aws' },
  invalidAttributeName: {
    error: errors.invalidAttributeName('Nope'),
    code: 'InvalidParameter',
    message: `${P} Attributes Reason: Invalid attribute name: Nope`,
    source: 'aws',
  },
  fifoTopicName: {
    error: errors.fifoTopicName(),
    code: 'InvalidParameter',
    message:
      `${P} Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, ` +
      'underscores, and hyphens, and must be between 1 and 256 characters long.',
    source: 'aws',
  },
  tagPolicy: { error: errors.tagPolicy('detail'), code: 'InvalidParameter', message: `${P} detail`, source: 'caller' },
  tagLimitExceeded: {
    error: errors.tagLimitExceeded(),
    code: 'TagLimitExceeded',
    message: 'Could not complete request: tag quota of per resource exceeded',
    source: 'aws',
  },

  messageAttribute: { error: errors.messageAttribute('detail'), code: 'ParameterValueInvalid', message: 'detail', source: 'caller' },

  tooManyEntries: {
    error: errors.tooManyEntries(),
    code: 'TooManyEntriesInBatchRequest',
    message: 'The batch request contains more entries than permissible.',
    source: 'aws',
  },
  emptyBatch: { error: errors.emptyBatch(), code: 'EmptyBatchRequest', message: "The batch request doesn't contain any entries.", source: 'aws' },
  batchIdsNotDistinct: {
    error: errors.batchIdsNotDistinct(),
    code: 'BatchEntryIdsNotDistinct',
    message: 'Two or more batch entries in the request have the same Id.',
    source: 'aws',
  },
  batchTooLong: {
    error: errors.batchTooLong(),
    code: 'BatchRequestTooLong',
    message: 'The length of all the messages put together is more than the limit.',
    source: 'aws',
  },
  batchIdCharacter: {
    error: errors.batchIdCharacter('a b'),
    code: 'InvalidBatchEntryId',
    message: 'The Id of a batch entry in the batch request contains an impermissible character: a b',
    source: 'aws',
  },
  batchIdTooLong: {
    error: errors.batchIdTooLong('x'),
    code: 'InvalidBatchEntryId',
    message: 'The Id of a batch entry in the batch request is too long: x',
    source: 'aws',
  },
};

describeCatalogue({
  service: 'sns',
  catalogue: errors,
  expectations,
  model: modelStatuses(sdk),
  // The query API's common errors (AWS API reference, "Common Errors").
  documented: { InvalidAction: 400, MissingAction: 400, ValidationError: 400 },
  unlisted: {
    RequestEntityTooLarge: { status: 413, reason: 'a request body over the front door limit, refused before any SNS operation runs' },
  },
});
