import { AwsError } from '../../contracts/aws-error.js';

/**
 * Every error type the DynamoDB API sends, with its HTTP status (the service model gives every
 * client error 400, InternalServerError 500) and the namespace of its `__type`: DynamoDB's own
 * exceptions are `com.amazonaws.dynamodb.v20120810#…`, while the request validator's and the
 * protocol's come from AWS's Coral framework (`com.amazon.coral.validate#ValidationException`).
 */
export const DYNAMODB_ERRORS = {
  ResourceNotFoundException: 400,
  ResourceInUseException: 400,
  ValidationException: 400,
  ConditionalCheckFailedException: 400,
  TransactionCanceledException: 400,
  IdempotentParameterMismatchException: 400,
  LimitExceededException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  InternalServerError: 500,
} as const satisfies Record<string, number>;

export type DynamodbErrorCode = keyof typeof DYNAMODB_ERRORS;

const CORAL_NAMESPACES: Partial<Record<string, string>> = {
  ValidationException: 'com.amazon.coral.validate',
  SerializationException: 'com.amazon.coral.service',
  UnknownOperationException: 'com.amazon.coral.service',
};

/** The `__type` namespace of an error code. */
export function errorNamespaceOf(code: string): string {
  return CORAL_NAMESPACES[code] ?? 'com.amazonaws.dynamodb.v20120810';
}

export function dynamodbError(code: DynamodbErrorCode, message: string, fields?: Record<string, unknown>): AwsError {
  return new AwsError(code, DYNAMODB_ERRORS[code], message, { messageKey: 'message', type: null, fields });
}

const invalid = (message: string) => dynamodbError('ValidationException', message);
const invalidParameter = (detail: string) => invalid(`One or more parameter values were invalid: ${detail}`);
const inUse = (message: string) => dynamodbError('ResourceInUseException', message);

/** What a cancelled transaction says about one of its actions. */
export interface CancellationReason {
  Code: 'None' | 'ConditionalCheckFailed' | 'ValidationError' | 'TransactionConflict';
  Message?: string;
  Item?: Record<string, unknown>;
}

export const errors = {
  // Tables
  resourceNotFound: () => dynamodbError('ResourceNotFoundException', 'Requested resource not found'),
  tableNotFound: (name: string) => dynamodbError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`),
  resourceArnNotFound: (arn: string) => dynamodbError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn} not found`),
  tableExists: (name: string) => inUse(`Table already exists: ${name}`),
  tableBeingCreated: (name: string) => inUse(`Attempt to change a resource which is still in use: Table is being created: ${name}`),
  tableBeingUpdated: (name: string) => inUse(`Attempt to change a resource which is still in use: Table is being updated: ${name}`),
  tableBeingDeleted: (name: string) => inUse(`Attempt to change a resource which is still in use: Table is being deleted: ${name}`),
  invalidTableArn: (arn: string) => invalid(`Invalid TableArn: ${arn}`),
  keysNotDefined: (keys: string[], definitions: string[]) =>
    invalidParameter(`Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${definitions.join(', ')}]`),
  keyAttributeWithoutDefinition: () => invalid('Invalid KeySchema: Some index key attribute have no definition'),
  sameHashAndRange: () => invalid('Both the Hash Key and the Range Key element in the KeySchema have the same name'),
  firstKeyNotHash: () => invalid('Invalid KeySchema: The first KeySchemaElement is not a HASH key type'),
  secondKeyNotRange: () => invalid('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type'),
  unusedAttributeDefinitions: () => invalidParameter('Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions'),
  attributeDefinitionsNotUsed: (definitions: string[], used: string[]) =>
    invalidParameter(`Some AttributeDefinitions are not used. AttributeDefinitions: [${definitions.join(', ')}], keys used: [${used.join(', ')}]`),
  duplicateAttributeDefinition: (name: string) => invalidParameter(`Cannot have two attributes with the same name: ${name}`),
  throughputRequired: () => invalidParameter('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED'),
  throughputWithPayPerRequest: () => invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST'),
  indexThroughputWithPayPerRequest: (index: string) => invalidParameter(`ProvisionedThroughput should not be specified for index: ${index} when BillingMode is PAY_PER_REQUEST`),
  indexThroughputRequired: (index: string) => invalidParameter(`ProvisionedThroughput must be specified for index: ${index}`),
  throughputOutOfBounds: (member: string, value: number) => invalid(`Given value ${value} for ${member} is out of bounds`),
  emptyIndexList: (member: 'LocalSecondaryIndexes' | 'GlobalSecondaryIndexes') => invalidParameter(`List of ${member} is empty`),
  lsiWithoutTableRange: () => invalidParameter('Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex'),
  lsiWithoutRange: (index: string) => invalidParameter(`Index KeySchema does not have a range key for index: ${index}`),
  lsiHashDiffers: (index: string, indexHash: string, tableHash: string) =>
    invalidParameter(`Index KeySchema does not have the same leading hash key as table KeySchema for index: ${index}. index hash key: ${indexHash}, table hash key: ${tableHash}`),
  unknownProjectionType: () => invalidParameter('Unknown ProjectionType: null'),
  nonKeyAttributesWithoutInclude: (type: string) => invalidParameter(`ProjectionType is ${type}, but NonKeyAttributes is specified`),
  duplicateIndexName: (index: string) => invalidParameter(`Duplicate index name: ${index}`),
  tooManyLsis: (limit: number) => invalidParameter(`Number of LocalSecondaryIndexes exceeds per-table limit of ${limit}`),
  tooManyGsis: (limit: number) => invalidParameter(`GlobalSecondaryIndex count exceeds the per-table limit of ${limit}`),
  indexExists: (index: string) => invalidParameter(`Index already exists: ${index}`),
  indexNotFoundForUpdate: (index: string, table: string) => dynamodbError('ResourceNotFoundException', `Requested resource not found: Index: ${index} not found in Table: ${table}`),
  oneIndexAtATime: () => dynamodbError('LimitExceededException', 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table'),
  nothingToUpdate: () => invalid('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required'),
  throughputUnchanged: (currentRead: number, read: number, currentWrite: number, write: number) =>
    invalid(
      'The provisioned throughput for the table will not change. The requested value equals the current value. ' +
        `Current ReadCapacityUnits provisioned for the table: ${currentRead}. Requested ReadCapacityUnits: ${read}. ` +
        `Current WriteCapacityUnits provisioned for the table: ${currentWrite}. Requested WriteCapacityUnits: ${write}. ` +
        'Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    ),
  streamViewTypeRequired: () => invalid('StreamSpecification: StreamViewType is required when StreamEnabled is true'),
  streamViewTypeWithoutStream: () => invalid('StreamSpecification: StreamViewType cannot be specified when StreamEnabled is false'),
  streamAlreadyEnabled: (name: string) => invalid(`Table already has an enabled stream: TableName: ${name}`),
  streamAlreadyDisabled: (name: string) => invalid(`Table already has stream disabled: TableName: ${name}`),
  ttlAlreadyEnabled: () => invalid('TimeToLive is already enabled'),
  ttlAlreadyDisabled: () => invalid('TimeToLive is already disabled'),
  ttlAttributeMismatch: () => invalid('TimeToLive attribute name does not match the one enabled on the table'),
  tooManyTags: () => dynamodbError('LimitExceededException', 'The number of tags exceeds the limit of 50 for the resource'),
  // Items
  missingKey: (name: string) => invalidParameter(`Missing the key ${name} in the item`),
  keyTypeMismatch: (name: string, expected: string, actual: string) => invalidParameter(`Type mismatch for key ${name} expected: ${expected} actual: ${actual}`),
  indexKeyTypeMismatch: (name: string, expected: string, actual: string, index: string) =>
    invalidParameter(`Type mismatch for Index Key ${name} Expected: ${expected} Actual: ${actual} IndexName: ${index}`),
  keySchemaMismatch: () => invalid('The provided key element does not match the schema'),
  emptyKey: (name: string, kind: 'string' | 'binary') =>
    invalid(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${kind} value. Key: ${name}`),
  emptyIndexKey: (index: string, name: string, kind: 'string' | 'binary') =>
    invalid(
      `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${kind} value. IndexName: ${index}, IndexKey: ${name}`,
    ),
  hashKeyTooLarge: () => invalidParameter('Size of hashkey has exceeded the maximum size limit of2048 bytes'),
  rangeKeyTooLarge: () => invalidParameter('Aggregated size of all range keys has exceeded the size limit of 1024 bytes'),
  updateKeyAttribute: (name: string) => invalidParameter(`Cannot update attribute ${name}. This attribute is part of the key`),
  itemTooLarge: () => invalid('Item size has exceeded the maximum allowed size'),
  updatedItemTooLarge: () => invalid('Item size to update has exceeded the maximum allowed size'),
  returnValuesPutDelete: () => invalid('ReturnValues can only be ALL_OLD or NONE'),
  conditionalCheckFailed: (item?: Record<string, unknown>) =>
    dynamodbError('ConditionalCheckFailedException', 'The conditional request failed', item ? { Item: item } : undefined),
  // Query and Scan
  keyConditionRequired: () => invalid('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.'),
  indexNotFound: (index: string) => invalid(`The table does not have the specified index: ${index}`),
  consistentReadOnGsi: () => invalid('Consistent reads are not supported on global secondary indexes'),
  allAttributesOnGsi: (index: string) => invalid(`One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index} because its projection type is not ALL`),
  allProjectedWithoutIndex: () => invalidParameter('Select type ALL_PROJECTED_ATTRIBUTES is supported only for indexes'),
  specificAttributesWithoutProjection: () => invalidParameter('Select type SPECIFIC_ATTRIBUTES requires either AttributesToGet or ProjectionExpression'),
  selectWithProjection: (select: string) =>
    invalid(`Cannot specify the AttributesToGet when choosing to get only the ${select === 'COUNT' ? 'Count' : select}`),
  invalidStartKey: (detail: string) => invalid(`The provided starting key is invalid: ${detail}`),
  startKeyOutsideQuery: () => invalid('The provided starting key is outside query boundaries based on provided conditions'),
  segmentWithoutTotal: () => invalid('The TotalSegments parameter is required but was not present in the request when Segment parameter is present'),
  totalWithoutSegment: () => invalid('The Segment parameter is required but was not present in the request when parameter TotalSegments is present'),
  segmentOutOfRange: (segment: number, total: number) =>
    invalid(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`),
  // Batches and transactions
  tooManyBatchGetKeys: () => invalid('Too many items requested for the BatchGetItem call'),
  duplicateBatchKeys: () => invalid('Provided list of item keys contains duplicates'),
  writeRequestShape: () => invalid('A WriteRequest must contain exactly one of PutRequest or DeleteRequest'),
  transactDuplicateItem: () => invalid('Transaction request cannot include multiple operations on one item'),
  transactActionShape: () => invalid('TransactItems can only contain one of Check, Put, Update or Delete'),
  transactionCanceled: (reasons: CancellationReason[]) =>
    dynamodbError(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
      { CancellationReasons: reasons },
    ),
  idempotentParameterMismatch: () =>
    dynamodbError('IdempotentParameterMismatchException', 'The request uses the same client token as a previous, but non-identical request.'),
  /** An expression engine message, or any other AWS ValidationException text. */
  validation: (message: string) => invalid(message),
  /** The model's constraint messages, as AWS's request validator words them. */
  constraint: (failures: string[]) => invalid(`${failures.length} validation error${failures.length === 1 ? '' : 's'} detected: ${failures.join('; ')}`),
  serialization: (detail: string) => dynamodbError('SerializationException', detail),
  unknownOperation: () => dynamodbError('UnknownOperationException', ''),
  requestTooLarge: (limit: number) => new AwsError('RequestEntityTooLargeException', 413, `Request must be smaller than ${limit} bytes.`, { type: null }),
};
