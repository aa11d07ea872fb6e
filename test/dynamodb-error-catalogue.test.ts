import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as sdk from '@aws-sdk/client-dynamodb';
import { DYNAMODB_ERRORS, errorNamespaceOf, errors } from '../src/services/dynamodb/errors.js';
import { describeCatalogue, modelStatuses, type CatalogueSuite, type Expectation } from './support/error-catalogue.js';

// `aws`: AWS's wording as DynamoDB answers (restated from responses of the real service, as peer
// emulators also record them; no recording of DynamoDB is kept in ../shared/parity). `lambkin`: no
// AWS text on record here. `caller`: the text is the caller's (a validation detail).
const expectations: Record<keyof typeof errors, Expectation> = {
  resourceNotFound: { error: errors.resourceNotFound(), code: 'ResourceNotFoundException', message: "Requested resource not found", source: 'aws' },
  tableNotFound: { error: errors.tableNotFound('t'), code: 'ResourceNotFoundException', message: "Requested resource not found: Table: t not found", source: 'aws' },
  resourceArnNotFound: { error: errors.resourceArnNotFound('arn'), code: 'ResourceNotFoundException', message: "Requested resource not found: ResourcArn: arn not found", source: 'aws' },
  tableExists: { error: errors.tableExists('t'), code: 'ResourceInUseException', message: "Table already exists: t", source: 'aws' },
  tableBeingCreated: { error: errors.tableBeingCreated('t'), code: 'ResourceInUseException', message: "Attempt to change a resource which is still in use: Table is being created: t", source: 'aws' },
  tableBeingUpdated: { error: errors.tableBeingUpdated('t'), code: 'ResourceInUseException', message: "Attempt to change a resource which is still in use: Table is being updated: t", source: 'aws' },
  tableBeingDeleted: { error: errors.tableBeingDeleted('t'), code: 'ResourceInUseException', message: "Attempt to change a resource which is still in use: Table is being deleted: t", source: 'lambkin' },
  invalidTableArn: { error: errors.invalidTableArn('x'), code: 'ValidationException', message: "Invalid TableArn: x", source: 'lambkin' },
  keysNotDefined: { error: errors.keysNotDefined(['id'], ['other']), code: 'ValidationException', message: "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [other]", source: 'aws' },
  keyAttributeWithoutDefinition: { error: errors.keyAttributeWithoutDefinition(), code: 'ValidationException', message: "Invalid KeySchema: Some index key attribute have no definition", source: 'aws' },
  sameHashAndRange: { error: errors.sameHashAndRange(), code: 'ValidationException', message: "Both the Hash Key and the Range Key element in the KeySchema have the same name", source: 'aws' },
  firstKeyNotHash: { error: errors.firstKeyNotHash(), code: 'ValidationException', message: "Invalid KeySchema: The first KeySchemaElement is not a HASH key type", source: 'aws' },
  secondKeyNotRange: { error: errors.secondKeyNotRange(), code: 'ValidationException', message: "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type", source: 'aws' },
  unusedAttributeDefinitions: { error: errors.unusedAttributeDefinitions(), code: 'ValidationException', message: "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions", source: 'aws' },
  attributeDefinitionsNotUsed: { error: errors.attributeDefinitionsNotUsed(['a','b'], ['a']), code: 'ValidationException', message: "One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [a, b], keys used: [a]", source: 'lambkin' },
  duplicateAttributeDefinition: { error: errors.duplicateAttributeDefinition('a'), code: 'ValidationException', message: "One or more parameter values were invalid: Cannot have two attributes with the same name: a", source: 'lambkin' },
  throughputRequired: { error: errors.throughputRequired(), code: 'ValidationException', message: "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED", source: 'aws' },
  throughputWithPayPerRequest: { error: errors.throughputWithPayPerRequest(), code: 'ValidationException', message: "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST", source: 'aws' },
  indexThroughputWithPayPerRequest: { error: errors.indexThroughputWithPayPerRequest('i'), code: 'ValidationException', message: "One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: i when BillingMode is PAY_PER_REQUEST", source: 'aws' },
  indexThroughputRequired: { error: errors.indexThroughputRequired('i'), code: 'ValidationException', message: "One or more parameter values were invalid: ProvisionedThroughput must be specified for index: i", source: 'aws' },
  throughputOutOfBounds: { error: errors.throughputOutOfBounds('ReadCapacityUnits', 2000000000000), code: 'ValidationException', message: "Given value 2000000000000 for ReadCapacityUnits is out of bounds", source: 'aws' },
  emptyIndexList: { error: errors.emptyIndexList('LocalSecondaryIndexes'), code: 'ValidationException', message: "One or more parameter values were invalid: List of LocalSecondaryIndexes is empty", source: 'aws' },
  lsiWithoutTableRange: { error: errors.lsiWithoutTableRange(), code: 'ValidationException', message: "One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex", source: 'aws' },
  lsiWithoutRange: { error: errors.lsiWithoutRange('i'), code: 'ValidationException', message: "One or more parameter values were invalid: Index KeySchema does not have a range key for index: i", source: 'aws' },
  lsiHashDiffers: { error: errors.lsiHashDiffers('i', 'a', 'b'), code: 'ValidationException', message: "One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: i. index hash key: a, table hash key: b", source: 'aws' },
  unknownProjectionType: { error: errors.unknownProjectionType(), code: 'ValidationException', message: "One or more parameter values were invalid: Unknown ProjectionType: null", source: 'aws' },
  nonKeyAttributesWithoutInclude: { error: errors.nonKeyAttributesWithoutInclude('ALL'), code: 'ValidationException', message: "One or more parameter values were invalid: ProjectionType is ALL, but NonKeyAttributes is specified", source: 'aws' },
  duplicateIndexName: { error: errors.duplicateIndexName('i'), code: 'ValidationException', message: "One or more parameter values were invalid: Duplicate index name: i", source: 'aws' },
  tooManyLsis: { error: errors.tooManyLsis(5), code: 'ValidationException', message: "One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5", source: 'aws' },
  tooManyGsis: { error: errors.tooManyGsis(20), code: 'ValidationException', message: "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20", source: 'aws' },
  indexExists: { error: errors.indexExists('i'), code: 'ValidationException', message: "One or more parameter values were invalid: Index already exists: i", source: 'lambkin' },
  indexNotFoundForUpdate: { error: errors.indexNotFoundForUpdate('i', 't'), code: 'ResourceNotFoundException', message: "Requested resource not found: Index: i not found in Table: t", source: 'lambkin' },
  oneIndexAtATime: { error: errors.oneIndexAtATime(), code: 'LimitExceededException', message: "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table", source: 'aws' },
  nothingToUpdate: { error: errors.nothingToUpdate(), code: 'ValidationException', message: "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required", source: 'lambkin' },
  throughputUnchanged: { error: errors.throughputUnchanged(1, 1, 2, 2), code: 'ValidationException', message: "The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 1. Requested ReadCapacityUnits: 1. Current WriteCapacityUnits provisioned for the table: 2. Requested WriteCapacityUnits: 2. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.", source: 'aws' },
  streamViewTypeRequired: { error: errors.streamViewTypeRequired(), code: 'ValidationException', message: "StreamSpecification: StreamViewType is required when StreamEnabled is true", source: 'lambkin' },
  streamViewTypeWithoutStream: { error: errors.streamViewTypeWithoutStream(), code: 'ValidationException', message: "StreamSpecification: StreamViewType cannot be specified when StreamEnabled is false", source: 'lambkin' },
  streamAlreadyEnabled: { error: errors.streamAlreadyEnabled('t'), code: 'ValidationException', message: "Table already has an enabled stream: TableName: t", source: 'aws' },
  streamAlreadyDisabled: { error: errors.streamAlreadyDisabled('t'), code: 'ValidationException', message: "Table already has stream disabled: TableName: t", source: 'lambkin' },
  ttlAlreadyEnabled: { error: errors.ttlAlreadyEnabled(), code: 'ValidationException', message: "TimeToLive is already enabled", source: 'aws' },
  ttlAlreadyDisabled: { error: errors.ttlAlreadyDisabled(), code: 'ValidationException', message: "TimeToLive is already disabled", source: 'lambkin' },
  ttlAttributeMismatch: { error: errors.ttlAttributeMismatch(), code: 'ValidationException', message: "TimeToLive attribute name does not match the one enabled on the table", source: 'lambkin' },
  tooManyTags: { error: errors.tooManyTags(), code: 'LimitExceededException', message: "The number of tags exceeds the limit of 50 for the resource", source: 'lambkin' },
  missingKey: { error: errors.missingKey('id'), code: 'ValidationException', message: "One or more parameter values were invalid: Missing the key id in the item", source: 'aws' },
  keyTypeMismatch: { error: errors.keyTypeMismatch('id', 'S', 'N'), code: 'ValidationException', message: "One or more parameter values were invalid: Type mismatch for key id expected: S actual: N", source: 'aws' },
  indexKeyTypeMismatch: { error: errors.indexKeyTypeMismatch('e', 'S', 'N', 'i'), code: 'ValidationException', message: "One or more parameter values were invalid: Type mismatch for Index Key e Expected: S Actual: N IndexName: i", source: 'aws' },
  keySchemaMismatch: { error: errors.keySchemaMismatch(), code: 'ValidationException', message: "The provided key element does not match the schema", source: 'aws' },
  emptyKey: { error: errors.emptyKey('id', 'string'), code: 'ValidationException', message: "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id", source: 'aws' },
  emptyIndexKey: { error: errors.emptyIndexKey('i', 'e', 'string'), code: 'ValidationException', message: "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: i, IndexKey: e", source: 'lambkin' },
  hashKeyTooLarge: { error: errors.hashKeyTooLarge(), code: 'ValidationException', message: "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes", source: 'aws' },
  rangeKeyTooLarge: { error: errors.rangeKeyTooLarge(), code: 'ValidationException', message: "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes", source: 'aws' },
  updateKeyAttribute: { error: errors.updateKeyAttribute('id'), code: 'ValidationException', message: "One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key", source: 'aws' },
  itemTooLarge: { error: errors.itemTooLarge(), code: 'ValidationException', message: "Item size has exceeded the maximum allowed size", source: 'aws' },
  updatedItemTooLarge: { error: errors.updatedItemTooLarge(), code: 'ValidationException', message: "Item size to update has exceeded the maximum allowed size", source: 'aws' },
  returnValuesPutDelete: { error: errors.returnValuesPutDelete(), code: 'ValidationException', message: "ReturnValues can only be ALL_OLD or NONE", source: 'aws' },
  conditionalCheckFailed: { error: errors.conditionalCheckFailed(), code: 'ConditionalCheckFailedException', message: "The conditional request failed", source: 'aws' },
  keyConditionRequired: { error: errors.keyConditionRequired(), code: 'ValidationException', message: "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.", source: 'aws' },
  indexNotFound: { error: errors.indexNotFound('i'), code: 'ValidationException', message: "The table does not have the specified index: i", source: 'aws' },
  consistentReadOnGsi: { error: errors.consistentReadOnGsi(), code: 'ValidationException', message: "Consistent reads are not supported on global secondary indexes", source: 'aws' },
  allAttributesOnGsi: { error: errors.allAttributesOnGsi('i'), code: 'ValidationException', message: "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index i because its projection type is not ALL", source: 'lambkin' },
  allProjectedWithoutIndex: { error: errors.allProjectedWithoutIndex(), code: 'ValidationException', message: "One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is supported only for indexes", source: 'lambkin' },
  specificAttributesWithoutProjection: { error: errors.specificAttributesWithoutProjection(), code: 'ValidationException', message: "One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires either AttributesToGet or ProjectionExpression", source: 'lambkin' },
  selectWithProjection: { error: errors.selectWithProjection('COUNT'), code: 'ValidationException', message: "Cannot specify the AttributesToGet when choosing to get only the Count", source: 'lambkin' },
  invalidStartKey: { error: errors.invalidStartKey('detail'), code: 'ValidationException', message: "The provided starting key is invalid: detail", source: 'caller' },
  startKeyOutsideQuery: { error: errors.startKeyOutsideQuery(), code: 'ValidationException', message: "The provided starting key is outside query boundaries based on provided conditions", source: 'aws' },
  segmentWithoutTotal: { error: errors.segmentWithoutTotal(), code: 'ValidationException', message: "The TotalSegments parameter is required but was not present in the request when Segment parameter is present", source: 'aws' },
  totalWithoutSegment: { error: errors.totalWithoutSegment(), code: 'ValidationException', message: "The Segment parameter is required but was not present in the request when parameter TotalSegments is present", source: 'lambkin' },
  segmentOutOfRange: { error: errors.segmentOutOfRange(2, 2), code: 'ValidationException', message: "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2", source: 'aws' },
  tooManyBatchGetKeys: { error: errors.tooManyBatchGetKeys(), code: 'ValidationException', message: "Too many items requested for the BatchGetItem call", source: 'aws' },
  duplicateBatchKeys: { error: errors.duplicateBatchKeys(), code: 'ValidationException', message: "Provided list of item keys contains duplicates", source: 'aws' },
  writeRequestShape: { error: errors.writeRequestShape(), code: 'ValidationException', message: 'A WriteRequest must contain exactly one of PutRequest or DeleteRequest', source: 'lambkin' },
  transactDuplicateItem: { error: errors.transactDuplicateItem(), code: 'ValidationException', message: "Transaction request cannot include multiple operations on one item", source: 'aws' },
  transactActionShape: { error: errors.transactActionShape(), code: 'ValidationException', message: "TransactItems can only contain one of Check, Put, Update or Delete", source: 'lambkin' },
  transactionCanceled: { error: errors.transactionCanceled([{'Code':'ConditionalCheckFailed'},{'Code':'None'}]), code: 'TransactionCanceledException', message: "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]", source: 'aws' },
  idempotentParameterMismatch: { error: errors.idempotentParameterMismatch(), code: 'IdempotentParameterMismatchException', message: "The request uses the same client token as a previous, but non-identical request.", source: 'lambkin' },
  validation: { error: errors.validation('detail'), code: 'ValidationException', message: "detail", source: 'caller' },
  constraint: { error: errors.constraint(['a','b']), code: 'ValidationException', message: "2 validation errors detected: a; b", source: 'caller' },
  serialization: { error: errors.serialization('detail'), code: 'SerializationException', message: "detail", source: 'caller' },
  unknownOperation: { error: errors.unknownOperation(), code: 'UnknownOperationException', message: "", source: 'lambkin' },
  requestTooLarge: { error: errors.requestTooLarge(16), code: 'RequestEntityTooLargeException', message: "Request must be smaller than 16 bytes.", source: 'lambkin' },
};

const suite: CatalogueSuite = {
  service: 'dynamodb',
  catalogue: errors,
  expectations,
  model: modelStatuses(sdk),
  // The awsJson protocol's common errors (DynamoDB API reference, "Common Errors").
  documented: { ValidationException: 400, SerializationException: 400, UnknownOperationException: 400 },
  unlisted: { RequestEntityTooLargeException: { status: 413, reason: 'a request body over the front door limit, refused before any DynamoDB operation runs' } },
};
describeCatalogue(suite);

test('dynamodb code table: every code has the status the model or the common errors give it', () => {
  const model = modelStatuses(sdk);
  for (const [code, status] of Object.entries(DYNAMODB_ERRORS)) assert.equal(status, model.get(code) ?? suite.documented[code], code);
});

test("__type namespaces: DynamoDB's own exceptions, the Coral validator's and the protocol's", () => {
  assert.equal(errorNamespaceOf('ResourceNotFoundException'), 'com.amazonaws.dynamodb.v20120810');
  assert.equal(errorNamespaceOf('ConditionalCheckFailedException'), 'com.amazonaws.dynamodb.v20120810');
  assert.equal(errorNamespaceOf('ValidationException'), 'com.amazon.coral.validate');
  assert.equal(errorNamespaceOf('SerializationException'), 'com.amazon.coral.service');
});

test('a failed condition carries the old item, and a cancelled transaction its reasons, as members of the error', () => {
  assert.deepEqual(errors.conditionalCheckFailed({ id: { S: 'a' } }).fields, { Item: { id: { S: 'a' } } });
  assert.deepEqual(errors.conditionalCheckFailed().fields, {});
  const reasons = [{ Code: 'None' as const }, { Code: 'ConditionalCheckFailed' as const, Message: 'The conditional request failed' }];
  assert.deepEqual(errors.transactionCanceled(reasons).fields, { CancellationReasons: reasons });
});
