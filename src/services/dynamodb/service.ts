import type { Service } from '../../contracts/service.js';
import type { JsonRpcDialect } from '../../protocols/json-rpc.js';
import { jsonRpcService } from '../../protocols/json-rpc-service.js';
import { DYNAMODB_MAX_REQUEST_BYTES, TARGET_PREFIX } from './api-limits.js';
import type { DynamodbDeps, DynamodbOperation } from './deps.js';
import { AttributeValueInvalid } from './attribute-values.js';
import { dynamodbError, errorNamespaceOf, errors } from './errors.js';
import { ExpressionInvalid } from './expressions/index.js';
import { authorizeDynamodb, dynamodbAccessDenied } from './iam-actions.js';
import { accountOperations } from './operations/account.js';
import { batchOperations } from './operations/batch.js';
import { itemOperations } from './operations/items.js';
import { queryOperations } from './operations/query.js';
import { scanOperations } from './operations/scan.js';
import { tableOperations } from './operations/tables.js';
import { tagOperations } from './operations/tags.js';
import { transactionOperations } from './operations/transactions.js';
import { jsonManagementCall } from '../../protocols/management-calls.js';
import { DYNAMODB_MANAGEMENT_CALLS } from './management-calls.js';
import { ttlOperations } from './operations/ttl.js';

/** awsJson 1.0; `__type` is the exception's Smithy shape id (namespace per error, errors.ts). */
const DIALECT: JsonRpcDialect = { targetPrefix: TARGET_PREFIX, jsonVersion: '1.0', errorTypeHeader: false, messageKey: 'message' };

/**
 * The DynamoDB API (`X-Amz-Target: DynamoDB_20120810.*`, signing name `dynamodb`). DynamoDB
 * Streams signs with the same name; the edge tells them apart by target prefix.
 */
export function createDynamodbService(deps: DynamodbDeps): Service {
  const operations: Record<string, DynamodbOperation> = {
    ...tableOperations(deps),
    ...ttlOperations(deps),
    ...tagOperations(deps),
    ...accountOperations(),
    ...itemOperations(deps),
    ...queryOperations(deps),
    ...scanOperations(deps),
    ...batchOperations(deps),
    ...transactionOperations(deps),
  };
  return jsonRpcService({
    name: 'dynamodb',
    signingName: 'dynamodb',
    dialect: DIALECT,
    maxBodyBytes: DYNAMODB_MAX_REQUEST_BYTES,
    operations,
    unknownOperation: () => errors.unknownOperation(),
    notAnObject: () => errors.serialization('Start of structure or map found where not expected.'),
    authorize: authorizeDynamodb,
    accessDenied: dynamodbAccessDenied,
    tooLarge: (limit) => errors.requestTooLarge(limit),
    asAwsError,
    errorDialect: (error) => ({ ...DIALECT, errorNamespace: errorNamespaceOf(error.code) }),
    managementCall: (ctx, response) => jsonManagementCall(DYNAMODB_MANAGEMENT_CALLS, ctx, response),
  });
}

/** The value and expression checks throw their own classes, carrying AWS's error type and text. */
function asAwsError(err: unknown): unknown {
  if (err instanceof AttributeValueInvalid) return dynamodbError(err.errorType, err.message);
  if (err instanceof ExpressionInvalid) return dynamodbError('ValidationException', err.message);
  return err;
}
