import type { Service } from '../../contracts/service.js';
import type { JsonRpcDialect } from '../../protocols/json-rpc.js';
import { jsonRpcService } from '../../protocols/json-rpc-service.js';
import type { LogsDeps, LogsOperation } from './deps.js';
import { errors } from './errors.js';
import { authorizeLogs, logsAccessDenied } from './iam-actions.js';
import { LOGS_MAX_REQUEST_BYTES, TARGET_PREFIX } from './limits.js';
import { groupOperations } from './operations/groups.js';
import { metricFilterOperations } from './operations/metric-filters.js';
import { putEventOperations } from './operations/put-events.js';
import { queryOperations } from './operations/queries.js';
import { readEventOperations } from './operations/read-events.js';
import { streamOperations } from './operations/streams.js';
import { subscriptionFilterOperations } from './operations/subscription-filters.js';
import { tagOperations } from './operations/tags.js';
import { jsonManagementCall } from '../../protocols/management-calls.js';
import { LOGS_MANAGEMENT_CALLS } from './management-calls.js';

/** awsJson 1.1; `__type` is the bare exception name. */
const DIALECT: JsonRpcDialect = { targetPrefix: TARGET_PREFIX, jsonVersion: '1.1', errorTypeHeader: false, messageKey: 'message' };

/** The CloudWatch Logs API (`X-Amz-Target: Logs_20140328.*`, signing name `logs`). */
export function createLogsService(deps: LogsDeps): Service {
  const operations: Record<string, LogsOperation> = {
    ...groupOperations(deps),
    ...streamOperations(deps),
    ...tagOperations(deps),
    ...putEventOperations(deps),
    ...readEventOperations(deps),
    ...subscriptionFilterOperations(deps),
    ...metricFilterOperations(deps),
    ...queryOperations(deps),
  };
  return jsonRpcService({
    name: 'logs',
    signingName: 'logs',
    dialect: DIALECT,
    maxBodyBytes: LOGS_MAX_REQUEST_BYTES,
    operations,
    unknownOperation: (operation) => errors.unknownOperation(operation),
    notAnObject: () => errors.serialization('Start of structure or map found where not expected.'),
    authorize: authorizeLogs,
    accessDenied: logsAccessDenied,
    tooLarge: (limit) => errors.requestTooLarge(limit),
    managementCall: (ctx, response) => jsonManagementCall(LOGS_MANAGEMENT_CALLS, ctx, response),
  });
}
