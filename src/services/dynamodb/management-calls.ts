import type { ManagementCallSpec } from '../../protocols/management-calls.js';
import { writesByVerb } from '../../protocols/management-calls.js';

/** Table, index, stream, TTL, backup and tag writes; item writes are data events. */
export const DYNAMODB_MANAGEMENT_CALLS: ManagementCallSpec = {
  eventSource: 'dynamodb.amazonaws.com',
  isManagementWrite: writesByVerb(/^(Create|Delete|Update|Tag|Untag|Restore|Enable|Disable|Put|Export|Import)/, [
    'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction',
  ]),
};
